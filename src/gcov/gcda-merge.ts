/**
 * Merging .gcda files of several runs of one build, as `gcov-tool merge` does: counters
 * combine by their kind's merge rule (format.ts), the object summary as that release's
 * gcov-tool writes it (format.mergedSummary), and the result is written in the release's
 * own format and the files' byte order (gcov-tool would write its host's).
 *
 * The reader here is structural: it keeps every function record in file order (also
 * placeholders, which gcov-tool misreads) and each counter record in disk form.
 */
import { WordWriter } from './bytes';
import { InputError, hex } from './errors';
import { MAGIC, TAG, counterTag, type GcovFormat, type MergeKind } from './format';
import { MAX_COUNTERS } from './gcda-reader';
import { insertionSortByCount } from './gcda-writer';
import { openGcovFile, recordBytes } from './gcno';
import { versionText, type GccVersion } from './version';

export interface CounterRecord {
  /** Kind index (0 = arcs). */
  readonly kind: number;
  /** Values in disk form (TOPN lists of GCC 11+: total, length, then value/count pairs per site). */
  values: bigint[];
}

export interface FunctionRecord {
  readonly ident: number;
  readonly linenoChecksum: number;
  readonly cfgChecksum: number;
  readonly counters: CounterRecord[];
}

export interface GcdaData {
  /** The name it was read under, for messages. */
  readonly file: string;
  readonly version: GccVersion;
  readonly format: GcovFormat;
  readonly little: boolean;
  readonly stamp: number;
  readonly checksum: number | undefined;
  runs: number;
  /** One 32-bit word on disk. */
  sumMax: number;
  /** In file order; null for a placeholder (FUNCTION record of length 0). */
  readonly functions: (FunctionRecord | null)[];
}

/** Reads a .gcda of GCC 9 or later (object summary) keeping its record order. */
export function parseGcda(bytes: Uint8Array, file: string): GcdaData {
  const { cur, version, format, little } = openGcovFile(bytes, file, MAGIC.GCDA);
  if (format.summary !== 'object')
    throw new InputError(
      file,
      4,
      'unsupported',
      `GCC ${versionText(version)}: merging supports the object summary of GCC 9 and later only`,
    );
  const stamp = cur.u32('stamp');
  const checksum = format.infoChecksum ? cur.u32('checksum') : undefined;
  let runs: number | undefined;
  let sumMax = 0;
  const functions: (FunctionRecord | null)[] = [];
  let fn: FunctionRecord | null = null;
  const nKinds = format.counters.length;
  // zeros of compacted records, all together: 8 bytes on disk must not make 32 MiB each
  let zeros = 0;
  while (cur.pos < bytes.length) {
    const at = cur.pos;
    const tag = cur.u32('tag');
    if (tag === 0) break;
    const length = cur.u32('length');
    const kind = (tag - TAG.COUNTER_BASE) >>> 17;
    const isCounter = tag >= TAG.COUNTER_BASE && ((tag - TAG.COUNTER_BASE) & 0x1ffff) === 0 && kind < nKinds;
    if (isCounter) {
      if (!fn) throw new InputError(file, at, 'bad-record', `counter record ${hex(tag)} outside a function`);
      if (fn.counters.some((c) => c.kind === kind))
        throw new InputError(file, at, 'bad-record', `second ${format.counters[kind]!.name} record`);
      const signed = length | 0;
      let n: number;
      let values: bigint[];
      if (signed < 0 && format.zeroCompaction) {
        // libgcov writes TOPN lists in full, never compacted; expanding one on writing would
        // turn a few bytes into megabytes
        if (isTopnList(format, kind))
          throw new InputError(
            file,
            at,
            'bad-record',
            `a compacted ${format.counters[kind]!.name} record (libgcov writes these lists in full)`,
          );
        n = -signed / (format.lengthInBytes ? 8 : 2);
        if (!Number.isInteger(n) || (zeros += n) > MAX_COUNTERS)
          throw new InputError(file, at, 'bad-record', `bad compacted counter length ${signed}`);
        values = new Array<bigint>(n).fill(0n);
      } else {
        const size = recordBytes(format, length);
        n = size / 8;
        if (!Number.isInteger(n) || n > MAX_COUNTERS)
          throw new InputError(file, at, 'bad-record', `counter record of ${size} bytes`);
        cur.need(size, `record ${hex(tag)}`);
        // sized once, and zero shared: most counters of a large object are zero, and a BigInt
        // per counter would hold several times the file's size
        values = new Array<bigint>(n);
        for (let i = 0; i < n; i++) {
          const v = cur.u64();
          values[i] = v === 0n ? 0n : BigInt.asIntN(64, v);
        }
      }
      if (isTopnList(format, kind)) checkTopnLists(values, file, at);
      fn.counters.push({ kind, values });
      continue;
    }
    const size = recordBytes(format, length);
    cur.need(size, `record ${hex(tag)}`);
    const end = cur.pos + size;
    if (tag === TAG.OBJECT_SUMMARY) {
      if (runs !== undefined || functions.length > 0 || size !== 8)
        throw new InputError(file, at, 'bad-record', 'unexpected object summary');
      runs = cur.u32('runs');
      sumMax = cur.u32('sum_max');
    } else if (tag === TAG.FUNCTION) {
      if (size === 0) fn = null;
      else if (size === 12)
        fn = { ident: cur.u32(), linenoChecksum: cur.u32(), cfgChecksum: cur.u32(), counters: [] };
      else throw new InputError(file, at, 'bad-record', `FUNCTION record of ${size} bytes`);
      functions.push(fn);
    } else {
      throw new InputError(file, at, 'bad-record', `unexpected record ${hex(tag)} in a .gcda`);
    }
    cur.pos = end;
  }
  if (runs === undefined) throw new InputError(file, undefined, 'bad-record', 'no object summary');
  return { file, version, format, little, stamp, checksum, runs, sumMax, functions };
}

/** GCC 11+ TOPN and indirect-call records: variable-length lists per site. */
function isTopnList(format: GcovFormat, kind: number): boolean {
  return format.kvpLists && format.counters[kind]!.merge === 'topn';
}

function checkTopnLists(values: bigint[], file: string, at: number): void {
  let i = 0;
  while (i < values.length) {
    const n = values[i + 1];
    if (n === undefined || n < 0n || i + 2 + Number(n) * 2 > values.length)
      throw new InputError(file, at, 'bad-record', `TOPN list at counter ${i} runs past its record`);
    i += 2 + Number(n) * 2;
  }
}

/** Writes the file as libgcov writes it: zero compaction where the release has it, lists as they are. */
export function writeMergedGcda(d: GcdaData): Uint8Array {
  const f = d.format;
  const out = new WordWriter(d.little, 1024);
  const len = (counters: number): number => (f.lengthInBytes ? counters * 8 : counters * 2);
  out.u32(MAGIC.GCDA);
  out.u32(d.version.word);
  out.u32(d.stamp);
  if (f.infoChecksum) out.u32(d.checksum ?? 0);
  out.u32(TAG.OBJECT_SUMMARY);
  out.u32(len(1));
  out.u32(d.runs);
  out.u32(d.sumMax);
  for (const fn of d.functions) {
    out.u32(TAG.FUNCTION);
    if (!fn) {
      out.u32(0);
      continue;
    }
    out.u32(f.lengthInBytes ? 12 : 3);
    out.u32(fn.ident);
    out.u32(fn.linenoChecksum);
    out.u32(fn.cfgChecksum);
    for (const c of fn.counters) {
      out.u32(counterTag(c.kind));
      const n = c.values.length;
      if (f.zeroCompaction && !isTopnList(f, c.kind) && c.values.every((v) => v === 0n)) {
        out.u32(-len(n));
        continue;
      }
      out.u32(len(n));
      const values =
        f.counters[c.kind]!.merge === 'topn' && !f.kvpLists ? pruneTopnGroups(c.values) : c.values;
      for (const v of values) {
        const u = BigInt.asUintN(64, v);
        out.counter(Number(u >> 32n), Number(u & 0xffffffffn));
      }
    }
  }
  out.u32(0);
  return out.finish();
}

/**
 * GCC 10 libgcov (and gcov-tool) write a TOPN group without the pairs whose count is below
 * the group's total, as writeGcda does for an image.
 */
function pruneTopnGroups(values: bigint[]): bigint[] {
  const out = values.slice();
  for (let g = 0; g + TOPN_GROUP <= out.length; g += TOPN_GROUP)
    for (let i = g + 1; i < g + TOPN_GROUP; i += 2)
      if (out[i + 1]! < out[g]!) {
        out[i] = 0n;
        out[i + 1] = 0n;
      }
  return out;
}

/** Merge rules we reproduce exactly; others are refused rather than guessed. */
function mergeRule(format: GcovFormat, kind: number, file: string): MergeKind | 'topn-list' | 'topn-groups' {
  const k = format.counters[kind]!;
  if (k.merge === 'add' || k.merge === 'ior' || k.merge === 'time_profile') return k.merge;
  if (k.merge === 'single' || k.merge === 'icall_topn') return k.merge;
  if (k.merge === 'topn') return format.kvpLists ? 'topn-list' : 'topn-groups';
  throw new InputError(
    file,
    undefined,
    'unsupported',
    `counter kind "${k.name}" (${k.merge} merge of GCC ${format.firstMajor}.${format.firstMinor} format) is not supported by hvcov merge`,
  );
}

/** Refuses files that are not from the same build (and the same object), naming both. */
export function checkCompatible(a: GcdaData, b: GcdaData): void {
  const fail = (what: string): never => {
    throw new InputError(b.file, undefined, 'checksum', `does not match ${a.file}: ${what}`);
  };
  if (a.version.word !== b.version.word) fail(`GCC ${versionText(b.version)} vs ${versionText(a.version)}`);
  if (a.little !== b.little) fail('byte order differs');
  if (a.stamp !== b.stamp) fail(`stamp ${hex(b.stamp)} vs ${hex(a.stamp)} (another build)`);
  if (a.checksum !== b.checksum) fail(`checksum ${hex(b.checksum ?? 0)} vs ${hex(a.checksum ?? 0)}`);
  if (a.functions.length !== b.functions.length)
    fail(`${b.functions.length} functions vs ${a.functions.length}`);
  for (let i = 0; i < a.functions.length; i++) {
    const fa = a.functions[i]!;
    const fb = b.functions[i]!;
    if (!fa || !fb) {
      if (fa !== fb) fail(`function #${i} is a placeholder in only one of them`);
      continue;
    }
    if (fa.ident !== fb.ident) fail(`function #${i} ident ${fb.ident} vs ${fa.ident}`);
    if (fa.linenoChecksum !== fb.linenoChecksum || fa.cfgChecksum !== fb.cfgChecksum)
      fail(`function ident ${fa.ident}: checksums differ (lineno, cfg)`);
    if (
      fa.counters.length !== fb.counters.length ||
      fa.counters.some((c, j) => c.kind !== fb.counters[j]!.kind)
    )
      fail(`function ident ${fa.ident}: different counter kinds`);
    for (let j = 0; j < fa.counters.length; j++) {
      const ca = fa.counters[j]!;
      const cb = fb.counters[j]!;
      const sites = (c: CounterRecord): number =>
        isTopnList(a.format, c.kind) ? topnSites(c.values) : c.values.length;
      if (sites(ca) !== sites(cb))
        fail(`function ident ${fa.ident}: ${a.format.counters[ca.kind]!.name} counters differ in number`);
    }
  }
}

function topnSites(values: bigint[]): number {
  let sites = 0;
  for (let i = 0; i < values.length; i += 2 + 2 * Number(values[i + 1]!)) sites++;
  return sites;
}

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

/** Adds `src` into `tgt` (gcov-tool merge TGT SRC with weights 1); `tgt` is changed in place. */
export function mergeInto(tgt: GcdaData, src: GcdaData): void {
  checkCompatible(tgt, src);
  tgt.runs = (tgt.runs + src.runs) >>> 0;
  tgt.sumMax = (tgt.sumMax + src.sumMax) >>> 0;
  for (let i = 0; i < tgt.functions.length; i++) {
    const ft = tgt.functions[i];
    const fs = src.functions[i];
    if (!ft || !fs) continue;
    for (let j = 0; j < ft.counters.length; j++) {
      const ct = ft.counters[j]!;
      const cs = fs.counters[j]!.values;
      const t = ct.values;
      switch (mergeRule(tgt.format, ct.kind, src.file)) {
        case 'add':
          for (let k = 0; k < t.length; k++) t[k] = wrap(t[k]! + cs[k]!);
          break;
        case 'ior':
          for (let k = 0; k < t.length; k++) t[k] = t[k]! | cs[k]!;
          break;
        case 'time_profile':
          for (let k = 0; k < t.length; k++) {
            const v = cs[k]!;
            if (v !== 0n && (t[k] === 0n || v < t[k]!)) t[k] = v;
          }
          break;
        case 'topn-list':
          ct.values = mergeTopnLists(t, cs);
          break;
        case 'single':
          for (let g = 0; g + 3 <= t.length; g += 3) mergeSingle(t, cs, g);
          break;
        case 'icall_topn':
          for (let g = 0; g + TOPN_GROUP <= t.length; g += TOPN_GROUP) mergeIcallTopn(t, cs, g);
          break;
        case 'topn-groups':
          for (let g = 0; g + TOPN_GROUP <= t.length; g += TOPN_GROUP) mergeTopnGroup(t, cs, g);
          // as written to disk between two gcov-tool merges
          ct.values = pruneTopnGroups(t);
          break;
      }
    }
  }
}

/**
 * GCC <= 9 most-common-value triple (value, count, all): the same value adds its count; a
 * different one takes over when its count is larger, keeping the difference, else it
 * reduces the count; `all` adds.
 */
function mergeSingle(t: bigint[], s: bigint[], g: number): void {
  const [value, count, all] = [s[g]!, s[g + 1]!, s[g + 2]!];
  if (t[g] === value) t[g + 1] = wrap(t[g + 1]! + count);
  else if (count > t[g + 1]!) {
    t[g] = value;
    t[g + 1] = wrap(count - t[g + 1]!);
  } else t[g + 1] = wrap(t[g + 1]! - count);
  t[g + 2] = wrap(t[g + 2]! + all);
}

/**
 * GCC 5-9 indirect-call top-N group (evictions, then 4 (target, count) pairs): the
 * target's pairs, then the source's pairs added to an equal target or appended; sorted
 * by count, largest first (stable); the first 4 kept. The evictions stay the target's.
 */
function mergeIcallTopn(t: bigint[], s: bigint[], g: number): void {
  const pairs: [bigint, bigint][] = [];
  for (let i = 0; i < TOPN_PAIRS; i++) pairs.push([t[g + 1 + 2 * i]!, t[g + 2 + 2 * i]!]);
  for (let i = 0; i < TOPN_PAIRS; i++) {
    const value = s[g + 1 + 2 * i]!;
    const count = s[g + 2 + 2 * i]!;
    const same = pairs.find((p) => p[0] === value);
    if (same) same[1] = wrap(same[1] + count);
    else pairs.push([value, count]);
  }
  const sorted = insertionSortByCount(pairs);
  for (let i = 0; i < TOPN_PAIRS; i++) {
    t[g + 1 + 2 * i] = sorted[i]![0];
    t[g + 2 + 2 * i] = sorted[i]![1];
  }
}

/** GCC 10 TOPN group: the number of executions, then 4 (value, count) pairs. */
const TOPN_GROUP = 9;
const TOPN_PAIRS = 4;

/**
 * GCC 10 TOPN merge of one group at `g`: a negative source total turns the target's
 * negative before the source total is added; each source pair with a count adds to the
 * target pair of the same value, else takes the target's pair with the smallest count
 * (the first one) when that is empty; when it is not, values are being lost: the total
 * becomes negative and the pair is replaced if the source count is larger, or else
 * reduced by it.
 */
function mergeTopnGroup(t: bigint[], s: bigint[], g: number): void {
  const all = s[g]!;
  if (all < 0n) t[g] = wrap(-t[g]!);
  t[g] = wrap(t[g]! + all);
  const read = s.slice(g + 1, g + TOPN_GROUP);
  const p = g + 1;
  for (let i = 0; i < TOPN_PAIRS; i++) {
    const value = read[2 * i]!;
    const count = read[2 * i + 1]!;
    if (count === 0n) continue;
    let slot = 0;
    let j = 0;
    for (; j < TOPN_PAIRS; j++) {
      if (t[p + 2 * j] === value) {
        t[p + 2 * j + 1] = wrap(t[p + 2 * j + 1]! + count);
        break;
      } else if (t[p + 2 * j + 1]! < t[p + 2 * slot + 1]!) slot = j;
    }
    if (j < TOPN_PAIRS) continue;
    const slotCount = t[p + 2 * slot + 1]!;
    if (slotCount === 0n) {
      t[p + 2 * slot] = value;
      t[p + 2 * slot + 1] = count;
    } else {
      if (t[g]! >= 0n) t[g] = wrap(-t[g]!);
      if (count > slotCount) {
        t[p + 2 * slot] = value;
        t[p + 2 * slot + 1] = count;
      } else t[p + 2 * slot + 1] = wrap(slotCount - count);
    }
  }
}

/** libgcov's limit on the values one TOPN list tracks (GCOV_TOPN_MAXIMUM_TRACKED_VALUES). */
const TOPN_MAX_TRACKED = 32;

interface TopnSite {
  total: bigint;
  nodes: { value: bigint; count: bigint }[];
}

function readSites(values: bigint[]): TopnSite[] {
  const sites: TopnSite[] = [];
  let i = 0;
  while (i < values.length) {
    const n = Number(values[i + 1]!);
    const nodes: { value: bigint; count: bigint }[] = [];
    for (let p = 0; p < n; p++) nodes.push({ value: values[i + 2 + 2 * p]!, count: values[i + 3 + 2 * p]! });
    sites.push({ total: values[i]!, nodes });
    i += 2 + 2 * n;
  }
  return sites;
}

/**
 * GCC 11+ TOPN merge: the source's total (made positive) is added to the target's; each
 * source pair adds to the node of the same value, else is appended while the list is
 * shorter than 32; a full list loses one from its smallest node, which the new pair
 * replaces when that leaves it smaller. A source with a negative total, or a pair that
 * met a full list, makes the merged total negative (values were dropped).
 */
function mergeTopnLists(tgt: bigint[], src: bigint[]): bigint[] {
  const ts = readSites(tgt);
  const ss = readSites(src);
  const out: bigint[] = [];
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    const s = ss[i]!;
    let full = s.total < 0n;
    t.total = wrap(t.total + (full ? -s.total : s.total));
    for (const { value, count } of s.nodes) {
      const same = t.nodes.find((n) => n.value === value);
      if (same) {
        same.count = wrap(same.count + count);
        continue;
      }
      if (t.nodes.length === TOPN_MAX_TRACKED) {
        let min = t.nodes[0]!;
        for (const n of t.nodes) if (n.count < min.count) min = n;
        min.count = wrap(min.count - 1n);
        if (min.count < count) {
          min.value = value;
          min.count = count;
        }
        full = true;
        continue;
      }
      t.nodes.push({ value, count });
    }
    if (full) t.total = wrap(-t.total);
    out.push(t.total, BigInt(t.nodes.length));
    for (const n of t.nodes) out.push(n.value, n.count);
  }
  return out;
}

/** Every function's counters are equal (the same run given twice?). */
export function sameCounters(a: GcdaData, b: GcdaData): boolean {
  for (let i = 0; i < a.functions.length; i++) {
    const fa = a.functions[i];
    const fb = b.functions[i];
    if (!fa || !fb) continue;
    for (let j = 0; j < fa.counters.length; j++) {
      const va = fa.counters[j]!.values;
      const vb = fb.counters[j]?.values;
      if (!vb || va.length !== vb.length || va.some((v, k) => v !== vb[k])) return false;
    }
  }
  return true;
}

function anyNonZero(d: GcdaData): boolean {
  return d.functions.some((f) => f?.counters.some((c) => c.values.some((v) => v !== 0n)));
}

/** One run: its .gcda files by output path (relative, as under `extract --out`). */
export interface MergeInput {
  readonly name: string;
  readonly files: ReadonlyMap<string, { readonly bytes: Uint8Array; readonly file: string }>;
}

export interface MergeResult {
  /** Merged files by output path, in the order first seen. */
  readonly files: Map<string, Uint8Array>;
  readonly warnings: string[];
}

/**
 * Merges the runs left to right, as repeated `gcov-tool merge -o OUT ACC NEXT` would. A file
 * that only some runs have is merged over those runs (gcov-tool keeps it too), with a warning.
 */
export function mergeRuns(inputs: readonly MergeInput[]): MergeResult {
  const warnings: string[] = [];
  const acc = new Map<string, GcdaData>();
  const holders = new Map<string, number[]>();
  const parsed: Map<string, GcdaData>[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const m = new Map<string, GcdaData>();
    for (const [path, f] of inputs[i]!.files) m.set(path, parseGcda(f.bytes, f.file));
    parsed.push(m);
  }
  // the same run twice: compared before merging changes anything
  for (let i = 0; i < parsed.length; i++)
    for (let j = i + 1; j < parsed.length; j++) {
      const a = parsed[i]!;
      const b = parsed[j]!;
      const common = [...a.keys()].filter((p) => b.has(p));
      if (common.length === 0) continue;
      if (!common.some((p) => anyNonZero(a.get(p)!))) continue;
      if (common.every((p) => sameCounters(a.get(p)!, b.get(p)!)))
        warnings.push(
          `${inputs[j]!.name} holds exactly the counters of ${inputs[i]!.name} in every function: the same run given twice? Merging it doubles every count`,
        );
    }
  for (let i = 0; i < parsed.length; i++) {
    for (const [path, d] of parsed[i]!) {
      const have = acc.get(path);
      holders.set(path, [...(holders.get(path) ?? []), i]);
      if (!have) acc.set(path, d);
      else mergeInto(have, d);
    }
  }
  for (const [path, who] of holders)
    if (who.length < inputs.length)
      warnings.push(`${path} is only in ${who.map((i) => inputs[i]!.name).join(', ')}: merged over those`);
  if (inputs.length > 1 && [...acc.values()].some((d) => d.format.mergedSummary === 'recompute')) {
    // GCC 9/10 gcov-tool: a first-run summary over the merged profile
    let runMax = 0n;
    for (const d of acc.values())
      for (const fn of d.functions)
        for (const c of fn?.counters ?? [])
          if (c.kind === 0) for (const v of c.values) if (v > runMax) runMax = v;
    for (const d of acc.values())
      if (d.format.mergedSummary === 'recompute') {
        d.runs = 1;
        d.sumMax = Number(runMax & 0xffffffffn);
      }
  }
  const files = new Map<string, Uint8Array>();
  for (const [path, d] of acc) files.set(path, writeMergedGcda(d));
  return { files, warnings };
}
