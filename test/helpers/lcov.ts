/** A fixture laid out as a build tree for lcov, and lcov's own tracefiles for it. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { walkFiles, type FixtureMeta } from './fixtures';

export interface LcovRun {
  /** The build tree: obj/<rel>.gcno and .gcda, sources at the relative names the .gcno records. */
  dir: string;
  /** `lcov --capture` output. */
  capture: string;
  /** The same tracefile read and written again by lcov (`lcov -a`). */
  merged: string;
  meta: FixtureMeta;
}

export function fixtureMeta(fixtureDir: string): FixtureMeta {
  return JSON.parse(readFileSync(join(fixtureDir, 'meta.json'), 'utf8')) as FixtureMeta;
}

export function run(cmd: string, args: string[], cwd: string): string {
  const p = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (p.error) throw p.error;
  if (p.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${p.status}:\n${p.stderr}`);
  return p.stdout;
}

/**
 * Copies the fixture's .gcno and libgcov's .gcda next to each other under obj/, the
 * sources where the .gcno names them (relative to the compile directory, which is the
 * tree's root here and given to lcov as -b), and runs lcov on it.
 */
export function runLcov(fixtureDir: string): LcovRun {
  const { root, dir, meta } = lcovBuildTree(fixtureDir);
  const rc = ['--rc', 'lcov_branch_coverage=1'];
  const ref = join(root, 'ref.info');
  const merged = join(root, 'merged.info');
  run('lcov', ['--capture', ...rc, '--gcov-tool', meta.gcov, '-d', dir, '-b', dir, '-o', ref, '-q'], root);
  run('lcov', [...rc, '-a', ref, '-o', merged, '-q'], root);
  return { dir, capture: readFileSync(ref, 'utf8'), merged: readFileSync(merged, 'utf8'), meta };
}

/** The fixture as a build tree (see runLcov) in a new temporary folder `root`. */
export function lcovBuildTree(fixtureDir: string): { root: string; dir: string; meta: FixtureMeta } {
  const meta = fixtureMeta(fixtureDir);
  const root = mkdtempSync(join(tmpdir(), 'hvcov-lcov-'));
  const dir = join(root, 'build');
  cpSync(join(fixtureDir, 'src'), dir, { recursive: true });
  const gcnoDir = join(fixtureDir, 'gcno');
  for (const f of walkFiles(gcnoDir)) {
    const rel = relative(gcnoDir, f);
    const dest = join(dir, 'obj', rel);
    mkdirSync(dirname(dest), { recursive: true });
    cpSync(f, dest);
    const gcda = join(fixtureDir, 'ref', meta.buildDir, 'obj', rel.replace(/\.gcno$/, '.gcda'));
    writeFileSync(dest.replace(/\.gcno$/, '.gcda'), readFileSync(gcda));
  }
  return { root, dir, meta };
}

/** The records (SF: … end_of_record) of a tracefile, each as its lines. */
export function lcovRecords(text: string): string[][] {
  const out: string[][] = [];
  let cur: string[] | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('SF:')) cur = [line];
    else if (cur) {
      cur.push(line);
      if (line === 'end_of_record') {
        out.push(cur);
        cur = undefined;
      }
    }
  }
  return out;
}

/** LF/LH, FNF/FNH and BRF/BRH summed over a merged tracefile. */
export function lcovTotals(text: string): Record<'LF' | 'LH' | 'FNF' | 'FNH' | 'BRF' | 'BRH', number> {
  const t = { LF: 0, LH: 0, FNF: 0, FNH: 0, BRF: 0, BRH: 0 };
  for (const line of text.split('\n')) {
    const m = /^(LF|LH|FNF|FNH|BRF|BRH):(\d+)$/.exec(line);
    if (m) t[m[1] as keyof typeof t] += Number(m[2]);
  }
  return t;
}
