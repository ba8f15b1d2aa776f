/** The runs/ of the committed fixture config that has them (scripts/gen-fixtures.sh gen_runs). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, posix, relative } from 'node:path';
import { extractImage } from '../../src/gcov/extract';
import type { NotesInput } from '../../src/model/report';
import type { RunInput } from '../../src/model/runs';
import { loadFixture, walkFiles, type Fixture } from './fixtures';

export const RUNS_CONFIG = 'gcc14-x86_64-O0-cond';

/** Always the committed fixtures: they are the ones made with runs/. */
export const runsFixture = (): Fixture => loadFixture(RUNS_CONFIG, join(process.cwd(), 'fixtures/gen'));

export function notesOf(fx: Fixture): NotesInput[] {
  const dir = join(fx.dir, 'gcno');
  return walkFiles(dir).map((f) => ({ name: relative(dir, f), bytes: new Uint8Array(readFileSync(f)) }));
}

/** image.bin of the config (run "" ) or of runs/<name>. */
export const imagePath = (fx: Fixture, run: string): string =>
  run === '' ? join(fx.dir, 'image.bin') : join(fx.dir, 'runs', run, 'image.bin');

/** libgcov's .gcda of that run: the obj directory under its ref/. */
export const refObj = (fx: Fixture, run: string): string =>
  join(run === '' ? fx.dir : join(fx.dir, 'runs', run), 'ref', fx.meta.buildDir, 'obj');

export function runOf(fx: Fixture, run: string, name = run || 'A'): RunInput {
  const p = imagePath(fx, run);
  const r = extractImage(new Uint8Array(readFileSync(p)), p, {});
  return { name, data: r.files.map((f) => ({ name: f.path, bytes: f.bytes, image: p })) };
}

/** What gcov says of one source line, summed over the objects that have it. */
export interface GcovLine {
  count: number;
  /** By position. */
  branches: number[];
  /** Outcomes covered, as "condition index:t|f:term". */
  conditions: Set<string>;
}

interface GcovJsonLine {
  line_number: number;
  count: number;
  branches: { count: number }[];
  conditions?: { count: number; not_covered_true: number[]; not_covered_false: number[] }[];
}

/**
 * Runs that compiler's gcov (--json-format -b --conditions) on every .gcno of the config
 * with the .gcda of the same relative name under `gcdaDir` (none: never executed), and
 * merges its output per "absolute source path:line" as lcov adds objects.
 */
export function gcovLines(fx: Fixture, gcdaDir: string): { lines: Map<string, GcovLine>; stderr: string } {
  const lines = new Map<string, GcovLine>();
  let stderr = '';
  const gcnoDir = join(fx.dir, 'gcno');
  for (const gcno of walkFiles(gcnoDir)) {
    const rel = relative(gcnoDir, gcno).replace(/\.gcno$/, '');
    const name = basename(rel);
    const tmp = mkdtempSync(join(tmpdir(), 'hvcov-runs-'));
    try {
      writeFileSync(join(tmp, name + '.gcno'), readFileSync(gcno));
      const gcda = join(gcdaDir, rel + '.gcda');
      if (existsSync(gcda)) writeFileSync(join(tmp, name + '.gcda'), readFileSync(gcda));
      const p = spawnSync(
        fx.meta.gcov,
        ['--json-format', '--stdout', '--branch-probabilities', '--conditions', name + '.gcda'],
        { cwd: tmp, encoding: 'utf8', maxBuffer: 64 << 20 },
      );
      if (p.error) throw p.error;
      stderr += p.stderr;
      const doc = JSON.parse(p.stdout) as {
        current_working_directory: string;
        files: { file: string; lines: GcovJsonLine[] }[];
      };
      for (const f of doc.files) {
        const path = posix.resolve(doc.current_working_directory, f.file);
        for (const l of f.lines) {
          const key = `${path}:${l.line_number}`;
          let have = lines.get(key);
          if (!have) lines.set(key, (have = { count: 0, branches: [], conditions: new Set() }));
          have.count += l.count;
          l.branches.forEach((b, i) => (have.branches[i] = (have.branches[i] ?? 0) + b.count));
          (l.conditions ?? []).forEach((c, i) => {
            const t = new Set(c.not_covered_true);
            const fl = new Set(c.not_covered_false);
            for (let k = 0; k < c.count / 2; k++) {
              if (!t.has(k)) have.conditions.add(`${i}:t:${k}`);
              if (!fl.has(k)) have.conditions.add(`${i}:f:${k}`);
            }
          });
        }
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return { lines, stderr };
}
