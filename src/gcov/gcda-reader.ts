/**
 * Reads a .gcda data file (target byte order, detected from the magic): the object
 * summary and, per function, its checksums and counter records.
 */
import { InputError, hex } from './errors';
import { MAGIC, TAG, type GcovFormat } from './format';
import { openGcovFile, recordBytes, type GcovCursor } from './gcno';
import type { WordReader } from './bytes';
import type { GccVersion } from './version';

export interface GcdaFunction {
  readonly ident: number;
  readonly linenoChecksum: number;
  readonly cfgChecksum: number;
  /** Counter values by kind index (0 = arcs). */
  readonly counters: Map<number, bigint[]>;
}

export interface Gcda {
  readonly version: GccVersion;
  readonly format: GcovFormat;
  readonly little: boolean;
  readonly stamp: number;
  readonly checksum: number | undefined;
  readonly runs: number;
  readonly sumMax: bigint;
  /** Functions with data, by ident; placeholders (length 0) are left out. */
  readonly functions: Map<number, GcdaFunction>;
}

/** Upper bound on counters in one record, against absurd (compacted) lengths. */
export const MAX_COUNTERS = 1 << 22;

/** One record as scanGcda meets it (one object, reused from record to record). */
export interface GcdaRecord {
  /** Offset of the tag word. */
  at: number;
  tag: number;
  /** Offset of the first word after the length word. */
  body: number;
  /** Body size in bytes (0 for a compacted all-zero counter record). */
  size: number;
  /** Counter kind index for a counter record, else -1. */
  kind: number;
  /** Counters in a counter record (compacted ones included), else 0. */
  counters: number;
}

export interface GcdaHeader {
  readonly version: GccVersion;
  readonly format: GcovFormat;
  readonly little: boolean;
  readonly stamp: number;
  readonly checksum: number | undefined;
  readonly reader: WordReader;
}

/**
 * Walks a .gcda record by record with checked lengths, without reading counter values:
 * `next()` moves to the next record (false at the end), `rec` describes it, and its body may
 * be read through `cur` (at the body); the walk goes on after the record whatever was read.
 * A class, not a visitor: extraction's self-check runs it on thousands of files and keeps
 * its own state in locals.
 */
export class GcdaScanner {
  readonly header: GcdaHeader;
  readonly cur: GcovCursor;
  readonly rec: GcdaRecord = { at: 0, tag: 0, body: 0, size: 0, kind: -1, counters: 0 };
  private readonly format: GcovFormat;
  private readonly kindEnd: number;
  /** Where the next record starts, once the current one is done (-1: the cursor is there). */
  private after = -1;
  /** Zeros of compacted records, all together: 8 bytes on disk must not make 32 MiB each. */
  private zeros = 0;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
  ) {
    const { cur, version, format, little } = openGcovFile(bytes, file, MAGIC.GCDA);
    const stamp = cur.u32('stamp');
    const checksum = format.infoChecksum ? cur.u32('checksum') : undefined;
    this.cur = cur;
    this.format = format;
    this.kindEnd = TAG.COUNTER_BASE + (format.counters.length << 17);
    this.header = { version, format, little, stamp, checksum, reader: cur.r };
  }
  next(): boolean {
    const { cur, rec, format } = this;
    if (this.after >= 0) {
      cur.pos = this.after;
      this.after = -1;
    }
    if (cur.pos + 8 > this.bytes.length) return false;
    const at = cur.pos;
    const tag = cur.u32('tag');
    const length = cur.u32('length');
    const signed = length | 0;
    const isCounter =
      tag >= TAG.COUNTER_BASE && tag < this.kindEnd && ((tag - TAG.COUNTER_BASE) & 0x1ffff) === 0;
    rec.at = at;
    rec.tag = tag;
    rec.body = cur.pos;
    rec.kind = isCounter ? (tag - TAG.COUNTER_BASE) >>> 17 : -1;
    if (isCounter && signed < 0 && format.zeroCompaction) {
      const n = -signed / (format.lengthInBytes ? 8 : 2);
      if (!Number.isInteger(n) || (this.zeros += n) > MAX_COUNTERS)
        throw new InputError(this.file, at, 'bad-record', `bad compacted counter length ${signed}`);
      rec.size = 0;
      rec.counters = n;
      return true;
    }
    const size = recordBytes(format, length);
    if (size < 0 || cur.pos + size > cur.r.length) cur.need(size, `record ${hex(tag)}`);
    rec.size = size;
    rec.counters = 0;
    if (isCounter) {
      const n = size / 8;
      if (!Number.isInteger(n) || n > MAX_COUNTERS)
        throw new InputError(this.file, at, 'bad-record', `counter record of ${size} bytes`);
      rec.counters = n;
    }
    this.after = rec.body + size;
    return true;
  }
}

/** GcdaScanner as a visitor: `visit` sees each record (see GcdaScanner for `cur`). */
export function scanGcda(
  bytes: Uint8Array,
  file: string,
  visit: (r: GcdaRecord, cur: GcovCursor) => void,
): GcdaHeader {
  const s = new GcdaScanner(bytes, file);
  while (s.next()) visit(s.rec, s.cur);
  return s.header;
}

/** What pairing needs of a .gcda: its header. */
export type GcdaStamp = Pick<Gcda, 'version' | 'format' | 'little' | 'stamp' | 'checksum'>;

/**
 * The header of a .gcda, once every record has been checked as readGcda checks it (the same
 * errors for the same bytes), without reading the counter values: pairing needs no more.
 */
export function checkGcda(bytes: Uint8Array, file: string): GcdaStamp {
  const { version, format, little, stamp, checksum } = scanGcda(bytes, file, (rec, cur) => {
    // the words readGcda reads outside counter records, which may run past the end
    if (rec.tag === TAG.OBJECT_SUMMARY) {
      cur.u32('runs');
      if (cur.format!.summary === 'object') cur.u32('sum_max');
    } else if (rec.tag === TAG.FUNCTION && rec.size !== 0) {
      cur.u32();
      cur.u32();
      cur.u32();
    }
  });
  return { version, format, little, stamp, checksum };
}

export function readGcda(bytes: Uint8Array, file: string): Gcda {
  let runs = 0;
  let sumMax = 0n;
  const functions = new Map<number, GcdaFunction>();
  let fn: GcdaFunction | undefined;
  const head = scanGcda(bytes, file, (rec, cur) => {
    if (rec.tag === TAG.OBJECT_SUMMARY) {
      runs = cur.u32('runs');
      sumMax = cur.format!.summary === 'object' ? BigInt(cur.u32('sum_max')) : 0n;
    } else if (rec.tag === TAG.FUNCTION) {
      if (rec.size === 0) fn = undefined;
      else {
        fn = { ident: cur.u32(), linenoChecksum: cur.u32(), cfgChecksum: cur.u32(), counters: new Map() };
        functions.set(fn.ident, fn);
      }
    } else if (rec.kind >= 0) {
      // sized once: arrays grown by push hold up to half again their length
      const values = new Array<bigint>(rec.counters);
      if (rec.size === 0) values.fill(0n);
      else
        for (let i = 0; i < rec.counters; i++) {
          const v = cur.u64();
          values[i] = v === 0n ? 0n : v;
        }
      if (fn) fn.counters.set(rec.kind, values);
    }
  });
  const { version, format, little, stamp, checksum } = head;
  return { version, format, little, stamp, checksum, runs, sumMax, functions };
}
