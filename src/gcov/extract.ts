/**
 * Image in, .gcda files out: detect the layout, walk every list, write one file per
 * gcov_info. Problems are collected; every record that could be read is written.
 */
import { InputError } from './errors';
import { detect, type Detection, type DetectOptions } from './detect';
import { objectChecksum } from './crc32';
import { programSummary, sizeBound, writeGcda, type GcdaFile } from './gcda-writer';
import { isPlaceholder, walkInfoList, type FunctionData, type InfoRecord } from './walker';

export interface ExtractStats {
  objects: number;
  functions: number;
  placeholders: number;
  counters: number;
}

export interface ExtractResult {
  readonly detection: Detection;
  readonly records: readonly InfoRecord[];
  readonly files: readonly GcdaFile[];
  /** Skipped records and other problems; empty when every record was written. */
  readonly problems: readonly InputError[];
  /** Findings that do not stop a record from being written. */
  readonly warnings: readonly string[];
  readonly stats: ExtractStats;
}

export function extractImage(bytes: Uint8Array, file: string, opts: DetectOptions = {}): ExtractResult {
  const detection = detect(bytes, file, opts);
  const mem = detection.memory;
  const problems: InputError[] = [];
  const records: InfoRecord[] = [];
  for (const head of detection.heads) {
    const walk = walkInfoList(mem, head, file);
    records.push(...walk.records);
    problems.push(...walk.problems);
  }
  const warnings: string[] = [...detection.notes];
  if (problems.length > 0 && records.length > 0)
    warnings.push(
      'the object summary (sum_max, the largest arcs counter of the whole program) is taken over the records that could be read; a skipped record may have held the largest counter',
    );
  const prog = programSummary(records, mem);
  const files: GcdaFile[] = [];
  const byPath = new Map<string, InfoRecord>();
  // one allocation for every file: thousands of small buffers cost more in allocation and GC
  let total = 0;
  for (const rec of records) total += sizeBound(rec);
  const arena = new Uint8Array(total);
  let used = 0;
  const stats: ExtractStats = { objects: 0, functions: 0, placeholders: 0, counters: 0 };
  for (const rec of records) {
    const other = byPath.get(rec.filename);
    if (other) {
      problems.push(
        new InputError(
          file,
          rec.offset,
          'bad-record',
          `gcov_info #${rec.index} names ${rec.filename}, already written for gcov_info #${other.index}: skipped`,
        ),
      );
      continue;
    }
    byPath.set(rec.filename, rec);
    if (rec.checksum !== undefined && rec.functions.every((f) => !isPlaceholder(f))) {
      const expect = objectChecksum(rec.functions as FunctionData[]);
      if (expect !== rec.checksum)
        warnings.push(
          `${rec.filename}: checksum ${rec.checksum.toString(16)} does not match its functions (${expect.toString(16)}); the record may be damaged`,
        );
    }
    const bytes = writeGcda(rec, mem, prog, arena.subarray(used, used + sizeBound(rec)));
    used += bytes.length;
    files.push({ path: rec.filename, bytes, record: rec });
    stats.objects++;
    for (const f of rec.functions) {
      if (isPlaceholder(f)) stats.placeholders++;
      else {
        stats.functions++;
        for (const c of f.counters) stats.counters += c.num;
      }
    }
  }
  return { detection, records, files, problems, warnings, stats };
}
