/**
 * The file view's logic on the committed GCC 14 condition-coverage fixture: the condition
 * records packed for the page equal the report's, and b / B, c / C visit exactly the lines
 * with a branch never taken and with a condition outcome never seen, in order.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/model/report';
import {
  conditionText,
  lineConditions,
  lineIndex,
  nextUncovered,
  packFile,
  uncoveredBranchLines,
  uncoveredConditionLines,
} from '../../src/ui/report-view';
import { loadFixture, walkFiles } from '../helpers/fixtures';

const fx = loadFixture('gcc14-x86_64-O0-cond');
const gcnoDir = join(fx.dir, 'gcno');
const notes = walkFiles(gcnoDir).map((f) => ({
  name: `gcno/${relative(gcnoDir, f)}`,
  bytes: new Uint8Array(readFileSync(f)),
}));
const report = buildReport(
  notes,
  [...fx.ref].map(([name, bytes]) => ({ name, bytes })),
);

/** Every line number of the list, visited from the top with `direction` 1, from the bottom with -1. */
function walk(list: readonly number[], direction: 1 | -1): number[] {
  const out: number[] = [];
  for (
    let l = nextUncovered(list, undefined, direction);
    l !== undefined;
    l = nextUncovered(list, l, direction)
  )
    out.push(l);
  return out;
}

describe('condition and branch navigation', () => {
  it('the fixture has lines with missed conditions and branches', () => {
    const lines = report.files.flatMap((f) => f.lines);
    expect(
      lines.some((l) => l.conditions.some((c) => c.notCoveredTrue.length + c.notCoveredFalse.length > 0)),
    ).toBe(true);
    expect(lines.some((l) => l.branches.some((b) => !(b.count! > 0)))).toBe(true);
  });

  for (const f of report.files)
    it(`${f.path}: condition records, b / B and c / C`, () => {
      const d = packFile(f);
      const idx = lineIndex(d, f.lines.at(-1)!.lineNumber);
      f.lines.forEach((l, i) => {
        expect(idx[l.lineNumber]).toBe(i);
        const got = lineConditions(d, i);
        expect(got.map((c) => c.count)).toEqual(l.conditions.map((c) => c.count));
        got.forEach((c, k) => {
          const want = l.conditions[k]!;
          expect([...c.notCoveredTrue]).toEqual([...want.notCoveredTrue].sort((a, b) => a - b));
          expect([...c.notCoveredFalse]).toEqual([...want.notCoveredFalse].sort((a, b) => a - b));
          expect(c.covered).toBe(want.count - want.notCoveredTrue.length - want.notCoveredFalse.length);
          // the words: the covered count, then one line per term missing an outcome
          const text = conditionText(c);
          if (c.count === 0) expect(text).toEqual([]);
          else {
            expect(text[0]).toBe(`condition outcomes covered ${c.covered}/${c.count}`);
            const terms = new Set([...want.notCoveredTrue, ...want.notCoveredFalse]);
            expect(text).toHaveLength(1 + terms.size);
            for (const t of terms) {
              const missed = [
                ...(want.notCoveredTrue.includes(t) ? ['true'] : []),
                ...(want.notCoveredFalse.includes(t) ? ['false'] : []),
              ];
              expect(text).toContain(`condition ${t} not covered (${missed.join(' ')})`);
            }
          }
        });
      });
      const branchLines = f.lines
        .filter((l) => l.branches.some((b) => !(b.count! > 0)))
        .map((l) => l.lineNumber);
      const conditionLines = f.lines
        .filter((l) => l.conditions.some((c) => c.notCoveredTrue.length + c.notCoveredFalse.length > 0))
        .map((l) => l.lineNumber);
      expect(uncoveredBranchLines(d)).toEqual(branchLines);
      expect(uncoveredConditionLines(d)).toEqual(conditionLines);
      expect(walk(branchLines, 1)).toEqual(branchLines);
      expect(walk(branchLines, -1)).toEqual([...branchLines].reverse());
      expect(walk(conditionLines, 1)).toEqual(conditionLines);
      expect(walk(conditionLines, -1)).toEqual([...conditionLines].reverse());
    });
});
