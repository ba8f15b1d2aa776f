/**
 * `hvcov report` end to end on the fixtures' core images with their .gcno folders: its
 * --gcov-json documents equal the real gcov's JSON for the same objects (gcov run here on
 * the .gcno and libgcov's .gcda), its --lcov file is lcov's, and the --fail-under
 * thresholds act on lcov's own LF/LH and BRF/BRH.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { readGcno } from '../../src/gcov/gcno';
import { fixturesRoot, listFixtures, walkFiles } from '../helpers/fixtures';
import { fixtureMeta, lcovRecords, lcovTotals, runLcov } from '../helpers/lcov';

async function hvcov(args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(args, (s) => lines.push(s));
  return { code, text: lines.join('\n') };
}

type Doc = Record<string, unknown>;

/** gcov --json-format --stdout -b (and --conditions where the release has them) on one object. */
function gcovJson(gcov: string, gcno: string, gcda: string, conditions: boolean): Doc {
  const tmp = mkdtempSync(join(tmpdir(), 'hvcov-report-'));
  try {
    const name = basename(gcno, '.gcno');
    writeFileSync(join(tmp, name + '.gcno'), readFileSync(gcno));
    writeFileSync(join(tmp, name + '.gcda'), readFileSync(gcda));
    const flags = [
      '--json-format',
      '--stdout',
      '--branch-probabilities',
      ...(conditions ? ['--conditions'] : []),
    ];
    const p = spawnSync(gcov, [...flags, name + '.gcda'], {
      cwd: tmp,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    if (p.error) throw p.error;
    expect(p.stderr).toBe('');
    return JSON.parse(p.stdout) as Doc;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * data_file is the name the .gcda was opened under: for gcov a copy in a temporary
 * folder, for hvcov the build path recorded in the image. gcc_version is the gcov
 * binary's own version string (Debian's gcc-10 is the snapshot "10.2.1 20210110") while
 * the .gcno records only major.minor: compared on major.minor. Everything else is compared.
 */
const comparable = ({ data_file: _d, gcc_version: v, ...rest }: Doc): Doc => ({
  ...rest,
  gcc_version: String(v).split('.').slice(0, 2).join('.'),
});

describe('hvcov report --gcov-json equals gcov', () => {
  for (const config of listFixtures()) {
    it(config, async () => {
      const dir = join(fixturesRoot(), config);
      const meta = fixtureMeta(dir);
      const out = mkdtempSync(join(tmpdir(), 'hvcov-report-'));
      const jsonl = join(out, 'gcov.jsonl');
      const r = await hvcov([
        'report',
        '--build',
        join(dir, 'gcno'),
        '--image',
        join(dir, 'image.bin'),
        '--gcov-json',
        jsonl,
      ]);
      expect(r.text).not.toMatch(/problem|skipped|note:/);
      expect(r.code).toBe(0);
      const docs = readFileSync(jsonl, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Doc);
      const gcnos = walkFiles(join(dir, 'gcno'));
      expect(docs.length).toBe(gcnos.length);
      const objDir = join(meta.buildDir, 'obj');
      for (const doc of docs) {
        const rel = relative(objDir, doc.data_file as string).replace(/\.gcda$/, '');
        const gcno = join(dir, 'gcno', rel + '.gcno');
        const conditions = readGcno(new Uint8Array(readFileSync(gcno)), gcno).format.counters.some(
          (k) => k.name === 'conditions',
        );
        const want = gcovJson(meta.gcov, gcno, join(dir, 'ref', objDir, rel + '.gcda'), conditions);
        expect(comparable(doc), rel).toEqual(comparable(want));
      }
    });
  }
});

describe('hvcov report --lcov and --fail-under against lcov', () => {
  // one 32-bit big-endian image, one with C++ and one with condition coverage
  for (const config of ['gcc12-powerpc-O2', 'gcc12-x86_64-O0', 'gcc14-x86_64-O0-cond']) {
    it(config, async () => {
      const dir = join(fixturesRoot(), config);
      const lcov = runLcov(dir);
      const out = mkdtempSync(join(tmpdir(), 'hvcov-report-'));
      const info = join(out, 'hv.info');
      const base = ['report', '--build', join(dir, 'gcno'), '--image', join(dir, 'image.bin')];
      const r = await hvcov([...base, '--lcov', info, '--source-root', lcov.dir, '--summary']);
      expect(r.code).toBe(0);
      // record by record; FNDA and same-line FN are in Perl hash order in lcov's file
      const norm = (t: string) =>
        lcovRecords(t).map((rec) => [
          ...rec.filter((l) => !l.startsWith('FN')),
          ...rec.filter((l) => l.startsWith('FN')).sort(),
        ]);
      expect(norm(readFileSync(info, 'utf8'))).toEqual(norm(lcov.merged));

      const t = lcovTotals(lcov.merged);
      const line = (100 * t.LH) / t.LF;
      const branch = (100 * t.BRH) / t.BRF;
      expect(r.text).toContain(`${t.LH}/${t.LF}`);
      expect(r.text).toContain(`${t.BRH}/${t.BRF}`);
      // just above the coverage lcov measured: fails, naming the measure
      const above = await hvcov([...base, '--fail-under-line', String(line + 0.01)]);
      expect(above.code).toBe(3);
      expect(above.text).toMatch(new RegExp(`line coverage .*\\(${t.LH}/${t.LF}\\) is below`));
      expect(above.text).not.toMatch(/branch coverage/);
      const aboveBr = await hvcov([...base, '--fail-under-branch', String(branch + 0.01)]);
      expect(aboveBr.code).toBe(3);
      expect(aboveBr.text).toMatch(new RegExp(`branch coverage .*\\(${t.BRH}/${t.BRF}\\) is below`));
      // exactly at it (and just below): passes
      const at = await hvcov([
        ...base,
        '--fail-under-line',
        String(Math.floor(line * 100) / 100),
        '--fail-under-branch',
        String(Math.floor(branch * 100) / 100),
      ]);
      expect(at.code).toBe(0);
      expect(at.text).not.toMatch(/is below/);
    });
  }
});
