/**
 * outputPath's fast path for ordinary recorded paths must give exactly what the general
 * rule (GCOV_PREFIX_STRIP, then `..` resolved and clamped at the root) gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outputPath, safeRelativePath, stripLevels } from '../../src/gcov/paths';
import { listFixtures, loadFixture } from '../helpers/fixtures';

describe('outputPath', () => {
  it('agrees with the general rule on every path recorded in the fixture images', () => {
    for (const c of listFixtures())
      for (const p of loadFixture(c).ref.keys())
        expect(outputPath(p)).toBe(safeRelativePath(stripLevels(p, 0)));
  });

  it('agrees with the general rule on awkward paths', () => {
    const seg = fc.constantFrom('a', 'b.gcda', '.', '..', '', '.tmp_x', '..a', 'a..', 'c\\d', 'e\0f', ' ');
    fc.assert(
      fc.property(fc.array(seg, { maxLength: 8 }), fc.boolean(), (segs, abs) => {
        const p = (abs ? '/' : '') + segs.join('/');
        expect(outputPath(p)).toBe(safeRelativePath(stripLevels(p, 0)));
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  it('never climbs above the output root', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(4), (p, strip) => {
        const r = outputPath(p, strip);
        expect(r.startsWith('/')).toBe(false);
        expect(r.split('/')).not.toContain('..');
      }),
      { numRuns: 2000, seed: 11 },
    );
  });
});
