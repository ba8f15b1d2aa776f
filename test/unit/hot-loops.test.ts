/**
 * The hot loops of extraction, rewritten for speed, against their plain definitions:
 * scanMax (run_max, the largest arcs counter, for every .gcda's summary) over signed words
 * equals the largest non-negative 64-bit value, counted with BigInt, for any counters; the
 * table-driven, one-step crc32Unsigned equals the CRC computed bit by bit (MSB first,
 * polynomial 0x04C11DB7, as GCC's crc32_unsigned defines it; the fixtures' checksums, written by
 * GCC, check it in turn).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32Unsigned } from '../../src/gcov/crc32';
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

/** The definition, a bit at a time: no table. */
function crcBitwise(crc: number, value: number): number {
  for (let b = 31; b >= 0; b--) {
    const top = ((crc >>> 31) ^ (value >>> b)) & 1;
    crc = ((crc << 1) ^ (top ? 0x04c11db7 : 0)) >>> 0;
  }
  return crc;
}

describe('crc32Unsigned', () => {
  it('folds a word in one step exactly as the bit-by-bit definition', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (crc, v) => {
          expect(crc32Unsigned(crc, v)).toBe(crcBitwise(crc, v));
        },
      ),
      { numRuns: 20000 },
    );
  });
});
