/**
 * Image in, .gcda files out: detect the layout, walk every list, write one file per
 * gcov_info. Problems are collected; every record that could be read is written.
 */
import { pushAll } from './push-all';
import { InputError } from './errors';
import { detect, type Detection, type DetectOptions } from './detect';
import { crc32Unsigned } from './crc32';
import { programSummary, sizeBound, VIEW_MIN, writeGcda, writeGcdaParts, type GcdaFile } from './gcda-writer';
import { verifyGcda, type ImageView } from './gcda-verify';
import { tornCounters, tornText, type TornCounter } from './torn';
import { walkInfoList, type InfoRecord } from './walker';

const NO_BYTES = new Uint8Array(0);

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
  /** Findings that do not stop a record from being written (torn counters among them). */
  readonly warnings: readonly string[];
  /** Counters that look torn (32-bit targets; see torn.ts), written as read. */
  readonly torn: readonly TornCounter[];
  readonly stats: ExtractStats;
}

/**
 * `onFile` sees each file as soon as it is made, so a caller can write it out at once.
 * With `keepFiles: false` the result holds no file bytes and every file is made in one
 * reused buffer: `onFile` must then use the bytes before it returns. With `parts: true`
 * as well, each file comes as `parts` (its `bytes` are empty): pieces to write in order,
 * the large counter runs of little-endian targets being views on `bytes` (no copy).
 *
 * With `verify` (the default) each file is read back and compared with the image before
 * `onFile` sees it (see gcda-verify.ts); a file that differs is not handed out but becomes
 * a problem ('self-check'). `tamper` is a test seam: it may alter the produced pieces
 * before the check.
 */
export interface ExtractOptions {
  keepFiles?: boolean;
  parts?: boolean;
  verify?: boolean;
  /** With `parts`: counter runs from this many bytes are views on the image (default VIEW_MIN). */
  viewMin?: number;
  tamper?: (pieces: readonly Uint8Array[]) => void;
}

export function extractImage(
  bytes: Uint8Array,
  file: string,
  opts: DetectOptions = {},
  onFile?: (f: GcdaFile) => void,
  { keepFiles = true, parts = false, verify = true, viewMin = VIEW_MIN, tamper }: ExtractOptions = {},
): ExtractResult {
  const detection = detect(bytes, file, opts);
  const mem = detection.memory;
  const problems: InputError[] = [];
  const records: InfoRecord[] = [];
  for (const head of detection.heads) {
    const walk = walkInfoList(mem, head, file);
    pushAll(records, walk.records);
    pushAll(problems, walk.problems);
  }
  const warnings: string[] = [...detection.notes];
  if (problems.length > 0 && records.length > 0)
    warnings.push(
      'the object summary (sum_max, the largest arcs counter of the whole program) is taken over the records that could be read; a skipped record may have held the largest counter',
    );
  const prog = programSummary(records, mem);
  const files: GcdaFile[] = [];
  const byPath = new Map<string, InfoRecord>();
  const torn: TornCounter[] = [];

  let scratch = new Uint8Array(0);
  const views: ImageView[] = [];
  const stats: ExtractStats = { objects: 0, functions: 0, placeholders: 0, counters: 0 };
  records: for (const rec of records) {
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
    if (rec.checksum !== undefined) {
      // the walk computes it (undefined there when an entry is a placeholder: no check then)
      let expect = rec.fnChecksum;
      if (expect === undefined && rec.slots.every((fo) => fo >= 0)) {
        const L = rec.layout;
        expect = 0;
        for (const fo of rec.slots) {
          expect = crc32Unsigned(expect, mem.r.u32(fo + L.fnIdent));
          expect = crc32Unsigned(expect, mem.r.u32(fo + L.fnLinenoChecksum));
          expect = crc32Unsigned(expect, mem.r.u32(fo + L.fnCfgChecksum));
        }
      }
      if (expect !== undefined && expect !== rec.checksum)
        warnings.push(
          `${rec.filename}: checksum ${rec.checksum.toString(16)} does not match its functions (${expect.toString(16)}); the record may be damaged`,
        );
    }
    if (mem.wordSize === 4)
      for (const t of tornCounters(rec, mem)) {
        torn.push(t);
        warnings.push(tornText(t));
      }
    let into: Uint8Array | undefined;
    if (!keepFiles) {
      const need = sizeBound(rec);
      if (scratch.length < need) scratch = new Uint8Array(Math.max(need, scratch.length * 2));
      into = scratch.subarray(0, need);
    }
    const made: GcdaFile =
      into !== undefined && parts
        ? {
            path: rec.filename,
            bytes: NO_BYTES,
            parts: writeGcdaParts(rec, mem, prog, into, viewMin),
            record: rec,
          }
        : { path: rec.filename, bytes: writeGcda(rec, mem, prog, into), record: rec };
    if (tamper) tamper(made.parts ?? [made.bytes]);
    if (verify) {
      let whole = made.bytes;
      views.length = 0;
      if (made.parts) {
        // the arena is the whole file but for the pieces that are the image's own bytes
        // (counter runs): holes there, which verifyGcda is told of (see writeGcdaParts)
        let n = 0;
        for (const p of made.parts) {
          if (p.buffer === mem.bytes.buffer)
            views.push({ at: n, length: p.length, image: p.byteOffset - mem.bytes.byteOffset });
          else if (p.buffer !== into!.buffer || p.byteOffset !== into!.byteOffset + n) {
            // the check reads the arena: a piece elsewhere would go unchecked
            problems.push(
              new InputError(
                rec.filename,
                n,
                'self-check',
                'written .gcda is not laid out as one file in its buffer',
              ),
            );
            continue records;
          }
          n += p.length;
        }
        whole = into!.subarray(0, n);
      }
      try {
        verifyGcda(whole, rec.filename, rec, mem, prog, views);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        problems.push(e);
        continue;
      }
    }
    if (keepFiles) files.push(made);
    onFile?.(made);
    stats.objects++;
    const slots = rec.slots;
    let placeholders = 0;
    for (let i = 0; i < slots.length; i++) if (slots[i]! < 0) placeholders++;
    stats.placeholders += placeholders;
    stats.functions += slots.length - placeholders;
    stats.counters += rec.counterCount;
  }
  return { detection, records, files, problems, warnings, torn, stats };
}
