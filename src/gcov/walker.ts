/**
 * Walks the list of struct gcov_info records in a target memory image. Every pointer is
 * translated and checked against the image; every walk is bounded, so a corrupt image
 * yields problems, never a hang. Counter values stay in the image: records hold offsets.
 */
import { crc32Unsigned } from './crc32';
import { InputError, hex } from './errors';
import { releaseOf, type GcovFormat } from './format';
import { infoLayout, type InfoLayout } from './info-layout';
import type { TargetMemory } from './memory';
import { versionText, type GccVersion } from './version';

export interface TopnSite {
  /** Image offset of the site's first in-memory counter (the total). */
  readonly total: number;
  /** Image offsets of the gcov_kvp nodes, in list order. */
  readonly nodes: readonly number[];
}

export interface CounterSet {
  /** Index into the release's counter kinds (the merge[] slot, also the tag). */
  readonly kind: number;
  readonly num: number;
  /** Image offset of values[0]; -1 when num is 0 (the pointer is NULL then). */
  readonly values: number;
  /** TOPN / indirect-call lists (GCC >= 11). */
  readonly sites?: readonly TopnSite[];
}

export interface FunctionData {
  /** Image offset of the gcov_fn_info. */
  readonly offset: number;
  readonly ident: number;
  readonly linenoChecksum: number;
  readonly cfgChecksum: number;
  readonly counters: readonly CounterSet[];
}

/** NULL entry, or a COMDAT copy kept in another object (key != this gcov_info). */
export interface Placeholder {
  readonly placeholder: 'null' | 'foreign';
}

export type FunctionSlot = FunctionData | Placeholder;

export const isPlaceholder = (f: FunctionSlot): f is Placeholder => 'placeholder' in f;

export interface InfoRecord {
  /** Position in the list, from the head. */
  readonly index: number;
  readonly offset: number;
  readonly address: bigint;
  readonly version: GccVersion;
  readonly format: GcovFormat;
  readonly layout: InfoLayout;
  readonly stamp: number;
  readonly checksum: number | undefined;
  readonly filename: string;
  readonly kinds: readonly number[];
  /**
   * functions[]: per entry the image offset of its gcov_fn_info, or NULL_SLOT / FOREIGN_SLOT.
   * The compact form the writer reads; `functions` is the same as objects, built on demand.
   */
  readonly slots: Float64Array;
  /** TOPN / indirect-call lists (GCC >= 11), keyed by siteKey(function index, ctr index). */
  readonly topn: ReadonlyMap<number, readonly TopnSite[]>;
  /** Counters in the record's own functions, all kinds. */
  readonly counterCount: number;
  /** Per (function i, active kind j) at i * kinds.length + j: counter count and values offset (-1: none). */
  readonly ctrNum: Uint32Array;
  readonly ctrValues: Float64Array;
  /**
   * The largest non-negative arcs counter of the record's functions (0 when none), found
   * during the walk while those counters are in the cache; undefined when not computed
   * there (big-endian target, unaligned counters, no arcs kind).
   */
  readonly arcsMax: { readonly hi: number; readonly lo: number } | undefined;
  /**
   * The object checksum recomputed from the functions (crc32 of ident, lineno and cfg
   * checksums in order), found during the walk; undefined when the release has none or
   * a functions[] entry is a placeholder.
   */
  readonly fnChecksum?: number | undefined;
  readonly functions: readonly FunctionSlot[];
}

export const NULL_SLOT = -1;
export const FOREIGN_SLOT = -2;
export const siteKey = (fnIndex: number, ctr: number): number => fnIndex * 64 + ctr;
const NULL_PLACEHOLDER: Placeholder = Object.freeze({ placeholder: 'null' });
const FOREIGN_PLACEHOLDER: Placeholder = Object.freeze({ placeholder: 'foreign' });

function materialize(mem: TargetMemory, rec: Omit<InfoRecord, 'functions'>): FunctionSlot[] {
  const out: FunctionSlot[] = [];
  const L = rec.layout;
  rec.slots.forEach((fo, i) => {
    if (fo === NULL_SLOT) return void out.push(NULL_PLACEHOLDER);
    if (fo === FOREIGN_SLOT) return void out.push(FOREIGN_PLACEHOLDER);
    const counters: CounterSet[] = rec.kinds.map((kind, j) => {
      const num = rec.ctrNum[i * rec.kinds.length + j]!;
      const values = rec.ctrValues[i * rec.kinds.length + j]!;
      const sites = rec.topn.get(siteKey(i, j));
      return sites ? { kind, num, values, sites } : { kind, num, values };
    });
    out.push({
      offset: fo,
      ident: mem.r.u32(fo + L.fnIdent),
      linenoChecksum: mem.r.u32(fo + L.fnLinenoChecksum),
      cfgChecksum: mem.r.u32(fo + L.fnCfgChecksum),
      counters,
    });
  });
  return out;
}

export interface WalkResult {
  readonly records: InfoRecord[];
  /** Records skipped or lists cut short, each naming the record and offset. */
  readonly problems: InputError[];
  /** Number of list entries visited (good or bad). */
  readonly visited: number;
}

const MAX_NAME = 4096;

export function walkInfoList(mem: TargetMemory, headOffset: number, file: string): WalkResult {
  const w = mem.wordSize;
  const nextField = w; // `next` follows the u32 version at natural alignment in every release
  const problems: InputError[] = [];
  const parsed: InfoRecord[] = [];
  const seen = new Set<number>();
  const pool = new ArrayPool();
  let off: number | null = headOffset;
  let index = 0;
  while (off !== null) {
    if (seen.has(off)) {
      problems.push(
        new InputError(
          file,
          off,
          'pointer-loop',
          `gcov_info list loops back to record at ${mem.describe(off)}`,
        ),
      );
      break;
    }
    seen.add(off);
    if (!mem.contains(off, nextField + w)) {
      problems.push(
        new InputError(
          file,
          undefined,
          'bad-pointer',
          `gcov_info #${index} pointer ${hex(mem.addressOf(off))} lies outside the image (size ${hex(mem.size)})`,
        ),
      );
      break;
    }
    try {
      parsed.push(readInfo(mem, off, index, file, pool));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(e);
    }
    off = mem.isNullAt(off + nextField) ? null : mem.targetOffsetAt(off + nextField);
    index++;
  }
  return { records: keepOneVersion(parsed, problems, file), problems, visited: index };
}

/** One program has one compiler: records of a minority version are corrupt or foreign. */
function keepOneVersion(records: InfoRecord[], problems: InputError[], file: string): InfoRecord[] {
  if (records.length === 0) return records;
  const votes = new Map<number, number>();
  for (const r of records) votes.set(r.version.word, (votes.get(r.version.word) ?? 0) + 1);
  if (votes.size === 1) return records;
  let best = records[0]!.version;
  for (const r of records) if (votes.get(r.version.word)! > votes.get(best.word)!) best = r.version;
  return records.filter((r) => {
    if (r.version.word === best.word) return true;
    problems.push(
      new InputError(
        file,
        r.offset,
        'mixed-versions',
        `gcov_info #${r.index} (${r.filename}) has version ${versionText(r.version)} ("${r.version.tag}") but the list is GCC ${versionText(best)}: skipped`,
      ),
    );
    return false;
  });
}

/**
 * Hands out the per-record arrays as views on a few shared buffers: thousands of small
 * typed arrays each with a buffer of its own cost more in allocation and GC than the walk.
 */
/** Shared by every record without functions: nothing is ever written into them. */
const EMPTY_F64: Float64Array = new Float64Array(0);
const EMPTY_U32: Uint32Array = new Uint32Array(0);
/** Shared by every record without TOPN lists (most): never written to. */
const NO_TOPN: ReadonlyMap<number, readonly TopnSite[]> = new Map();
/** The active kinds lists met so far, by bit mask: records share them (they are never written to). */
const KINDS = new Map<number, readonly number[]>();

export class ArrayPool {
  private f64 = new Float64Array(0);
  private f64At = 0;
  private u32 = new Uint32Array(0);
  private u32At = 0;
  private static readonly CHUNK = 16384;
  float64(n: number): Float64Array {
    if (n > ArrayPool.CHUNK / 4) return new Float64Array(n);
    if (this.f64At + n > this.f64.length) {
      this.f64 = new Float64Array(ArrayPool.CHUNK);
      this.f64At = 0;
    }
    this.f64At += n;
    return this.f64.subarray(this.f64At - n, this.f64At);
  }
  uint32(n: number): Uint32Array {
    if (n > ArrayPool.CHUNK / 4) return new Uint32Array(n);
    if (this.u32At + n > this.u32.length) {
      this.u32 = new Uint32Array(ArrayPool.CHUNK);
      this.u32At = 0;
    }
    this.u32At += n;
    return this.u32.subarray(this.u32At - n, this.u32At);
  }
}

/** Per word size, the version, format and layout of each version word met so far (one per image, in practice). */
const KNOWN = {
  4: new Map<number, { version: GccVersion; format: GcovFormat; layout: InfoLayout }>(),
  8: new Map<number, { version: GccVersion; format: GcovFormat; layout: InfoLayout }>(),
};

export function readInfo(
  mem: TargetMemory,
  off: number,
  index: number,
  file: string,
  pool?: ArrayPool,
): InfoRecord {
  const w = mem.wordSize;
  const fail = (at: number, code: InputError['code'], reason: string): never => {
    throw new InputError(file, at, code, `gcov_info #${index} at ${mem.describe(off)}: ${reason}`);
  };
  const word = mem.r.u32(off);
  let known = KNOWN[w].get(word);
  if (!known) {
    const { version, format } = releaseOf(word);
    if (!version) fail(off, 'bad-version', `version word ${hex(word)} is not a GCC version`);
    if (!format)
      fail(off, 'bad-version', `GCC ${versionText(version!)} ("${version!.tag}") is not a known format`);
    known = { version: version!, format: format!, layout: infoLayout(format!, w) };
    KNOWN[w].set(word, known);
  }
  const { version, format, layout } = known;
  if (!mem.contains(off, layout.size)) fail(off, 'truncated', `record runs past the end of the image`);
  const stamp = mem.r.u32(off + layout.stamp);
  const checksum = layout.checksum === undefined ? undefined : mem.r.u32(off + layout.checksum);

  if (mem.isNullAt(off + layout.filename)) fail(off + layout.filename, 'bad-pointer', 'filename is NULL');
  const nameOff = mem.targetOffsetAt(off + layout.filename);
  const filename = mem.contains(nameOff, 1) ? mem.cString(nameOff, MAX_NAME) : undefined;
  if (filename === undefined)
    fail(
      off + layout.filename,
      'bad-pointer',
      `filename pointer ${hex(mem.pointerAt(off + layout.filename))} does not point to a string in the image`,
    );
  if (filename!.length === 0) fail(nameOff, 'bad-string', 'filename is empty');

  let mask = 0;
  for (let k = 0; k < format!.counters.length; k++)
    if (!mem.isNullAt(off + layout.merge + k * w)) mask |= 1 << k;
  let kinds = KINDS.get(mask);
  if (kinds === undefined) {
    const list: number[] = [];
    for (let k = 0; k < format!.counters.length; k++) if (mask & (1 << k)) list.push(k);
    kinds = list;
    KINDS.set(mask, kinds);
  }

  const n = mem.r.u32(off + layout.nFunctions);
  // arcs (kind 0) maximum, on little-endian targets read as host words (x86 and arm hosts)
  let scanArcs = kinds[0] === 0 && mem.target.little;
  maxScratch.hi = 0;
  maxScratch.lo = 0;
  let topn: Map<number, TopnSite[]> | undefined;
  // the object checksum over the functions, while their gcov_fn_info is in the cache
  let fnCrc = layout.checksum === undefined ? -1 : 0;
  let slots = EMPTY_F64;
  let counterCount = 0;
  let ctrNum = EMPTY_U32;
  let ctrValues = EMPTY_F64;
  if (n > 0) {
    const arr = mem.targetOffsetAt(off + layout.functions);
    if (mem.isNullAt(off + layout.functions) || !mem.contains(arr, n * w))
      fail(
        off + layout.nFunctions,
        'absurd-count',
        `n_functions ${n} with functions array at ${hex(mem.pointerAt(off + layout.functions))} does not fit in the image`,
      );
    slots = pool ? pool.float64(n) : new Float64Array(n);
    ctrNum = pool ? pool.uint32(n * kinds.length) : new Uint32Array(n * kinds.length);
    ctrValues = (pool ? pool.float64(n * kinds.length) : new Float64Array(n * kinds.length)).fill(-1);
    const fnSize = layout.fnCtrs + kinds.length * layout.ctrStride;
    for (let i = 0; i < n; i++) {
      const slot = arr + i * w;
      if (mem.isNullAt(slot)) {
        slots[i] = NULL_SLOT;
        fnCrc = -1;
        continue;
      }
      const fo = mem.targetOffsetAt(slot);
      if (!mem.contains(fo, fnSize))
        fail(slot, 'bad-pointer', `functions[${i}] = ${hex(mem.pointerAt(slot))} lies outside the image`);
      if (mem.targetOffsetAt(fo + layout.fnKey) !== off) {
        slots[i] = FOREIGN_SLOT;
        fnCrc = -1;
        continue;
      }
      slots[i] = fo;
      if (fnCrc >= 0) {
        fnCrc = crc32Unsigned(fnCrc, mem.r.u32(fo + layout.fnIdent));
        fnCrc = crc32Unsigned(fnCrc, mem.r.u32(fo + layout.fnLinenoChecksum));
        fnCrc = crc32Unsigned(fnCrc, mem.r.u32(fo + layout.fnCfgChecksum));
      }
      for (let j = 0; j < kinds.length; j++) {
        const c = fo + layout.fnCtrs + j * layout.ctrStride;
        const kind = kinds[j]!;
        const num = mem.r.u32(c + layout.ctrNum);
        if (num === 0) continue;
        counterCount += num;
        const values = mem.targetOffsetAt(c + layout.ctrValues);
        ctrNum[i * kinds.length + j] = num;
        ctrValues[i * kinds.length + j] = values;
        if (!mem.contains(values, num * 8))
          fail(
            c,
            mem.contains(values, 8) ? 'absurd-count' : 'bad-pointer',
            `functions[${i}] (ident ${hex(mem.r.u32(fo + layout.fnIdent))}) ${format!.counters[kind]!.name} counters: ${num} values at ${hex(mem.pointerAt(c + layout.ctrValues))} do not fit in the image`,
          );
        if (j === 0 && scanArcs) {
          const first = mem.wordIndex(values);
          if (first < 0) scanArcs = false;
          else scanMax(mem.words32i, first, first + num * 2, maxScratch);
        }
        if (!format!.kvpLists || format!.counters[kind]!.merge !== 'topn') continue;
        if (num % 3 !== 0)
          fail(
            c,
            'bad-record',
            `functions[${i}] ${format!.counters[kind]!.name}: ${num} is not a multiple of 3`,
          );
        const sites: TopnSite[] = [];
        for (let s = 0; s < num / 3; s++) {
          sites.push({ total: values + s * 24, nodes: kvpList(mem, layout, values + s * 24 + 16, fail) });
        }
        (topn ??= new Map()).set(siteKey(i, j), sites);
      }
    }
  }
  return new ParsedRecord(mem, {
    index,
    offset: off,
    version,
    format,
    layout,
    stamp,
    checksum,
    filename: filename!,
    kinds,
    slots,
    topn: topn ?? NO_TOPN,
    counterCount,
    ctrNum,
    ctrValues,
    arcsMax: scanArcs ? { hi: maxScratch.hi, lo: maxScratch.lo } : undefined,
    fnChecksum: fnCrc >= 0 ? fnCrc : undefined,
  });
}

const maxScratch: CounterMax = { hi: 0, lo: 0 };

/** The largest non-negative 64-bit counter met so far, as its two 32-bit halves. */
export interface CounterMax {
  hi: number;
  lo: number;
}

/**
 * Raises `m` to the largest non-negative counter in host-order words [first, end)
 * (counter i: low word at first + 2i, high word after it), read as signed words.
 */
export function scanMax(words: Int32Array, first: number, end: number, m: CounterMax): void {
  // a small function of its own, so the optimiser compiles this loop on its own. Only small
  // integers in the loop: a negative high word is a negative counter (below any maximum,
  // which is never negative), and low words compare unsigned as signed ones with the top
  // bit flipped
  let mh = m.hi | 0;
  let ml = (m.lo ^ 0x80000000) | 0;
  for (let i = first; i < end; i += 2) {
    const hi = words[i + 1]!;
    if (hi < mh) continue;
    const lo = words[i]! ^ 0x80000000;
    if (hi > mh) {
      mh = hi;
      ml = lo;
    } else if (lo > ml) ml = lo;
  }
  m.hi = mh;
  m.lo = (ml ^ 0x80000000) >>> 0;
}

/**
 * One class for every record, so they all share one shape (an object literal with its own
 * getter gets a shape of its own, and code reading thousands of them goes megamorphic).
 * `functions` is built on first use.
 */
class ParsedRecord implements InfoRecord {
  readonly index: number;
  readonly offset: number;
  readonly version: GccVersion;
  readonly format: GcovFormat;
  readonly layout: InfoLayout;
  readonly stamp: number;
  readonly checksum: number | undefined;
  readonly filename: string;
  readonly kinds: readonly number[];
  readonly slots: Float64Array;
  readonly topn: ReadonlyMap<number, readonly TopnSite[]>;
  readonly counterCount: number;
  readonly ctrNum: Uint32Array;
  readonly ctrValues: Float64Array;
  readonly arcsMax: { readonly hi: number; readonly lo: number } | undefined;
  readonly fnChecksum: number | undefined;
  readonly #mem: TargetMemory;
  #functions: FunctionSlot[] | undefined;
  constructor(mem: TargetMemory, r: Omit<InfoRecord, 'functions' | 'address'>) {
    this.index = r.index;
    this.offset = r.offset;
    this.version = r.version;
    this.format = r.format;
    this.layout = r.layout;
    this.stamp = r.stamp;
    this.checksum = r.checksum;
    this.filename = r.filename;
    this.kinds = r.kinds;
    this.slots = r.slots;
    this.topn = r.topn;
    this.counterCount = r.counterCount;
    this.ctrNum = r.ctrNum;
    this.ctrValues = r.ctrValues;
    this.arcsMax = r.arcsMax;
    this.fnChecksum = r.fnChecksum;
    this.#mem = mem;
  }
  /** Made on use: a bigint per record costs allocation and GC in the walk. */
  get address(): bigint {
    return this.#mem.addressOf(this.offset);
  }
  get functions(): readonly FunctionSlot[] {
    this.#functions ??= materialize(this.#mem, this);
    return this.#functions;
  }
}

function kvpList(
  mem: TargetMemory,
  layout: InfoLayout,
  headAt: number,
  fail: (at: number, code: InputError['code'], reason: string) => never,
): number[] {
  const nodes: number[] = [];
  const seen = new Set<number>();
  let node = mem.counterPointerOffsetAt(headAt);
  let from = headAt;
  while (node !== null) {
    if (!mem.contains(node, layout.kvpSize))
      fail(from, 'bad-pointer', `TOPN list pointer at ${mem.describe(from)} leads outside the image`);
    if (seen.has(node)) fail(node, 'pointer-loop', `TOPN list loops at ${mem.describe(node)}`);
    seen.add(node);
    nodes.push(node);
    from = node + layout.kvpNext;
    node = mem.isNullAt(from) ? null : mem.targetOffsetAt(from);
  }
  return nodes;
}
