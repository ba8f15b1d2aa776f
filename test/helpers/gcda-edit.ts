/**
 * Edits of a real .gcda for tests of damaged data: GCC 12 little-endian layout (record
 * lengths in bytes, 8-byte counters), as the gcc12-x86_64 fixtures are.
 */
import { TAG } from '../../src/gcov/format';
import type { Gcno } from '../../src/gcov/gcno';

/**
 * `gcda` with arc counter `k` of function `name` raised by `by`. Raising a counter adds flow
 * around its cycle in the spanning tree; an arc the cycle crosses backwards then solves below 0.
 */
export function raiseArcCounter(
  gcno: Gcno,
  gcda: Uint8Array,
  name: string,
  k: number,
  by: bigint,
): Uint8Array {
  const ident = gcno.functions.find((f) => f.name === name)!.ident;
  const out = gcda.slice();
  const view = new DataView(out.buffer);
  let current = -1;
  for (let at = 16; at + 8 <= out.length;) {
    const tag = view.getUint32(at, true);
    const length = view.getInt32(at + 4, true);
    if (tag === TAG.FUNCTION && length > 0) current = view.getUint32(at + 8, true);
    if (tag === TAG.COUNTER_BASE && length > 8 * k && current === ident) {
      const p = at + 8 + 8 * k;
      view.setBigUint64(p, view.getBigUint64(p, true) + by, true);
      return out;
    }
    at += 8 + Math.max(length, 0);
  }
  throw new Error(`no stored arc counter ${k} for ${name}`);
}
