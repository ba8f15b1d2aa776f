/**
 * The .gcno notes file: the compiler's description of each function's flow graph
 * (blocks, arcs, the source lines of each block). Written in the compiler host's byte
 * order, detected from the magic.
 */
import { pushAll } from './push-all';
import { WordReader } from './bytes';
import { InputError, hex } from './errors';
import { MAGIC, TAG, releaseOf, type GcovFormat } from './format';
import type { GccVersion } from './version';

/** Upper bound on blocks in one function, against absurd counts (real ones stay far below). */
export const MAX_BLOCKS = 1 << 20;

/** Arc flags in the ARCS record. */
export const ARC_FLAG = {
  ON_TREE: 1,
  FAKE: 2,
  FALLTHROUGH: 4,
  TRUE: 8,
  FALSE: 16,
} as const;

/**
 * The arcs of a function as (source block, destination block, flags) triples, in the
 * order of the ARCS records: one typed array instead of an object per arc (large programs
 * have ~10^5 arcs, and typed arrays stay out of the garbage collector's copying).
 */
export type GcnoArcs = Uint32Array;

export interface GcnoFunction {
  readonly ident: number;
  readonly linenoChecksum: number;
  readonly cfgChecksum: number;
  readonly name: string;
  readonly artificial: boolean;
  readonly source: string;
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly blockCount: number;
  /** Arcs in the order of the ARCS records (source block, then position in the record). */
  readonly arcs: GcnoArcs;
  /**
   * The source lines of each block, from the LINES records, as numbers rather than an object
   * per location (large programs have ~10^5). Block b's locations are
   * `lineTable[lineStart[b] .. lineStart[b + 1])`, in the order of its records; each is a
   * file (an index into `lineFiles`), a count k and k line numbers. Consecutive lines in one
   * file are one location; a file named without lines is a location of 0 lines.
   */
  readonly lineStart: Uint32Array;
  readonly lineTable: Uint32Array;
  readonly lineFiles: string[];
  /** CONDS (GCC 14+): per record entry, the first block and number of terms. */
  readonly conditions: { block: number; terms: number }[];
  /** PATHS (GCC 15 -fpath-coverage): the number of prime paths gcc instrumented, 0 without. */
  readonly paths: number;
}

export interface Gcno {
  /** The name it was read under, for messages. */
  readonly file: string;
  readonly version: GccVersion;
  readonly format: GcovFormat;
  readonly little: boolean;
  readonly stamp: number;
  readonly checksum: number | undefined;
  readonly cwd: string | undefined;
  readonly hasUnexecutedBlocks: boolean;
  readonly functions: GcnoFunction[];
  /**
   * Source names (function sources and LINES file names) in the order the records name
   * them first: gcov lists its files in that order (LINES records out of block order, in
   * damaged notes, make it differ from the functions' block order).
   */
  readonly sources?: readonly string[];
  /**
   * Where gcov stops reading the notes as corrupted (a second ARCS record for one block,
   * LINES running out of the file): the records after it are not read, as by gcov.
   */
  readonly damage?: InputError;
}

/** The arcs (and the lines) of a function without any. */
const NO_ARCS: GcnoArcs = new Uint32Array(0);
const NO_LINES = new Uint32Array(0);

const utf8 = new TextDecoder();
/** Names met so far: a .gcno repeats its file names in every LINES record. */
const names = new Map<string, string>();

/** UTF-8 text of a name, shared with earlier equal names (ASCII without TextDecoder). */
function decodeName(raw: Uint8Array): string {
  let text: string | undefined;
  if (raw.length <= 1024) {
    let ascii = true;
    for (let i = 0; i < raw.length; i++)
      if (raw[i]! >= 0x80) {
        ascii = false;
        break;
      }
    if (ascii) text = String.fromCharCode.apply(null, raw as unknown as number[]);
  }
  text ??= utf8.decode(raw);
  const known = names.get(text);
  if (known !== undefined) return known;
  if (names.size >= 1 << 16) names.clear();
  names.set(text, text);
  return text;
}

/** Whether the `n` bytes at `a` and at `b` (-1: none) are the same. */
function sameBytes(buf: Uint8Array, a: number, b: number, n: number): boolean {
  if (b < 0) return false;
  let i = 0;
  while (i < n && buf[a + i] === buf[b + i]) i++;
  return i === n;
}

/** Sequential reader of a gcov file's words and strings, bounded by the buffer. */
export class GcovCursor {
  pos = 0;
  /**
   * The last two different strings read: where their bytes start, how many, their text (a
   * .gcno alternates function names with the one source name its LINES records repeat);
   * `last…` is the one read last.
   */
  private lastStart = -1;
  private lastBytes = 0;
  private lastText: string | undefined = undefined;
  private otherStart = -1;
  private otherBytes = 0;
  private otherText: string | undefined = undefined;
  constructor(
    readonly r: WordReader,
    readonly file: string,
    readonly format: GcovFormat | undefined,
  ) {}
  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.r.length)
      throw new InputError(this.file, this.pos, 'truncated', `${what} runs past the end of the file`);
  }
  u32(what = 'word'): number {
    this.need(4, what);
    const v = this.r.u32(this.pos);
    this.pos += 4;
    return v;
  }
  u64(what = 'counter'): bigint {
    this.need(8, what);
    const lo = this.r.u32(this.pos);
    const hi = this.r.u32(this.pos + 4);
    this.pos += 8;
    // One BigInt instead of three for the usual counter below 2^53.
    return hi < 0x200000 ? BigInt(hi * 0x100000000 + lo) : (BigInt(hi) << 32n) | BigInt(lo);
  }
  /** A string; undefined for the NULL string (length 0). */
  string(what = 'string'): string | undefined {
    const at = this.pos;
    const n = this.u32(what);
    if (n === 0) return undefined;
    const bytes = this.format?.byteStrings ? n : n * 4;
    this.need(bytes, what);
    const start = this.pos;
    this.pos += bytes;
    // The same name again (a .gcno names the file in every LINES record): no decoding.
    const buf = this.r.bytes;
    if (this.lastBytes === bytes && sameBytes(buf, start, this.lastStart, bytes)) return this.lastText;
    if (this.otherBytes === bytes && sameBytes(buf, start, this.otherStart, bytes)) {
      const text = this.otherText;
      this.remember(this.otherStart, bytes, text);
      return text;
    }
    const raw = buf.subarray(start, start + bytes);
    const end = raw.indexOf(0);
    if (end < 0) {
      if (this.format?.byteStrings)
        throw new InputError(this.file, at, 'bad-string', `${what} is not NUL-terminated`);
      // before GCC 12 gcov's string is its buffer, which holds the file's next bytes: the
      // name runs on up to a NUL there (to the end of the file if none)
      const nul = buf.indexOf(0, start + bytes);
      const text = decodeName(buf.subarray(start, nul < 0 ? buf.length : nul));
      this.lastStart = this.otherStart = -1;
      this.lastBytes = this.otherBytes = 0;
      return text;
    }
    const text = decodeName(raw.subarray(0, end));
    this.remember(start, bytes, text);
    return text;
  }

  /** Makes this string the last one read, the one before it the other. */
  private remember(start: number, bytes: number, text: string | undefined): void {
    this.otherStart = this.lastStart;
    this.otherBytes = this.lastBytes;
    this.otherText = this.lastText;
    this.lastStart = start;
    this.lastBytes = bytes;
    this.lastText = text;
  }
}

/** Reads magic and version; returns the cursor after them, in the file's byte order. */
export function openGcovFile(
  bytes: Uint8Array,
  file: string,
  magic: number,
): { cur: GcovCursor; version: GccVersion; format: GcovFormat; little: boolean } {
  if (bytes.length < 12) throw new InputError(file, 0, 'truncated', `${bytes.length} bytes is too small`);
  const le = new WordReader(bytes, true);
  let little: boolean;
  if (le.u32(0) === magic) little = true;
  else if (new WordReader(bytes, false).u32(0) === magic) little = false;
  else throw new InputError(file, 0, 'bad-magic', `magic ${hex(le.u32(0))} is not ${hex(magic)}`);
  const r = new WordReader(bytes, little);
  const word = r.u32(4);
  const { version, format } = releaseOf(word);
  if (!version || !format) throw new InputError(file, 4, 'bad-version', `unknown version word ${hex(word)}`);
  const cur = new GcovCursor(r, file, format);
  cur.pos = 8;
  return { cur, version, format, little };
}

/**
 * Where the record after one whose body starts at `base` with `length` units starts, with
 * gcov's 32-bit position arithmetic: bytes from GCC 12, words before.
 */
export function nextRecord(base: number, length: number, inBytes: boolean): number {
  if (inBytes) return (base + length) % 2 ** 32;
  const words = (base / 4 + length) % 2 ** 32;
  return (words * 4) % 2 ** 32;
}

/** Byte length of a record from its length word. */
export const recordBytes = (format: GcovFormat, length: number): number =>
  format.lengthInBytes ? length : length * 4;

/** Whether this machine stores words least significant byte first. */
const HOST_LITTLE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The file's words as a Uint32Array when they are in this machine's byte order (word i at
 * byte 4i; copied when the bytes are not 4-aligned): arcs and line numbers are most of a
 * .gcno, and an element read is much cheaper than a DataView call, above all before the
 * reader is optimized.
 */
function hostWords(bytes: Uint8Array, little: boolean): Uint32Array | undefined {
  if (little !== HOST_LITTLE) return undefined;
  const n = bytes.length >>> 2;
  if (bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, n);
  const copy = new Uint8Array(4 * n);
  copy.set(bytes.subarray(0, 4 * n));
  return new Uint32Array(copy.buffer);
}

export function readGcno(bytes: Uint8Array, file: string): Gcno {
  const { cur, version, format, little } = openGcovFile(bytes, file, MAGIC.GCNO);
  const stamp = cur.u32('stamp');
  const checksum = format.infoChecksum ? cur.u32('checksum') : undefined;
  const cwd = format.gcnoCwd ? cur.string('cwd') : undefined;
  const hasUnexecutedBlocks = format.gcnoUnexecutedFlag ? cur.u32('unexecuted-blocks flag') !== 0 : false;
  const r = new NotesReader(cur, hostWords(bytes, little), format);
  while (cur.pos + 8 <= bytes.length && r.damage === undefined) {
    const at = cur.pos;
    const tag = cur.u32('tag');
    // as gcov: a zero tag ends the records
    if (tag === 0) break;
    const length = cur.u32('length');
    const size = recordBytes(format, length);
    // as gcov: past the end of the file the next tag reads 0 and the records end; a record
    // it does not read is skipped by seeking to its end, and BLOCKS, ARCS (zeros past the
    // end) and LINES are read as far as they go
    let last = false;
    if (cur.pos + size > cur.r.length) {
      const endsRecords = nextRecord(cur.pos, length, format.lengthInBytes) >= cur.r.length;
      r.damage ??= new InputError(
        file,
        at,
        'truncated',
        `record ${hex(tag)} runs past the end of the file: gcov reads no further`,
      );
      if (endsRecords && !r.reads(tag)) break;
      if (endsRecords && (tag === TAG.BLOCKS || tag === TAG.ARCS || tag === TAG.LINES)) last = true;
      else cur.need(size, `record ${hex(tag)}`);
    }
    const end = last ? cur.r.length : cur.pos + size;
    if (tag === TAG.FUNCTION) r.readFunction();
    else if (r.fn && tag === TAG.BLOCKS) r.readBlocks(r.fn, at);
    else if (r.fn && tag === TAG.ARCS) r.readArcs(r.fn, at, end, length, last);
    else if (r.fn && tag === TAG.LINES) r.readLines(r.fn, at, end);
    else if (r.fn && tag === TAG.CONDS) r.readConds(r.fn, at, end);
    else if (r.fn && tag === TAG.PATHS) r.readPaths(r.fn, end);
    else if (!isFunctionSubtag(tag)) {
      // as gcov: a record that is not one of a function's ends the function's records (those
      // read so far stay); one of a kind it does not know is skipped
      r.closeArcs();
      r.closeLines();
      r.fn = undefined;
    }
    if (last) break;
    cur.pos = end;
  }
  r.closeArcs();
  r.closeLines();
  const functions = r.functions;
  const sources = [...r.sources];
  const gcno = {
    file,
    version,
    format,
    little,
    stamp,
    checksum,
    cwd,
    hasUnexecutedBlocks,
    functions,
    sources,
  };
  return r.damage ? { ...gcno, damage: r.damage } : gcno;
}

/**
 * A function as the notes describe it, filled in record by record. A class, not an object
 * literal: V8 keeps the fields' types of a class's objects exact, where a literal's are
 * generalized at some later creation, which throws away the reader's optimized code.
 */
class NotesFunction implements GcnoFunction {
  declare readonly ident: number;
  declare readonly linenoChecksum: number;
  declare readonly cfgChecksum: number;
  declare readonly name: string;
  declare readonly artificial: boolean;
  declare readonly source: string;
  declare readonly startLine: number;
  declare readonly startColumn: number;
  declare readonly endLine: number;
  declare readonly endColumn: number;
  declare blockCount: number;
  declare arcs: GcnoArcs;
  declare lineStart: Uint32Array;
  declare lineTable: Uint32Array;
  declare readonly lineFiles: string[];
  declare readonly conditions: { block: number; terms: number }[];
  declare paths: number;
  constructor(
    ident: number,
    linenoChecksum: number,
    cfgChecksum: number,
    name: string,
    artificial: boolean,
    source: string,
    startLine: number,
    startColumn: number,
    endLine: number,
    endColumn: number,
  ) {
    this.ident = ident;
    this.linenoChecksum = linenoChecksum;
    this.cfgChecksum = cfgChecksum;
    this.name = name;
    this.artificial = artificial;
    this.source = source;
    this.startLine = startLine;
    this.startColumn = startColumn;
    this.endLine = endLine;
    this.endColumn = endColumn;
    this.blockCount = 0;
    this.arcs = NO_ARCS;
    this.lineStart = NO_LINES;
    this.lineTable = NO_LINES;
    this.lineFiles = [];
    this.conditions = [];
    this.paths = 0;
  }
}

/**
 * Zeroed words for the parsed functions' arrays, handed out as views of larger buffers: a
 * typed array of its own costs an allocation and external-memory bookkeeping each (several
 * per function), which took about a quarter of the reading of a large .gcno. A buffer is
 * freed once every function read from it is gone.
 */
class WordArena {
  private buffer = new ArrayBuffer(0);
  private used = 0;
  /**
   * Bytes of a buffer: a quarter of the file's at most (its arrays take about a third of it),
   * so that what a parsed .gcno holds beyond its arrays stays small.
   */
  private readonly chunk: number;
  constructor(fileBytes: number) {
    // replaced as it fills: written twice so that V8 knows at once that it changes (see Line)
    this.buffer = new ArrayBuffer(0);
    this.chunk = Math.min(ARENA_BYTES, Math.max(4096, fileBytes >> 2));
  }
  take(words: number): Uint32Array {
    const bytes = 4 * words;
    // a large array gets a buffer of its own, the arena's stays
    if (bytes > this.chunk >> 2) return new Uint32Array(words);
    if (this.used + bytes > this.buffer.byteLength) {
      this.buffer = new ArrayBuffer(this.chunk);
      this.used = 0;
    }
    const view = new Uint32Array(this.buffer, this.used, words);
    this.used += bytes;
    return view;
  }
}
const ARENA_BYTES = 1 << 18;

/** A copy of `a` twice as long (the reader's buffers, as they fill). */
function grown(a: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const copy = new Uint32Array(2 * a.length);
  copy.set(a);
  return copy;
}

/** File index of a location that continues the block's one before (see openFirstLocation). */
const CONTINUED = 0xffffffff;

/** Block locations with CONTINUED ones joined to the location before them (start is updated). */
function continueLocations(fn: GcnoFunction, start: Uint32Array, table: Uint32Array): Uint32Array {
  const out: number[] = [];
  const n = fn.blockCount;
  let source = -1;
  for (let b = 0; b < n; b++) {
    const from = start[b]!;
    const to = start[b + 1]!;
    start[b] = out.length;
    let last = -1;
    for (let p = from; p < to;) {
      const file = table[p]!;
      const k = table[p + 1]!;
      const lines = table.subarray(p + 2, p + 2 + k);
      p += 2 + k;
      if (file === CONTINUED && last >= 0) {
        // inserted after the lines of the location before, which ends the output so far
        pushAll(out, lines);
        out[last + 1]! += k;
        continue;
      }
      if (file === CONTINUED) {
        if (source < 0) source = fn.lineFiles.indexOf(fn.source);
        if (source < 0) source = fn.lineFiles.push(fn.source) - 1;
      }
      last = out.length;
      out.push(file === CONTINUED ? source : file, k);
      pushAll(out, lines);
    }
  }
  start[n] = out.length;
  return Uint32Array.from(out);
}

/**
 * gcov's test for a record inside a FUNCTION's (GCOV_TAG_IS_SUBTAG): the tag's lowest set bit
 * is bit 16 and it has no bit above the FUNCTION tag's lowest set bit (bit 24 itself may
 * be 0: gcov compares only the bits above it).
 */
const isFunctionSubtag = (tag: number): boolean => tag >>> 25 === 0 && (tag & 0x1ffff) === 0x10000;

/**
 * The records of a .gcno after its header, one method per record kind: small methods are
 * optimized early and on their own, which matters in a one-shot run.
 */
class NotesReader {
  readonly functions: GcnoFunction[] = [];
  /** Source names in the order they are first met (see Gcno.sources). */
  readonly sources = new Set<string>();
  fn: NotesFunction | undefined;
  // The current function's LINES records: their locations as they come, and per record
  // (block, start, end) in that list; put in block order when the next function starts.
  private table = NO_LINES;
  private words = 0;
  private records = NO_LINES;
  /** Words used in `records`. */
  private recordWords = 0;
  // The current function's arcs, copied to a right-sized array when the next one starts.
  private arcBuf = NO_LINES;
  private arcWords = 0;
  private readonly file: string;
  private readonly fileLength: number;
  /** The parsed functions' arrays. */
  private readonly arena: WordArena;
  /** Fill positions of closeLines, grown as needed. */
  private fill = NO_LINES;
  /** Blocks of the current function with arcs: the stamp of the function in arcsOf. */
  private arcsOf = NO_LINES;
  private stamp = 0;
  /** Set where gcov stops reading the file (see Gcno.damage). */
  damage: InputError | undefined;
  /** The current function has a location marked CONTINUED. */
  private continued = false;

  constructor(
    private readonly cur: GcovCursor,
    /** The file's words, when in the host's byte order (see hostWords). */
    private readonly words32: Uint32Array | undefined,
    private readonly format: GcovFormat,
  ) {
    this.file = cur.file;
    this.fileLength = cur.r.length;
    this.arena = new WordArena(this.fileLength);
    // The buffers are replaced as they grow, maybe late in a large file: given their first
    // size here, a second write, so that V8 knows from the start that they change instead of
    // finding out then and throwing away the reader's optimized code.
    this.table = new Uint32Array(1024);
    this.arcBuf = new Uint32Array(3 * 256);
    this.arcsOf = new Uint32Array(256);
    this.fill = new Uint32Array(256);
    this.records = new Uint32Array(3 * 64);
  }

  /** The next word; past the end of the file 0, as gcov reads it (a partial word too). */
  private wordOrZero(): number {
    const { cur } = this;
    if (cur.pos + 4 <= this.fileLength) return cur.u32();
    cur.pos = Math.max(cur.pos, this.fileLength);
    return 0;
  }

  /** Whether a record of this tag is read here (the others are skipped by their length). */
  reads(tag: number): boolean {
    if (tag === TAG.FUNCTION) return true;
    return (
      this.fn !== undefined &&
      (tag === TAG.BLOCKS || tag === TAG.ARCS || tag === TAG.LINES || tag === TAG.CONDS || tag === TAG.PATHS)
    );
  }

  private put(v: number): void {
    if (this.words === this.table.length) this.table = grown(this.table);
    this.table[this.words++] = v;
  }

  closeLines(): void {
    const { fn, records, table, recordWords } = this;
    if (fn && recordWords > 0) {
      const n = fn.blockCount;
      // the zeros readBlocks gave (a LINES record names a block below blockCount)
      const start = fn.lineStart;
      for (let r = 0; r < recordWords; r += 3) start[records[r]! + 1]! += records[r + 2]! - records[r + 1]!;
      for (let b = 0; b < n; b++) start[b + 1]! += start[b]!;
      const sorted = this.arena.take(start[n]!);
      if (this.fill.length < n) this.fill = new Uint32Array(Math.max(n, 2 * this.fill.length));
      const at = this.fill;
      at.set(start.subarray(0, n));
      for (let r = 0; r < recordWords; r += 3) {
        const b = records[r]!;
        // records are a few words: copied here, no view per record
        let to = at[b]!;
        for (let k = records[r + 1]!, end = records[r + 2]!; k < end; k++) sorted[to++] = table[k]!;
        at[b] = to;
      }
      fn.lineTable = this.continued ? continueLocations(fn, start, sorted) : sorted;
    }
    this.continued = false;
    this.words = 0;
    this.recordWords = 0;
  }

  closeArcs(): void {
    const n = this.arcWords;
    if (this.fn && n > 0) {
      const arcs = this.arena.take(n);
      arcs.set(this.arcBuf.subarray(0, n));
      this.fn.arcs = arcs;
    }
    this.arcWords = 0;
  }

  readFunction(): void {
    const { cur, format } = this;
    this.closeArcs();
    this.closeLines();
    const ident = cur.u32();
    const linenoChecksum = cur.u32();
    const cfgChecksum = cur.u32();
    const name = cur.string('function name') ?? '';
    // gcov keeps the flag in a one-bit field: only the word's lowest bit counts
    const artificial = format.fnArtificialAndRange ? (cur.u32() & 1) !== 0 : false;
    // gcov names a missing source so
    const source = cur.string('source name') ?? '<unknown>';
    this.sources.add(source);
    const startLine = cur.u32();
    const startColumn = format.fnArtificialAndRange ? cur.u32() : 0;
    const endLine = format.fnArtificialAndRange ? cur.u32() : 0;
    const endColumn = format.fnEndColumn ? cur.u32() : 0;
    this.fn = new NotesFunction(
      ident,
      linenoChecksum,
      cfgChecksum,
      name,
      artificial,
      source,
      startLine,
      startColumn,
      endLine,
      endColumn,
    );
    this.functions.push(this.fn);
  }

  readBlocks(fn: NotesFunction, at: number): void {
    // as gcov ("already seen blocks"): a second BLOCKS record is skipped
    if (fn.blockCount > 0) return;
    const n = this.wordOrZero();
    if (n > MAX_BLOCKS) throw new InputError(this.file, at, 'absurd-count', `${n} blocks in one function`);
    fn.blockCount = n;
    if (this.arcsOf.length < n) this.arcsOf = new Uint32Array(Math.max(n, 2 * this.arcsOf.length));
    if (++this.stamp === 0xffffffff) {
      this.arcsOf.fill(0);
      this.stamp = 1;
    }
    // Every block without lines until a LINES record comes.
    fn.lineStart = this.arena.take(n + 1);
  }

  readArcs(fn: NotesFunction, at: number, end: number, length: number, pastEnd: boolean): void {
    const { cur, words32 } = this;
    const src = this.wordOrZero();
    // gcov writes to the block before checking it (out of its memory): refused
    if (src >= fn.blockCount)
      throw new InputError(this.file, at, 'bad-record', `arc source block ${src} out of range`);
    if (this.arcsOf[src] === this.stamp) {
      this.damage = new InputError(
        this.file,
        at,
        'bad-record',
        `second ARCS record for block ${src} of ${fn.name}: gcov reads no further (corrupted)`,
      );
      return;
    }
    // gcov's number of arcs comes from the length in unsigned arithmetic: a record too
    // short for its source word has 2^31 - 1, read on past its end until a bad arc
    const units = this.format.lengthInBytes ? Math.floor(length / 4) : length;
    const count = units === 0 ? 0x7fffffff : (units - 1) >>> 1;
    const limit = units === 0 || pastEnd ? this.fileLength : end;
    // a record past the end of the file: gcov reads its arcs on as zeros (arcs to block 0)
    if (pastEnd && count > MAX_BLOCKS)
      throw new InputError(this.file, at, 'absurd-count', `${count} arcs past the end of the file`);
    for (let i = 0; i < count; i++) {
      let dst: number;
      let flags: number;
      if (cur.pos + 8 > limit) {
        // the file ends first: gcov reads zeros, 2^31 arcs to block 0 (it runs out of memory)
        if (units === 0) cur.need(8, 'arc');
        if (!pastEnd) break;
        dst = this.wordOrZero();
        flags = this.wordOrZero();
      } else if (words32 && (cur.pos & 3) === 0) {
        dst = words32[cur.pos >>> 2]!;
        flags = words32[(cur.pos >>> 2) + 1]!;
        cur.pos += 8;
      } else {
        dst = cur.u32();
        flags = cur.u32();
      }
      if (dst >= fn.blockCount) {
        // as gcov: the arcs before it stay
        this.corrupted(at, `arc destination block ${dst} of ${fn.name}`);
        return;
      }
      this.arcsOf[src] = this.stamp;
      if (this.arcWords + 3 > this.arcBuf.length) this.arcBuf = grown(this.arcBuf);
      const buf = this.arcBuf;
      buf[this.arcWords++] = src;
      buf[this.arcWords++] = dst;
      buf[this.arcWords++] = flags;
    }
  }

  /** A block number out of range: gcov reads no further (corrupted); what came before stays. */
  private corrupted(at: number, what: string): void {
    this.damage = new InputError(
      this.file,
      at,
      'bad-record',
      `${what} out of range: gcov reads no further (corrupted)`,
    );
  }

  /**
   * Lines before any file name in a LINES record: gcov adds them to the block's last
   * location (from an earlier record; real notes always name the file first). Marked here,
   * joined in closeLines; a block without a location yet gets the function's source.
   */
  private openFirstLocation(fn: NotesFunction, block: number): number {
    const { records, recordWords } = this;
    for (let r = 0; r < recordWords; r += 3)
      if (records[r] === block && records[r + 2]! > records[r + 1]!) {
        this.continued = true;
        this.put(CONTINUED);
        const countAt = this.words;
        this.put(0);
        return countAt;
      }
    return this.openLocation(fn, fn.source);
  }

  /** Starts a location in `source`; returns where its line count is in the table. */
  private openLocation(fn: NotesFunction, source: string): number {
    const files = fn.lineFiles;
    let k = files.indexOf(source);
    if (k < 0) k = files.push(source) - 1;
    this.put(k);
    const countAt = this.words;
    this.put(0);
    return countAt;
  }

  readLines(fn: NotesFunction, at: number, end: number): void {
    const { cur, words32 } = this;
    const block = this.wordOrZero();
    if (block >= fn.blockCount) {
      this.corrupted(at, `lines of block ${block} of ${fn.name}`);
      return;
    }
    const from = this.words;
    // Where the current location's line count is, -1 before the first one.
    let countAt = -1;
    // As gcov, up to a zero line and no file name, even past the record's end (the next
    // record still starts at its end); the file's end reads as that.
    for (;;) {
      let line: number;
      if (cur.pos + 4 > this.fileLength) {
        this.cutLines(fn, at, false);
        break;
      }
      if (words32 && (cur.pos & 3) === 0) {
        line = words32[cur.pos >>> 2]!;
        cur.pos += 4;
      } else line = cur.u32('line');
      if (line !== 0) {
        if (countAt < 0) countAt = this.openFirstLocation(fn, block);
        this.put(line);
        this.table[countAt]!++;
        continue;
      }
      const lengthEnd = cur.pos + 4;
      const name = this.lineFile();
      if (name === undefined) {
        if (cur.pos > this.fileLength) this.cutLines(fn, at, lengthEnd === end);
        break;
      }
      this.sources.add(name);
      countAt = this.openLocation(fn, name);
    }
    if (this.recordWords + 3 > this.records.length) this.records = grown(this.records);
    const records = this.records;
    records[this.recordWords++] = block;
    records[this.recordWords++] = from;
    records[this.recordWords++] = this.words;
  }

  /** A file name of a LINES record; undefined for none (or one past the end of the file). */
  private lineFile(): string | undefined {
    const { cur } = this;
    if (cur.pos + 4 > this.fileLength) {
      cur.pos = this.fileLength + 1;
      return undefined;
    }
    const n = cur.r.u32(cur.pos);
    const bytes = this.format.byteStrings ? n : n * 4;
    if (n !== 0 && cur.pos + 4 + bytes > this.fileLength) {
      cur.pos = this.fileLength + 1;
      return undefined;
    }
    return cur.string('file name');
  }

  /**
   * LINES that run out of the file: GCC 13+ gcov stops reading the notes there (corrupted);
   * earlier ones read the rest of the file as zeros and go on after the record. Before
   * GCC 12, a file name longer than the rest of the file whose length word is the record's
   * last leaves gcov's buffer empty at the record's end, so it reads no further (silently).
   */
  private cutLines(fn: NotesFunction, at: number, lengthEndsRecord: boolean): void {
    if (this.format.overreadIsError)
      this.damage = new InputError(
        this.file,
        at,
        'truncated',
        `lines of ${fn.name} run past the end of the file: gcov reads no further (corrupted)`,
      );
    else if (!this.format.lengthInBytes && lengthEndsRecord)
      this.damage = new InputError(
        this.file,
        at,
        'truncated',
        `a file name in the lines of ${fn.name} runs past the end of the file: gcov reads no further`,
      );
  }

  readPaths(fn: NotesFunction, end: number): void {
    if (this.cur.pos + 4 <= end) fn.paths = this.cur.u32('path count');
  }

  readConds(fn: NotesFunction, at: number, end: number): void {
    const cur = this.cur;
    while (cur.pos + 8 <= end) {
      const block = cur.u32();
      const terms = cur.u32();
      // one bit per term in a 64-bit counter
      if (block >= fn.blockCount || terms > 64)
        throw new InputError(this.file, at, 'bad-record', `condition of ${terms} terms at block ${block}`);
      fn.conditions.push({ block, terms });
    }
  }
}
