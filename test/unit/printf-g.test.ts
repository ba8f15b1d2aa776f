/**
 * printfG against C's printf("%g") as the system's printf(1) prints it (coreutils, glibc):
 * every value passed as the exact decimal of its double, so the C side rounds the same
 * number. The inputs are boundaries of the 6 significant digits, ties (rounded to even),
 * negative values and pseudo-random integers of every magnitude up to 2^64.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { printfG, printfGValue } from '../../src/model/printf-g';

function inputs(): number[] {
  const out = [
    0, 1, 7, 99999, 999999, 1000000, 1000001, 1234565, 1234575, 1869698, 1144134, 9999985, 9999995,
  ];
  out.push(99999950, 99999949, 999999500, 999999499, 99999999, 100000000, 2 ** 53, 2 ** 63, 2 ** 64 - 2048);
  out.push(-1, -999999, -1234565, -1234567);
  // 32-bit xorshift: reproducible values from 1 to 20 digits
  let x = 2463534242;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  for (let digits = 1; digits <= 19; digits++)
    for (let k = 0; k < 40; k++) {
      const hi = next() / 2 ** 32;
      out.push(Math.floor((1 + 9 * hi) * 10 ** (digits - 1)));
    }
  return out;
}

describe('printfG equals printf %g', () => {
  it('for integers of every magnitude', () => {
    const values = inputs();
    const args = values.map((v) => BigInt(v).toString());
    const p = spawnSync('printf', ['%g\\n'.repeat(args.length), ...args], { encoding: 'utf8' });
    expect(p.status, p.stderr).toBe(0);
    const expected = p.stdout.split('\n').slice(0, -1);
    expect(expected.length).toBe(values.length);
    expect(values.map((v) => printfG(v))).toEqual(expected);
    expect(values.map(printfGValue)).toEqual(expected.map(Number));
  });

  it('for a 64-bit count given as bigint: rounded to double first, as gcov does', () => {
    const v = 2n ** 64n - 1n;
    const p = spawnSync('printf', ['%g', BigInt(Number(v)).toString()], { encoding: 'utf8' });
    expect(p.status, p.stderr).toBe(0);
    expect(printfG(v)).toBe(p.stdout);
  });
});
