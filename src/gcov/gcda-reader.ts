/**
 * Reads a .gcda data file (target byte order, detected from the magic): the object
 * summary and, per function, its checksums and counter records.
 */
import { InputError, hex } from './errors';
import { MAGIC, TAG, type GcovFormat } from './format';
import { openGcovFile, recordBytes } from './gcno';
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

export function readGcda(bytes: Uint8Array, file: string): Gcda {
  const { cur, version, format, little } = openGcovFile(bytes, file, MAGIC.GCDA);
  const stamp = cur.u32('stamp');
  const checksum = format.infoChecksum ? cur.u32('checksum') : undefined;
  let runs = 0;
  let sumMax = 0n;
  const functions = new Map<number, GcdaFunction>();
  let fn: GcdaFunction | undefined;
  // zeros of compacted records, all together: 8 bytes on disk must not make 32 MiB each
  let zeros = 0;
  while (cur.pos + 8 <= bytes.length) {
    const at = cur.pos;
    const tag = cur.u32('tag');
    const length = cur.u32('length');
    const signed = length | 0;
    const isCounter =
      tag >= TAG.COUNTER_BASE &&
      tag < TAG.COUNTER_BASE + (format.counters.length << 17) &&
      ((tag - TAG.COUNTER_BASE) & 0x1ffff) === 0;
    if (isCounter && signed < 0 && format.zeroCompaction) {
      const n = -signed / (format.lengthInBytes ? 8 : 2);
      if (!Number.isInteger(n) || (zeros += n) > MAX_COUNTERS)
        throw new InputError(file, at, 'bad-record', `bad compacted counter length ${signed}`);
      if (fn) fn.counters.set((tag - TAG.COUNTER_BASE) >>> 17, new Array<bigint>(n).fill(0n));
      continue;
    }
    const size = recordBytes(format, length);
    if (size < 0 || cur.pos + size > cur.r.length) cur.need(size, `record ${hex(tag)}`);
    const end = cur.pos + size;
    if (tag === TAG.OBJECT_SUMMARY) {
      runs = cur.u32('runs');
      sumMax = format.summary === 'object' ? BigInt(cur.u32('sum_max')) : 0n;
    } else if (tag === TAG.FUNCTION) {
      if (length === 0) fn = undefined;
      else {
        fn = { ident: cur.u32(), linenoChecksum: cur.u32(), cfgChecksum: cur.u32(), counters: new Map() };
        functions.set(fn.ident, fn);
      }
    } else if (isCounter) {
      const n = size / 8;
      if (!Number.isInteger(n) || n > MAX_COUNTERS)
        throw new InputError(file, at, 'bad-record', `counter record of ${size} bytes`);
      const values: bigint[] = [];
      for (let i = 0; i < n; i++) values.push(cur.u64());
      if (fn) fn.counters.set((tag - TAG.COUNTER_BASE) >>> 17, values);
    }
    cur.pos = end;
  }
  return { version, format, little, stamp, checksum, runs, sumMax, functions };
}
