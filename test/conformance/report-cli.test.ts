/**
 * `hvcov report` end to end on the fixtures' core images with their .gcno folders: its
 * --gcov-json documents equal the real gcov's JSON for the same objects (gcov run here on
 * the .gcno and libgcov's .gcda), its --lcov file is lcov's, and the --fail-under
 * thresholds act on lcov's own LF/LH and BRF/BRH.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { fixturesRoot, listFixtures } from '../helpers/fixtures';
import { expectGcovDocs } from '../helpers/gcov-json';
import { lcovRecords, lcovTotals, runLcov } from '../helpers/lcov';

async function hvcov(args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(args, (s) => lines.push(s));
  return { code, text: lines.join('\n') };
}

describe('hvcov report --gcov-json equals gcov', () => {
  for (const config of listFixtures()) {
    it(config, async () => {
      const dir = join(fixturesRoot(), config);
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
      expectGcovDocs(dir, readFileSync(jsonl, 'utf8'));
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
