/**
 * The lcov writer against Debian's lcov 1.16: for every fixture config, lcov --capture
 * (gcov of that compiler under the hood) on a build tree holding the fixture's .gcno,
 * libgcov's .gcda and the sources, compared record by record with our tracefiles made
 * from the same .gcno and .gcda (the .gcda named by the build path libgcov recorded, so
 * the path matching is part of the test).
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lcovCaptureTracefile, lcovTracefile } from '../../src/model/lcov';
import { buildReport, type DataInput, type NotesInput } from '../../src/model/report';
import { fixturesRoot, listFixtures, walkFiles } from '../helpers/fixtures';
import { lcovRecords, lcovTotals, runLcov } from '../helpers/lcov';

function reportFor(fixtureDir: string, buildDir: string, sourceRoot: string) {
  const notes: NotesInput[] = [];
  const data: DataInput[] = [];
  for (const f of walkFiles(join(fixtureDir, 'gcno'))) {
    notes.push({
      name: 'obj/' + relative(join(fixtureDir, 'gcno'), f),
      bytes: new Uint8Array(readFileSync(f)),
    });
  }
  const refDir = join(fixtureDir, 'ref');
  for (const f of walkFiles(join(refDir, buildDir)))
    data.push({ name: '/' + relative(refDir, f), bytes: new Uint8Array(readFileSync(f)) });
  return buildReport(notes, data, { sourceRoot });
}

/**
 * Within one record lcov prints FNDA in Perl hash order (`keys %{$testfnccount}`), and
 * FN lines of functions on the same line also in hash order (a sort by line only): both
 * sorted here, on both sides. Nothing else is touched.
 */
function hashOrderFree(record: string[]): string[] {
  const fn = record.filter((l) => l.startsWith('FN:'));
  fn.sort((a, b) => {
    const la = Number(a.slice(3, a.indexOf(','))),
      lb = Number(b.slice(3, b.indexOf(',')));
    return la - lb || (a < b ? -1 : a > b ? 1 : 0);
  });
  const fnda = record.filter((l) => l.startsWith('FNDA:')).sort();
  let i = 0,
    j = 0;
  return record.map((l) => (l.startsWith('FN:') ? fn[i++]! : l.startsWith('FNDA:') ? fnda[j++]! : l));
}

describe('lcov tracefile equals lcov 1.16', () => {
  for (const config of listFixtures()) {
    const fixtureDir = join(fixturesRoot(), config);
    it(`${config}`, () => {
      const lcov = runLcov(fixtureDir);
      const report = reportFor(fixtureDir, lcov.meta.buildDir, lcov.dir);
      expect(report.problems.map((p) => p.message)).toEqual([]);
      expect(lcovRecords(lcov.merged).length).toBeGreaterThan(10);

      // lcov --capture: geninfo runs over the .gcda in `find` order (directory order) and
      // prints each object's files in Perl hash order, so the test compares the multiset
      // of records (each record exact) and the number of TN blocks.
      const ours = lcovCaptureTracefile(report);
      const tn = (t: string) => t.split('\n').filter((l) => l.startsWith('TN:'));
      expect(tn(ours)).toEqual(tn(lcov.capture));
      const key = (r: string[]) => r.join('\n');
      expect(lcovRecords(ours).map(key).sort()).toEqual(lcovRecords(lcov.capture).map(key).sort());

      // lcov's merged form: same files in the same order, every record line by line.
      const merged = lcovTracefile(report);
      expect(lcovRecords(merged).map(hashOrderFree)).toEqual(lcovRecords(lcov.merged).map(hashOrderFree));
      expect(merged.split('\n').filter((l) => l.startsWith('TN:'))).toEqual(tn(lcov.merged));

      // the model's totals are lcov's
      const t = lcovTotals(lcov.merged);
      expect(report.totals.lines).toEqual({ found: t.LF, hit: t.LH });
      expect(report.totals.functions).toEqual({ found: t.FNF, hit: t.FNH });
      expect(report.totals.branches).toEqual({ found: t.BRF, hit: t.BRH });
    });
  }
});
