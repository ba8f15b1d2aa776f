/**
 * Numbers as C's printf("%g") prints them (6 significant digits). gcov 9 wrote every
 * number of its JSON output this way (its JSON numbers were doubles); from GCC 10 on,
 * integers are printed exactly. gcov's numbers are integers, so only integral values are
 * handled exactly here (glibc rounds the exact value, ties to even).
 */

/** `v` (an integer) as printf("%g", (double) v) prints it: "1234567" → "1.23457e+06". */
export function printfG(v: number | bigint): string {
  // gcov converts its 64-bit counts to double first
  const d = typeof v === 'bigint' ? Number(v) : v;
  if (!Number.isFinite(d) || !Number.isInteger(d)) return String(d);
  if (Object.is(d, -0)) return '-0';
  const sign = d < 0 ? '-' : '';
  const digits = BigInt(Math.abs(d)).toString();
  // up to 6 digits: %g prints the integer as it is
  if (digits.length <= 6) return sign + digits;
  let head = BigInt(digits.slice(0, 6));
  const rest = digits.slice(6);
  const half = '5'.padEnd(rest.length, '0');
  if (rest > half || (rest === half && head % 2n === 1n)) head++;
  let exp = digits.length - 1;
  let mant = head.toString();
  if (mant.length > 6) {
    // 999999.5… rounded up to 1000000
    exp++;
    mant = mant.slice(0, 6);
  }
  const frac = mant.slice(1).replace(/0+$/, '');
  return `${sign}${mant[0]}${frac ? '.' + frac : ''}e+${exp < 10 ? '0' : ''}${exp}`;
}

/** The value a JSON reader (lcov's geninfo) gets from gcov 9's text for `v`. */
export const printfGValue = (v: number): number => Number(printfG(v));
