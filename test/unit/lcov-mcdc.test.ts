/**
 * The lcov MC/DC switch on the committed fixtures, without lcov 2 (test/conformance/
 * lcov-mcdc.test.ts holds the records to lcov 2's own): it adds MCDC/MCF/MCH lines and
 * nothing else, one t and one f line per term, MCF/MCH count them, one group per line and
 * expression size the model (gcov) has; without condition data it adds nothing.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lcovTracefile } from '../../src/model/lcov';
import { buildReport, type DataInput, type NotesInput } from '../../src/model/report';
import { listFixtures, loadFixture, walkFiles } from '../helpers/fixtures';
import { lcovRecords } from '../helpers/lcov';

const isMcdc = (l: string) => /^MC(DC|F|H):/.test(l);

describe.each(listFixtures())('%s', (config) => {
  it('lcov --mcdc-coverage adds the MC/DC records and nothing else', () => {
    const fx = loadFixture(config);
    const gcnoDir = join(fx.dir, 'gcno');
    const notes: NotesInput[] = walkFiles(gcnoDir).map((f) => ({
      name: relative(gcnoDir, f),
      bytes: new Uint8Array(readFileSync(f)),
    }));
    const data: DataInput[] = [...fx.ref].map(([name, bytes]) => ({ name, bytes }));
    const report = buildReport(notes, data);
    const plain = lcovTracefile(report);
    const mcdc = lcovTracefile(report, { mcdc: true });
    expect(mcdc.split('\n').filter((l) => !isMcdc(l))).toEqual(plain.split('\n'));

    const byPath = new Map(report.files.map((f) => [f.path, f]));
    let found = 0;
    for (const rec of lcovRecords(mcdc)) {
      const lines = rec.filter((l) => l.startsWith('MCDC:')).map((l) => l.slice(5).split(','));
      for (let i = 0; i < lines.length; i += 2) {
        const [t, f] = [lines[i]!, lines[i + 1]!];
        expect([t[2], f[2]]).toEqual(['t', 'f']);
        expect([f[0], f[1], f[4], f[5]]).toEqual([t[0], t[1], t[4], t[5]]);
      }
      const taken = lines.filter((l) => l[3] !== '0').length;
      const totals = rec.filter((l) => /^MC[FH]:/.test(l));
      expect(totals).toEqual(lines.length > 0 ? [`MCF:${lines.length}`, `MCH:${taken}`] : []);
      found += lines.length;
      // per line, one group per expression size the model (gcov) has there
      const sizes = new Map<number, Set<number>>();
      for (const l of lines)
        sizes.set(Number(l[0]), (sizes.get(Number(l[0])) ?? new Set()).add(Number(l[1])));
      const want = new Map<number, Set<number>>();
      for (const l of byPath.get(rec[0]!.slice(3))!.lines)
        if (l.conditions.length > 0) want.set(l.lineNumber, new Set(l.conditions.map((c) => c.count / 2)));
      expect(sizes).toEqual(want);
    }
    // expressions of the same size on one line share a group in lcov 2
    expect(found).toBeLessThanOrEqual(report.totals.conditions.found);
    expect(mcdc !== plain).toBe(report.totals.conditions.found > 0);
  });
});
