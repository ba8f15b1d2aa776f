/**
 * The arc counters of each notes function as gcov reads them from a .gcda, damaged or not.
 * readGcda is strict (it refuses a file with a record past its end); gcov instead reads
 * record by record and keeps what it read before the damage. These are the rules it
 * follows (checked with gcov 9 to 15 on the fuzzer's pairs, test/fuzz/README.md):
 *
 * - a magic that is not a .gcda's, or a stamp that is not the notes': no counter at all
 *   (every count 0), but a data file was given, so functions without counters are left out;
 * - the version word is not checked: the file is read in the notes' format;
 * - the records end at a zero tag or at the end of the file; a record of another tag is
 *   skipped by its length, however long (past the end: the records end there);
 * - a FUNCTION record of the standard length selects the notes function of its ident (the
 *   last one with it), none if there is none; a mismatching checksum ends the reading;
 *   a FUNCTION record of another length leaves the selection as it was;
 * - an arcs counter record of the selected function must hold exactly its counters (else
 *   the reading ends); they are added to what it has (int64, wrapping), a compacted one
 *   (negative length) adds nothing;
 * - condition and path records (GCC 14, 15) of the selected function must hold 2 counters
 *   per condition, one bit per prime path, of its notes (else the reading ends); or-ed;
 * - a counter cut by the end of the file reads as 0, and the reading ends with that record.
 *
 * GCC 12+ reads a length of 2^31 or more as negative, that is as an empty record. Before
 * GCC 12 the file position is kept in 32-bit words, so a long skip wraps around; a skip that
 * lands before the record it ends (gcov would read records again, or forever) is refused.
 */
import { WordReader } from './bytes';
import { InputError, hex } from './errors';
import { MAGIC, TAG, counterTag } from './format';
import { nextRecord, type Gcno, type GcnoFunction } from './gcno';
import { measuredArcCount } from './solve';

/**
 * A function's counters by kind index. The arcs (kind 0) are numbers while every value and
 * sum is exact as one (below 2^53 and not negative: every real run), else int64 bigints;
 * the other kinds are bit sets, always bigints.
 */
export type KindCounters = Map<number, bigint[] | number[]>;

export interface GcovArcCounters {
  /**
   * Counters per notes function that got any, by kind index: arcs summed over its records
   * (int64), conditions and paths (bit sets) or-ed.
   */
  readonly counters: Map<GcnoFunction, KindCounters>;
  /** Why (part of) the file was not used, in reading order; none for a sound file. */
  readonly problems: InputError[];
}

const MASK64 = (1n << 64n) - 1n;
const SIGN64 = 1n << 63n;
/** Two's complement int64 of a 64-bit pattern (gcov_type is signed). */
const int64 = (v: bigint): bigint => (v & SIGN64 ? (v & MASK64) - (1n << 64n) : v & MASK64);

export function readArcCountersAsGcov(gcno: Gcno, bytes: Uint8Array, file: string): GcovArcCounters {
  const format = gcno.format;
  const counters = new Map<GcnoFunction, KindCounters>();
  const bitKinds = new Map<number, number>();
  format.counters.forEach((k, i) => {
    if (k.name === 'conditions' || k.name === 'paths') bitKinds.set(counterTag(i), i);
  });
  const kindsOf = (g: GcnoFunction): KindCounters => {
    let kinds = counters.get(g);
    if (!kinds) counters.set(g, (kinds = new Map()));
    return kinds;
  };
  const of = (g: GcnoFunction, kind: number, n: number): bigint[] => {
    const kinds = kindsOf(g);
    let v = kinds.get(kind) as bigint[] | undefined;
    if (!v) kinds.set(kind, (v = new Array<bigint>(n).fill(0n)));
    return v;
  };
  const problems: InputError[] = [];
  const end = bytes.length;
  const le = new WordReader(bytes, true);
  let little = true;
  const first = end >= 4 ? le.u32(0) : 0;
  if (first !== MAGIC.GCDA) {
    if (end >= 4 && new WordReader(bytes, false).u32(0) === MAGIC.GCDA) little = false;
    else {
      problems.push(new InputError(file, 0, 'bad-magic', 'not a gcov data file: every count is 0'));
      return { counters, problems };
    }
  }
  const r = little ? le : new WordReader(bytes, false);
  // Past the end of the file a read gives 0 (and marks the record as cut).
  let cut = false;
  const u32 = (at: number): number => {
    if (at + 4 <= end) return r.u32(at);
    cut = true;
    return 0;
  };
  const u64 = (at: number): bigint => {
    // a counter is two words, the low one first, each in the file's byte order
    if (at + 8 <= end) return (BigInt(r.u32(at + 4)) << 32n) | BigInt(r.u32(at));
    cut = true;
    return 0n;
  };
  const stamp = u32(8);
  if (stamp !== gcno.stamp || cut) {
    problems.push(
      new InputError(
        file,
        8,
        'checksum',
        `stamp ${hex(stamp)} is not the notes' ${hex(gcno.stamp)}: every count is 0`,
      ),
    );
    return { counters, problems };
  }
  const byIdent = new Map<number, GcnoFunction>();
  for (let i = 0; i < gcno.functions.length; i++) byIdent.set(gcno.functions[i]!.ident, gcno.functions[i]!);
  const fnLength = 3 * (format.lengthInBytes ? 4 : 1);
  const arcsTag = counterTag(0);
  let pos = format.infoChecksum ? 16 : 12;
  let fn: GcnoFunction | undefined;
  for (;;) {
    const at = pos;
    if (at + 4 > end) break;
    const tag = r.u32(at);
    if (tag === 0) break;
    const length = u32(at + 4);
    const base = at + 8;
    // With compacted records (GCC 11+) the length is an int: 2^31 and more is negative.
    let signed = format.zeroCompaction ? length | 0 : length;
    if (tag === TAG.FUNCTION && length === fnLength) {
      const ident = u32(base);
      fn = byIdent.get(ident);
      if (fn && (u32(base + 4) !== fn.linenoChecksum || u32(base + 8) !== fn.cfgChecksum)) {
        problems.push(mismatch(file, at, fn));
        break;
      }
    } else if (tag === arcsTag && fn) {
      const size = format.zeroCompaction ? Math.abs(length | 0) : length;
      const n = measuredArcCount(fn);
      if (size !== n * 2 * (format.lengthInBytes ? 4 : 1)) {
        problems.push(mismatch(file, at, fn));
        break;
      }
      if (!(format.zeroCompaction && (length | 0) < 0)) {
        const kinds = kindsOf(fn);
        const prev = kinds.get(0);
        // as numbers, until a value or a sum would not be exact (see KindCounters)
        let done = 0;
        if (prev === undefined || typeof prev[0] !== 'bigint') {
          const sums = (prev as number[] | undefined) ?? new Array<number>(n).fill(0);
          done = addExact(sums, r, base, Math.min(n, Math.floor((end - base) / 8)));
          kinds.set(0, sums);
        }
        if (done < n) {
          const sums = kinds.get(0)!.map((v) => BigInt(v));
          kinds.set(0, sums);
          for (let i = done; i < n; i++) {
            const v = u64(base + 8 * i);
            if (v !== 0n) sums[i] = int64(sums[i]! + int64(v));
          }
        }
      }
    } else if (bitKinds.has(tag) && fn) {
      // one pair of bit sets per condition; one bit per prime path
      const kind = bitKinds.get(tag)!;
      const n =
        format.counters[kind]!.name === 'conditions' ? 2 * fn.conditions.length : Math.ceil(fn.paths / 64);
      const size = format.zeroCompaction ? Math.abs(length | 0) : length;
      if (size !== n * 2 * (format.lengthInBytes ? 4 : 1)) {
        problems.push(mismatch(file, at, fn));
        break;
      }
      if ((length | 0) > 0 || !format.zeroCompaction) {
        // counters past the end read 0 (nothing to or): the set holds no more than the file
        // has, whatever count damaged notes give (prime paths are a 32-bit number)
        const inFile = Math.min(n, Math.max(0, Math.floor((end - base) / 8)));
        const bits = of(fn, kind, inFile);
        for (let i = 0; i < inFile; i++) bits[i] = bits[i]! | (u64(base + 8 * i) & MASK64);
        if (inFile < n) cut = true;
      }
    }
    if (cut) {
      problems.push(
        new InputError(
          file,
          at,
          'truncated',
          `record ${hex(tag)} runs past the end of the file: the rest is not read`,
        ),
      );
      break;
    }
    if (format.zeroCompaction && signed < 0) signed = 0;
    const next = nextRecord(base, signed, format.lengthInBytes);
    if (next <= at) {
      throw new InputError(
        file,
        at,
        'bad-record',
        `record ${hex(tag)} of length ${hex(length)} wraps the file position back to ${hex(next)}: gcov would read records again`,
      );
    }
    pos = next;
  }
  return { counters, problems };
}

/** Largest exact number. */
const MAX = Number.MAX_SAFE_INTEGER;

/**
 * Adds the first `n` counters of a record to `sums` as numbers, up to the first that is
 * 2^53 or more as a value or a sum, or negative as an int64 (its high word 2^21 or more):
 * returns how many were added.
 */
function addExact(sums: number[], r: WordReader, base: number, n: number): number {
  for (let i = 0; i < n; i++) {
    const lo = r.u32(base + 8 * i);
    const hi = r.u32(base + 8 * i + 4);
    if (hi >= 0x200000) return i;
    const sum = sums[i]! + (hi * 0x100000000 + lo);
    if (sum > MAX) return i;
    sums[i] = sum;
  }
  return n;
}

const mismatch = (file: string, at: number, fn: GcnoFunction): InputError =>
  new InputError(file, at, 'checksum', `profile mismatch for '${fn.name}': the rest is not read`);
