/**
 * The hot loops of extraction, rewritten for speed, against their plain definitions:
 * scanMax (run_max, the largest arcs counter, for every .gcda's summary) over signed words
 * equals the largest non-negative 64-bit value, counted with BigInt, for any counters; the
 * one-step crc32Unsigned equals the byte-at-a-time one (which the fixtures' checksums, written
 * by GCC, check in turn).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32Unsigned, crc32UnsignedBytewise } from '../../src/gcov/crc32';
import { scanMax } from '../../src/gcov/walker';

/** Host-order words of int64 counters (low word first on a little-endian host, as the image's). */
function words(counters: readonly bigint[]): Int32Array {
  const b = new BigInt64Array(counters.length);
  counters.forEach((c, i) => (b[i] = c));
  return new Int32Array(b.buffer);
}

const interesting = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.constantFrom(
    0n,
    1n,
    -1n,
    2n ** 31n - 1n,
    2n ** 31n,
    2n ** 32n - 1n,
    2n ** 32n,
    2n ** 63n - 1n,
    -(2n ** 63n),
  ),
  fc.bigInt({ min: 0n, max: 2n ** 33n }),
);

describe('scanMax', () => {
  it('finds the largest non-negative counter, from a running maximum', () => {
    fc.assert(
      fc.property(
        fc.array(interesting, { maxLength: 40 }),
        fc.bigInt({ min: 0n, max: 2n ** 34n }),
        (cs, start) => {
          const m = { hi: Number(start >> 32n), lo: Number(start & 0xffffffffn) };
          scanMax(words(cs), 0, cs.length * 2, m);
          let want = start;
          for (const c of cs) if (c > want) want = c;
          expect((BigInt(m.hi) << 32n) | BigInt(m.lo)).toBe(want);
          expect(m.lo).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('crc32Unsigned', () => {
  it('folds a word in one step exactly as GCC does byte by byte', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (crc, v) => {
          expect(crc32Unsigned(crc, v)).toBe(crc32UnsignedBytewise(crc, v));
        },
      ),
      { numRuns: 20000 },
    );
  });
});
