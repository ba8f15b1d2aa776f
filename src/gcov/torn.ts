/**
 * Counters that look torn. On a 32-bit target libgcov's 64-bit counters are updated as two
 * 32-bit words, so an image taken while the program runs can hold a counter whose high
 * word was carried without its low word (or the reverse): a value off by 2^32. Such a
 * counter is reported, never changed: the .gcda keeps what the image holds.
 *
 * The rule (32-bit targets only, counter kinds that count events, i.e. merged by adding):
 * a counter is flagged when
 *  - its high word is 0xffffffff: as a signed gcov_type it is negative, which no count is; or
 *  - its high word is not zero and it lies at least 2^32 away from every other counter of
 *    the same function and kind (there must be at least one other). A real count above
 *    2^32 normally has neighbours of its size (the counts of a function's arcs are linked
 *    by flow conservation), while a carry that went astray moves one counter by 2^32.
 * A real loop run 2^32 times more often than any other arc of its function is flagged too:
 * the warning asks for a look, it is not proof. A low word carried without its high word
 * (a value 2^32 too small) usually escapes the rule.
 */
import type { TargetMemory } from './memory';
import type { InfoRecord } from './walker';

export interface TornCounter {
  /** The .gcda path recorded in the image. */
  readonly file: string;
  /** Index in the record's functions[]. */
  readonly function: number;
  readonly ident: number;
  /** gcov's name of the counter kind (e.g. arcs). */
  readonly kind: string;
  /** Index of the counter within the function's counters of that kind. */
  readonly index: number;
  /** The value as read (unsigned 64-bit). */
  readonly value: bigint;
  readonly why: 'negative' | 'isolated';
}

const TWO32 = 4294967296;

/** The record's counters that look torn, in file order; none on 64-bit targets. */
export function tornCounters(rec: InfoRecord, mem: TargetMemory): TornCounter[] {
  const out: TornCounter[] = [];
  if (mem.wordSize !== 4) return out;
  const r = mem.r;
  const nk = rec.kinds.length;
  for (let fi = 0; fi < rec.slots.length; fi++) {
    const fo = rec.slots[fi]!;
    if (fo < 0) continue;
    for (let j = 0; j < nk; j++) {
      const kind = rec.format.counters[rec.kinds[j]!]!;
      if (kind.merge !== 'add') continue;
      const num = rec.ctrNum[fi * nk + j]!;
      const at = rec.ctrValues[fi * nk + j]!;
      if (num === 0 || at < 0) continue;
      // candidates first: a high word is almost always zero, so most functions end here
      let candidates = 0;
      for (let i = 0; i < num; i++) if (r.u64hi(at + i * 8) !== 0) candidates++;
      if (candidates === 0) continue;
      // nearest neighbours by value (doubles: rounding far below 2^32 is harmless here)
      const values = new Float64Array(num);
      for (let i = 0; i < num; i++) values[i] = r.u64hi(at + i * 8) * TWO32 + r.u64lo(at + i * 8);
      const sorted = values.slice().sort();
      for (let i = 0; i < num; i++) {
        const hi = r.u64hi(at + i * 8);
        if (hi === 0) continue;
        let why: TornCounter['why'] | undefined;
        if (hi === 0xffffffff) why = 'negative';
        else if (num > 1 && isolated(sorted, values[i]!)) why = 'isolated';
        if (why === undefined) continue;
        out.push({
          file: rec.filename,
          function: fi,
          ident: r.u32(fo + rec.layout.fnIdent),
          kind: kind.name,
          index: i,
          value: (BigInt(hi) << 32n) | BigInt(r.u64lo(at + i * 8)),
          why,
        });
      }
    }
  }
  return out;
}

/** `v` (one of `sorted`) is at least 2^32 away from every other value of `sorted`. */
function isolated(sorted: Float64Array, v: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  // sorted[lo] is v itself; its neighbours are the nearest other values
  const below = lo > 0 ? v - sorted[lo - 1]! : Infinity;
  const above = lo + 1 < sorted.length ? sorted[lo + 1]! - v : Infinity;
  return below >= TWO32 && above >= TWO32;
}

export function tornText(t: TornCounter): string {
  const why =
    t.why === 'negative'
      ? 'its high word is 0xffffffff (negative)'
      : 'its high word is set and it is at least 2^32 away from every other counter of the function';
  return `${t.file}: functions[${t.function}] (ident 0x${t.ident.toString(16)}) ${t.kind} counter ${t.index} = ${t.value} looks torn (${why}); written as read`;
}
