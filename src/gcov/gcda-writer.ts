/**
 * Writes .gcda files exactly as libgcov of the record's release writes them on a first
 * run (no earlier file to merge with): header, summary, function records in functions[]
 * order, one counter record per active kind, closing zero word; target byte order.
 */
import { WordWriter } from './bytes';
import { crc32Unsigned } from './crc32';
import { MAGIC, TAG, counterTag, type GcovFormat } from './format';
import type { TargetMemory } from './memory';
import { scanMax, siteKey, type CounterMax, type CounterSet, type InfoRecord } from './walker';

export interface GcdaFile {
  /** The .gcda path recorded in the image (gcov_info.filename). */
  readonly path: string;
  /** The whole file; empty when `parts` is set. */
  readonly bytes: Uint8Array;
  /** extractImage with `parts: true`: the file as pieces to write in order (see writeGcdaParts). */
  readonly parts?: readonly Uint8Array[];
  readonly record: InfoRecord;
}

/** Whole-program figures libgcov computes over the entire list before writing any file. */
export interface ProgramSummary {
  /** Largest arcs counter, as signed 64-bit (negative values never win). */
  readonly runMaxHi: number;
  readonly runMaxLo: number;
  /** GCC <= 8 only. */
  readonly checksum: number;
  readonly num: number;
  readonly sumAll: bigint;
  readonly histogram: Map<number, { num: number; min: bigint; cum: bigint }>;
}

const ARCS = 0;

export function programSummary(records: readonly InfoRecord[], mem: TargetMemory): ProgramSummary {
  let runMaxHi = 0;
  let runMaxLo = 0;
  const oldStyle = records.some((r) => r.format.summary !== 'object');
  let checksum = 0;
  let num = 0;
  let sumAll = 0n;
  const values: bigint[] = [];
  const r = mem.r;
  for (const rec of records) {
    if (oldStyle) {
      checksum = crc32Unsigned(checksum, rec.stamp);
      checksum = crc32Unsigned(checksum, rec.slots.length);
    }
    if (!oldStyle && rec.arcsMax) {
      // found during the walk: nothing else to do here for this record
      const m = rec.arcsMax;
      if (m.hi > runMaxHi || (m.hi === runMaxHi && m.lo > runMaxLo)) {
        runMaxHi = m.hi;
        runMaxLo = m.lo;
      }
      continue;
    }
    const L = rec.layout;
    const hasArcs = rec.kinds[0] === ARCS;
    const nk = rec.kinds.length;
    for (let fi = 0; fi < rec.slots.length; fi++) {
      const fo = rec.slots[fi]!;
      if (fo < 0) {
        if (oldStyle) {
          checksum = crc32Unsigned(checksum, 0);
          checksum = crc32Unsigned(checksum, 0);
        }
        continue;
      }
      if (oldStyle) {
        checksum = crc32Unsigned(checksum, r.u32(fo + L.fnCfgChecksum));
        checksum = crc32Unsigned(checksum, r.u32(fo + L.fnLinenoChecksum));
      }
      if (!hasArcs) continue;
      const arcs = { num: rec.ctrNum[fi * nk]!, values: rec.ctrValues[fi * nk]! };
      if (oldStyle) {
        num += arcs.num;
        checksum = crc32Unsigned(checksum, arcs.num);
      }
      if (arcs.num === 0) continue;
      const first = mem.target.little && !oldStyle ? mem.wordIndex(arcs.values) : -1;
      if (first >= 0) {
        // hot path: aligned little-endian counters read as host words (x86 and arm hosts)
        scratch.hi = runMaxHi;
        scratch.lo = runMaxLo;
        scanMax(mem.words32i, first, first + arcs.num * 2, scratch);
        runMaxHi = scratch.hi;
        runMaxLo = scratch.lo;
        continue;
      }
      for (let i = 0; i < arcs.num; i++) {
        const at = arcs.values + i * 8;
        const lo = r.u64lo(at);
        const hi = r.u64hi(at);
        if (hi > runMaxHi && hi < 0x80000000) {
          runMaxHi = hi;
          runMaxLo = lo;
        } else if (hi === runMaxHi && lo > runMaxLo) {
          runMaxLo = lo;
        }
        if (oldStyle) {
          const v = BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
          sumAll += v;
          values.push(v);
        }
      }
    }
  }
  const histogram = new Map<number, { num: number; min: bigint; cum: bigint }>();
  const runMax = (BigInt(runMaxHi) << 32n) | BigInt(runMaxLo);
  for (const v of values) {
    const b = histogramBucket(v);
    const e = histogram.get(b) ?? { num: 0, min: runMax, cum: 0n };
    e.num++;
    e.cum += v;
    if (v < e.min) e.min = v;
    histogram.set(b, e);
  }
  return { runMaxHi, runMaxLo, checksum, num, sumAll, histogram };
}

const scratch: CounterMax = { hi: 0, lo: 0 };

/** gcov_histo_index: 4 sub-buckets per power of two, values 0 and 1 alone. */
export function histogramBucket(value: bigint): number {
  const v = BigInt.asUintN(64, value);
  if (v < 2n) return Number(v);
  const r = v.toString(2).length - 1;
  return (r - 1) * 4 + Number((v >> BigInt(r - 2)) & 3n);
}

/** Writes one file; into `arena` (at least sizeBound(rec) bytes) when given. */
export function writeGcda(
  rec: InfoRecord,
  mem: TargetMemory,
  prog: ProgramSummary,
  arena?: Uint8Array,
): Uint8Array {
  return writeGcdaTo(rec, mem, prog, arena).finish();
}

/**
 * The same bytes as writeGcda, as pieces to write in order (e.g. with writev): headers and
 * short counter runs in `arena` (at least sizeBound(rec) bytes), counter runs of at least
 * VIEW_MIN bytes as views on the image itself when they need no transformation
 * (little-endian target), so they are not copied. The pieces share `arena`: use them
 * before the arena is reused. The arena holds the file from its start, each view's place
 * left as a hole of its length: so `arena` up to the file's length is the whole file but
 * for the views, with no copying (see extract.ts's self-check).
 */
export function writeGcdaParts(
  rec: InfoRecord,
  mem: TargetMemory,
  prog: ProgramSummary,
  arena: Uint8Array,
  viewMin = VIEW_MIN,
): Uint8Array[] {
  const parts: Uint8Array[] = [];
  const out = writeGcdaTo(rec, mem, prog, arena, mem.target.little ? parts : undefined, viewMin);
  const rest = out.take();
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/** Counter runs this long or longer are referenced by writeGcdaParts, shorter ones copied (a view costs an allocation). */
export const VIEW_MIN = 512;

function writeGcdaTo(
  rec: InfoRecord,
  mem: TargetMemory,
  prog: ProgramSummary,
  arena?: Uint8Array,
  parts?: Uint8Array[],
  viewMin = VIEW_MIN,
): WordWriter {
  const f = rec.format;
  // counters are mostly kept by reference, so headers are what the buffer holds; it grows if needed
  const out = new WordWriter(
    mem.target.little,
    arena ? 0 : 256 + rec.slots.length * (20 + 72 * rec.kinds.length),
    arena,
  );
  const len = (counters: number): number => (f.lengthInBytes ? counters * 8 : counters * 2);
  out.u32(MAGIC.GCDA);
  out.u32(rec.version.word);
  out.u32(rec.stamp);
  if (f.infoChecksum) out.u32(rec.checksum ?? 0);
  writeSummary(out, f, prog);
  const L = rec.layout;
  const r = mem.r;
  for (let i = 0; i < rec.slots.length; i++) {
    const fo = rec.slots[i]!;
    out.u32(TAG.FUNCTION);
    if (fo < 0) {
      out.u32(0); // placeholder: NULL entry or a COMDAT copy owned by another object
      continue;
    }
    out.u32(f.lengthInBytes ? 12 : 3);
    out.u32(r.u32(fo + L.fnIdent));
    out.u32(r.u32(fo + L.fnLinenoChecksum));
    out.u32(r.u32(fo + L.fnCfgChecksum));
    for (let j = 0; j < rec.kinds.length; j++) {
      const kind = rec.kinds[j]!;
      const num = rec.ctrNum[i * rec.kinds.length + j]!;
      const values = rec.ctrValues[i * rec.kinds.length + j]!;
      const sites = rec.topn.size === 0 ? undefined : rec.topn.get(siteKey(i, j));
      out.u32(counterTag(kind));
      if (sites) {
        writeTopnLists(out, { kind, num, values, sites }, mem, len);
      } else if (f.zeroCompaction && allZero(mem, values, num)) {
        out.u32(-len(num));
      } else {
        out.u32(len(num));
        const merge = f.counters[kind]!.merge;
        if (merge === 'topn' || merge === 'icall_topn')
          writeTopnGroups(out, mem, { kind, num, values }, merge);
        else if (parts !== undefined && num * 8 >= viewMin) {
          // little-endian memory holds each counter as the file does: reference it
          parts.push(out.take());
          parts.push(mem.bytes.subarray(values, values + num * 8));
          out.skip(num * 8); // its place in the arena stays free: see writeGcdaParts
        } else copyCounters(out, mem, values, num);
      }
    }
  }
  out.u32(0);
  return out;
}

/** Bytes the file can take at most, so the buffer never grows while writing. */
export function sizeBound(rec: InfoRecord): number {
  let n = 16 + 8 + (rec.format.summary === 'object' ? 8 : 4 * (17 + 8 + 5 * 256)) + 4;
  for (const fo of rec.slots) n += fo < 0 ? 8 : 20 + 8 * rec.kinds.length;
  for (const num of rec.ctrNum) n += num * 8;
  for (const sites of rec.topn.values()) for (const s of sites) n += 16 + s.nodes.length * 16;
  return n;
}

function writeSummary(out: WordWriter, f: GcovFormat, p: ProgramSummary): void {
  if (f.summary === 'object') {
    out.u32(TAG.OBJECT_SUMMARY);
    out.u32(f.lengthInBytes ? 8 : 2);
    out.u32(1); // runs
    out.u32(p.runMaxLo); // sum_max, one word on disk
    return;
  }
  const buckets = [...p.histogram.keys()].sort((a, b) => a - b);
  const histogram = f.summary === 'program-histogram';
  out.u32(TAG.PROGRAM_SUMMARY);
  out.u32(9 + (histogram ? 8 + 5 * buckets.length : 0));
  out.u32(p.checksum);
  out.u32(p.num);
  out.u32(1); // runs
  counter64(out, p.sumAll);
  out.counter(p.runMaxHi, p.runMaxLo);
  out.counter(p.runMaxHi, p.runMaxLo); // sum_max = run_max on a first run
  if (!histogram) return;
  const bits = new Uint32Array(8);
  for (const b of buckets) bits[b >>> 5]! |= 1 << (b & 31);
  for (const word of bits) out.u32(word);
  for (const b of buckets) {
    const e = p.histogram.get(b)!;
    out.u32(e.num);
    counter64(out, e.min);
    counter64(out, e.cum);
  }
}

function counter64(out: WordWriter, v: bigint): void {
  const u = BigInt.asUintN(64, v);
  out.counter(Number(u >> 32n), Number(u & 0xffffffffn));
}

function allZero(mem: TargetMemory, values: number, num: number): boolean {
  const first = mem.wordIndex(values);
  if (first >= 0) {
    // word-wise (byte order does not matter for zero), stopping at the first non-zero word (usually the first)
    const words = mem.words32i;
    const end = first + num * 2;
    for (let i = first; i < end; i++) if (words[i] !== 0) return false;
    return true;
  }
  const bytes = mem.bytes;
  const end = values + num * 8;
  for (let i = values; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** Memory holds counters as native 64-bit values; disk holds low word then high word. */
function copyCounters(out: WordWriter, mem: TargetMemory, at: number, num: number): void {
  if (num === 0) return;
  // little-endian memory already holds each counter low word first: one block copy
  if (mem.target.little) return out.bytes(mem.bytes.subarray(at, at + num * 8));
  const r = mem.r;
  for (let i = 0; i < num; i++) out.counter(r.u64hi(at + i * 8), r.u64lo(at + i * 8));
}

/** In-memory TOPN group before GCC 11: a leading counter, then 4 (value, count) pairs. */
const TOPN_GROUP = 9;

/**
 * libgcov tidies fixed-size TOPN groups before writing: GCC 10 drops pairs whose count
 * is below the group's leading total; GCC 5-9 sort indirect-call pairs by count,
 * largest first (stable). Counters are signed.
 */
function writeTopnGroups(
  out: WordWriter,
  mem: TargetMemory,
  c: CounterSet,
  merge: 'topn' | 'icall_topn',
): void {
  const r = mem.r;
  const read = (i: number): bigint =>
    BigInt.asIntN(64, (BigInt(r.u64hi(c.values + i * 8)) << 32n) | BigInt(r.u64lo(c.values + i * 8)));
  for (let g = 0; g + TOPN_GROUP <= c.num; g += TOPN_GROUP) {
    const lead = read(g);
    let pairs: [bigint, bigint][] = [];
    for (let p = 0; p < 4; p++) pairs.push([read(g + 1 + 2 * p), read(g + 2 + 2 * p)]);
    if (merge === 'topn') pairs = pairs.map(([v, n]) => (n < lead ? [0n, 0n] : [v, n]));
    else pairs = insertionSortByCount(pairs);
    counter64(out, lead);
    for (const [v, n] of pairs) {
      counter64(out, v);
      counter64(out, n);
    }
  }
  // a tail shorter than a group (never emitted by GCC) is copied unchanged
  const rest = c.num % TOPN_GROUP;
  if (rest) copyCounters(out, mem, c.values + (c.num - rest) * 8, rest);
}

/** Stable sort by count, largest first: libgcov's order for indirect-call pairs. */
export function insertionSortByCount(pairs: [bigint, bigint][]): [bigint, bigint][] {
  const a = [...pairs];
  for (let j = 1; j < a.length; j++) {
    const cur = a[j]!;
    let k = j - 1;
    while (k >= 0 && a[k]![1] < cur[1]) {
      a[k + 1] = a[k]!;
      k--;
    }
    a[k + 1] = cur;
  }
  return a;
}

/** GCC >= 11: per site the total, the list length, then (value, count) per list node. */
function writeTopnLists(out: WordWriter, c: CounterSet, mem: TargetMemory, len: (n: number) => number): void {
  const sites = c.sites!;
  let pairs = 0;
  for (const s of sites) pairs += s.nodes.length;
  out.u32(len(2 * sites.length + 2 * pairs));
  const r = mem.r;
  for (const s of sites) {
    out.counter(r.u64hi(s.total), r.u64lo(s.total));
    out.counter(0, s.nodes.length);
    for (const n of s.nodes) {
      out.counter(r.u64hi(n), r.u64lo(n));
      out.counter(r.u64hi(n + 8), r.u64lo(n + 8));
    }
  }
}
