/**
 * Extraction's self-check: a .gcda just made is read back with the .gcda reader and
 * compared with what the walk found in the image (header, functions and their checksums,
 * every counter), so a file never silently differs from the image. Counters are compared
 * in place, word by word, without decoding them.
 */
import type { WordReader } from './bytes';
import { InputError, hex } from './errors';
import { TAG } from './format';
import { GcdaScanner } from './gcda-reader';
import type { ProgramSummary } from './gcda-writer';
import type { TargetMemory } from './memory';
import { siteKey, type InfoRecord } from './walker';

/** In-memory TOPN group before GCC 11: a leading counter, then 4 (value, count) pairs. */
const TOPN_GROUP = 9;

/** A range of the file whose bytes are the image's own, at `image` (not copied into the file buffer). */
export interface ImageView {
  readonly at: number;
  readonly length: number;
  readonly image: number;
}

/**
 * Throws an InputError (code 'self-check', naming `path`) at the first difference between
 * the file `bytes` and the record `rec` of the image in `mem`.
 *
 * `views` (in file order) are ranges whose bytes in `bytes` are not to be read: the file
 * there is the image itself from the given offset (a counter run written straight from the
 * image). Such a range must be exactly one counter record's values, from exactly those
 * counters' address in a little-endian image: then the counters are the image's by identity.
 * Any other record touching a view is a mismatch.
 */
export function verifyGcda(...args: Parameters<typeof compareWithImage>): void {
  try {
    compareWithImage(...args);
  } catch (e) {
    // the reader's own errors: the file was ours to write, so they are self-check failures too
    if (!(e instanceof InputError) || e.code === 'self-check') throw e;
    throw new InputError(args[1], e.offset, 'self-check', `written .gcda does not read back: ${e.reason}`);
  }
}

function compareWithImage(
  bytes: Uint8Array,
  path: string,
  rec: InfoRecord,
  mem: TargetMemory,
  prog: ProgramSummary,
  views: readonly ImageView[] = [],
): void {
  const fail = (at: number, reason: string): never => {
    throw new InputError(path, at, 'self-check', `written .gcda differs from the image: ${reason}`);
  };
  const ir = mem.r;
  // host-order words of the file, when aligned (they are for every buffer extraction makes);
  // signed, as mem.words32i, for the comparing loops' sake
  const fileWords =
    bytes.byteOffset % 4 === 0
      ? new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2)
      : undefined;
  const nk = rec.kinds.length;
  let slot = 0; // functions[] entry the next FUNCTION record stands for
  let j = nk; // counter kinds of that entry seen so far (nk: none expected)
  let summaries = 0;
  let end = 0;
  let v = 0; // next view not yet behind the walk
  const scan = new GcdaScanner(bytes, path);
  const r = scan.rec;
  const cur = scan.cur;
  const fr = cur.r;
  // a plain loop with its state in locals: it runs for every record of thousands of files
  while (scan.next()) {
    end = r.body + r.size;
    v = firstViewFrom(views, v, r.at);
    if (v < views.length && views[v]!.at < r.body)
      fail(r.at, `record header at file offset ${hex(r.at)} lies in a counter run copied from the image`);
    v = firstViewFrom(views, v, r.body);
    const view = v < views.length && views[v]!.at < r.body + r.size ? views[v] : undefined;
    if (view && r.kind < 0) fail(r.at, `record ${hex(r.tag)} overlaps a counter run copied from the image`);
    if (r.tag === TAG.OBJECT_SUMMARY || r.tag === TAG.PROGRAM_SUMMARY) {
      summaries++;
      if (r.tag === TAG.OBJECT_SUMMARY) {
        const runs = cur.u32('runs');
        const sumMax = cur.u32('sum_max');
        if (runs !== 1 || sumMax !== prog.runMaxLo)
          fail(r.at, `summary runs ${runs}, sum_max ${hex(sumMax)}; expected 1, ${hex(prog.runMaxLo)}`);
      }
      continue;
    }
    if (r.tag === TAG.FUNCTION) {
      if (j !== nk) fail(r.at, `functions[${slot - 1}] has ${j} counter records, expected ${nk}`);
      if (slot >= rec.slots.length) fail(r.at, `more than ${rec.slots.length} function records`);
      const fo = rec.slots[slot]!;
      if (fo < 0) {
        if (r.size !== 0)
          fail(r.at, `functions[${slot}] is a placeholder but its record has ${r.size} bytes`);
        j = nk;
      } else {
        const L = rec.layout;
        const a = cur.u32();
        const b = cur.u32();
        const c = cur.u32();
        const ia = ir.u32(fo + L.fnIdent);
        const ib = ir.u32(fo + L.fnLinenoChecksum);
        const ic = ir.u32(fo + L.fnCfgChecksum);
        if (r.size !== 12 || a !== ia || b !== ib || c !== ic)
          fail(
            r.at,
            `functions[${slot}]: ident, lineno and cfg checksums ${[a, b, c].map(hex).join(', ')}; expected ${[ia, ib, ic].map(hex).join(', ')}`,
          );
        j = 0;
      }
      slot++;
      continue;
    }
    if (r.kind < 0) fail(r.at, `unexpected record ${hex(r.tag)}`);
    const fi = slot - 1;
    if (fi < 0 || j >= nk) fail(r.at, `counter record ${hex(r.tag)} outside a function's counters`);
    const kind = rec.kinds[j]!;
    if (r.kind !== kind) fail(r.at, `functions[${fi}]: counter kind ${r.kind}, expected ${kind}`);
    const num = rec.ctrNum[fi * nk + j]!;
    const values = rec.ctrValues[fi * nk + j]!;
    const sites = rec.topn.size === 0 ? undefined : rec.topn.get(siteKey(fi, j));

    j++;
    if (view) {
      // the file holds the image's bytes here: right if they are exactly these counters
      const merge = rec.format.counters[kind]!.merge;
      if (
        sites ||
        merge === 'topn' ||
        merge === 'icall_topn' ||
        !mem.target.little ||
        r.counters !== num ||
        view.at !== r.body ||
        view.length !== r.size ||
        view.image !== values
      )
        fail(
          r.body,
          `${what(rec, fi, kind)}: written from image offset ${hex(view.image)}, ${view.length} bytes; expected ${hex(values)}, ${num * 8} bytes`,
        );
      continue;
    }
    if (sites) {
      let pairs = 0;
      for (const s of sites) pairs += s.nodes.length;
      if (r.counters !== 2 * sites.length + 2 * pairs)
        fail(r.at, `${what(rec, fi, kind)}: ${r.counters} values, expected ${2 * sites.length + 2 * pairs}`);
      let at = r.body;
      for (const s of sites) {
        if (!sameCounter(fr, at, ir, s.total) || fr.u32(at + 8) !== s.nodes.length || fr.u32(at + 12) !== 0)
          fail(at, `${what(rec, fi, kind)}: TOPN site differs from the image at ${mem.describe(s.total)}`);
        at += 16;
        for (const n of s.nodes) {
          if (!sameCounter(fr, at, ir, n) || !sameCounter(fr, at + 8, ir, n + 8))
            fail(at, `${what(rec, fi, kind)}: TOPN entry differs from the image at ${mem.describe(n)}`);
          at += 16;
        }
      }
      continue;
    }
    if (r.counters !== num) fail(r.at, `${what(rec, fi, kind)}: ${r.counters} values, expected ${num}`);
    if (r.size === 0) {
      // written as all zero (compacted): so must the image be
      const m = mem.wordIndex(values);
      const i = m >= 0 ? firstNonZero(mem.words32i, m, num) : firstNonZeroAt(ir, values, num);
      if (i >= 0) fail(r.at, `${what(rec, fi, kind)}: written as all zero but counter ${i} is not`);
      continue;
    }
    const merge = rec.format.counters[kind]!.merge;
    if (merge === 'topn' || merge === 'icall_topn') {
      checkGroups(fr, ir, r.body, values, num, what(rec, fi, kind), fail);
      continue;
    }
    const m0 = mem.wordIndex(values);
    if (fileWords !== undefined && m0 >= 0) {
      // file: low word then high word per counter; memory: the target's 64-bit layout
      const i = firstDifference(fileWords, r.body >>> 2, mem.words32i, m0, num, mem.target.little);
      if (i >= 0)
        fail(
          r.body + 8 * i,
          `${what(rec, fi, kind)}: counter ${i} differs from the image at ${mem.describe(values + 8 * i)}`,
        );
      continue;
    }
    for (let i = 0; i < num; i++)
      if (!sameCounter(fr, r.body + 8 * i, ir, values + 8 * i))
        fail(
          r.body + 8 * i,
          `${what(rec, fi, kind)}: counter ${i} differs from the image at ${mem.describe(values + 8 * i)}`,
        );
  }
  const head = scan.header;
  if (head.version.word !== rec.version.word)
    fail(4, `version ${hex(head.version.word)}, expected ${hex(rec.version.word)}`);
  if (head.stamp !== rec.stamp) fail(8, `stamp ${hex(head.stamp)}, expected ${hex(rec.stamp)}`);
  if (head.format.infoChecksum && head.checksum !== (rec.checksum ?? 0))
    fail(12, `checksum ${hex(head.checksum ?? 0)}, expected ${hex(rec.checksum ?? 0)}`);
  if (summaries !== 1) fail(0, `${summaries} summary records, expected 1`);
  if (j !== nk) fail(end, `functions[${slot - 1}] has ${j} counter records, expected ${nk}`);
  if (slot !== rec.slots.length) fail(end, `${slot} function records, expected ${rec.slots.length}`);
  v = firstViewFrom(views, v, end);
  if (bytes.length !== end + 4 || (v < views.length && views[v]!.at < end + 4) || head.reader.u32(end) !== 0)
    fail(end, 'the file does not end with one zero word');
}

/** Index of the first view from `v` on that does not end at or before `at`. */
function firstViewFrom(views: readonly ImageView[], v: number, at: number): number {
  while (v < views.length && views[v]!.at + views[v]!.length <= at) v++;
  return v;
}

/**
 * Index of the first of `num` counters that differ between a file (low word then high word,
 * from word f) and memory (the target's 64-bit layout, from word m), or -1. Raw host-order
 * words on both sides, so no byte swapping: a function of its own for the optimiser.
 */
function firstDifference(
  fw: Int32Array,
  f: number,
  mw: Int32Array,
  m: number,
  num: number,
  little: boolean,
): number {
  if (little) {
    for (let k = 0; k < 2 * num; k++) if (fw[f + k] !== mw[m + k]) return k >>> 1;
    return -1;
  }
  for (let i = 0; i < num; i++) {
    if (fw[f + 2 * i] !== mw[m + 2 * i + 1] || fw[f + 2 * i + 1] !== mw[m + 2 * i]) return i;
  }
  return -1;
}

/** The counter at file offset `at` (low word, high word) is the image's 64-bit value at `m`. */
function sameCounter(fr: WordReader, at: number, ir: WordReader, m: number): boolean {
  return fr.u32(at) === ir.u64lo(m) && fr.u32(at + 4) === ir.u64hi(m);
}

/** Index of the first non-zero of `num` counters from word m, or -1. */
function firstNonZero(mw: Int32Array, m: number, num: number): number {
  for (let k = 0; k < 2 * num; k++) if (mw[m + k] !== 0) return k >>> 1;
  return -1;
}

function firstNonZeroAt(ir: WordReader, at: number, num: number): number {
  for (let i = 0; i < num; i++) if (ir.u64lo(at + i * 8) !== 0 || ir.u64hi(at + i * 8) !== 0) return i;
  return -1;
}

const what = (rec: InfoRecord, fi: number, kind: number): string =>
  `functions[${fi}] ${rec.format.counters[kind]!.name} counters`;

/** Pre-GCC 11 TOPN groups: libgcov tidies the pairs, so each written pair must be (0, 0) or one of the image's. */
function checkGroups(
  fr: WordReader,
  ir: WordReader,
  body: number,
  at: number,
  n: number,
  label: string,
  fail: (at: number, reason: string) => never,
): void {
  const same = (f: number, m: number): boolean => sameCounter(fr, f, ir, m);
  for (let g = 0; g + TOPN_GROUP <= n; g += TOPN_GROUP) {
    const fg = body + g * 8;
    const mg = at + g * 8;
    if (!same(fg, mg)) fail(fg, `${label}: TOPN group ${g / TOPN_GROUP} total differs from the image`);
    for (let p = 0; p < 4; p++) {
      const fp = fg + 8 + 16 * p;
      let found = fr.u32(fp) === 0 && fr.u32(fp + 4) === 0 && fr.u32(fp + 8) === 0 && fr.u32(fp + 12) === 0;
      for (let q = 0; q < 4 && !found; q++)
        found = same(fp, mg + 8 + 16 * q) && same(fp + 8, mg + 16 + 16 * q);
      if (!found) fail(fp, `${label}: TOPN group ${g / TOPN_GROUP} pair ${p} is not in the image`);
    }
  }
  for (let i = n - (n % TOPN_GROUP); i < n; i++)
    if (!same(body + 8 * i, at + 8 * i)) fail(body + 8 * i, `${label}: counter ${i} differs from the image`);
}
