/** `hvcov extract`: core image to .gcda files (a folder tree or one zip). */
import { closeSync, fstatSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hex } from '../gcov/errors';
import { extractImage, type ExtractResult } from '../gcov/extract';
import { targetText } from '../gcov/memory';
import { outputPath } from '../gcov/paths';
import { versionText } from '../gcov/version';
import { detectOptions, OUTPUT_OPTIONS, TARGET_OPTIONS } from './args';
import { bytesOf } from './inputs';
import { readWhole } from './read-whole';
import { FileWriter, sharedBytes } from './write-pool';

export const EXTRACT_HELP = `hvcov extract IMAGE (--out DIR | --zip FILE) [options]

Reads a memory image (e.g. /sys/devices/jailhouse/core) and writes one .gcda per
gcov_info record, at the path recorded in the image under DIR (as libgcov does with
GCOV_PREFIX=DIR GCOV_PREFIX_STRIP=N), or into one zip.

  --out DIR          write the .gcda tree under DIR
  --zip FILE         write one zip instead
  --strip N          drop N leading directories of each recorded path (GCOV_PREFIX_STRIP)
  --base ADDR        address the image starts at (default: detected)
  --arch NAME        x86_64, arm64, arm, riscv64, x86, powerpc, powerpc64, s390x, mips
  --word-size 32|64  --endian little|big   override the detected target
  --head ADDR        address of the first gcov_info (images without a Jailhouse header)
  --elf FILE         the program's ELF: target, link address, list head by symbol
  --head-symbol NAME symbol of the list head (default: hypervisor_header, gcov_info_head, __gcov_root)
  --scan             find gcov_info records anywhere in the image
  --no-verify        skip the self-check (each file read back and compared with the image)
  --quiet            print only problems

Exit status: 0 when every record was written, 1 when some were skipped, 2 on errors.`;

export async function extractCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...TARGET_OPTIONS,
      ...OUTPUT_OPTIONS,
      'no-verify': { type: 'boolean' },
    },
  });
  if (values.help) {
    out(EXTRACT_HELP);
    return 0;
  }
  if (positionals.length !== 1 || (!values.out && !values.zip)) {
    out(EXTRACT_HELP);
    return 2;
  }
  const strip = values.strip === undefined ? 0 : Number(values.strip);
  if (!Number.isInteger(strip) || strip < 0) {
    out('--strip: a whole number');
    return 2;
  }
  const imagePath = positionals[0]!;
  const opts = detectOptions(values);
  if (values.elf) opts.elf = { bytes: bytesOf(values.elf), name: values.elf };
  const root = values.out;
  // Large images on the --out path: a second thread writes files while this one makes them
  const image = openSync(imagePath, 'r');
  let bytes: Uint8Array;
  let parallel: boolean;
  try {
    const size = fstatSync(image).size;
    parallel = root !== undefined && size >= PARALLEL_MIN && coreIsFree();
    bytes = await readWhole(image, parallel ? sharedBytes(size) : new Uint8Array(size));
  } finally {
    closeSync(image);
  }
  // started after the read, which keeps both cores busy: the worker gets ready during the walk
  const writer =
    root === undefined
      ? undefined
      : new FileWriter(parallel ? await import('node:worker_threads') : undefined);
  writer?.setImage(bytes);
  const rootSlash = root === undefined ? '' : join(root, '/');
  let result: ExtractResult;
  try {
    result = extractImage(
      bytes,
      imagePath,
      opts,
      writer === undefined
        ? undefined
        : // outputPath is already relative and normalised: append it to the root (joined once)
          (f) => writer.write(rootSlash + outputPath(f.path, strip), f.parts ?? [f.bytes]),
      { keepFiles: values.zip !== undefined, parts: values.zip === undefined, verify: !values['no-verify'] },
    );
  } finally {
    await writer?.close();
  }
  if (!values.quiet) out(describe(result, imagePath));
  if (values.zip) {
    // loaded only here: the zip code is not needed on the --out path
    const { gcdaZip } = await import('../model/gcda-zip');
    writeFileSync(values.zip, gcdaZip(result.files, strip));
  }
  if (!values.quiet)
    out(
      `wrote ${result.stats.objects} .gcda file(s) ${values.zip ? `to ${values.zip}` : `under ${values.out}`}`,
    );
  for (const w of result.warnings) out(`warning: ${w}`);
  for (const p of result.problems) out(`skipped: ${p.message}`);
  return result.problems.length === 0 ? 0 : 1;
}

/** Image size from which the --out path writes from two threads (a worker costs ~40 ms of CPU to start). */
const PARALLEL_MIN = 16 << 20;

/**
 * A second thread only pays when a core is idle: on a busy machine it just adds its start-up
 * and hand-over costs. HVCOV_WRITE_THREADS=1 or 2 decides instead. What runs now counts, not
 * the one-minute load average (it lags: a build that just finished still weighs on it).
 */
function coreIsFree(): boolean {
  const forced = process.env.HVCOV_WRITE_THREADS;
  if (forced === '1' || forced === '2') return forced === '2';
  const cores = availableParallelism();
  if (cores < 2) return false;
  const running = runnableNow();
  // this thread is one of the runnable ones
  return running !== undefined ? running - 1 <= cores - 2 : loadavg()[0]! <= cores - 1;
}

/** Threads runnable at this moment, from /proc/loadavg ("0.52 0.58 0.59 2/345 678"); Linux only. */
function runnableNow(): number | undefined {
  try {
    const m = /^\S+ \S+ \S+ (\d+)\//.exec(readFileSync('/proc/loadavg', 'latin1'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function describe(r: ExtractResult, name: string): string {
  const d = r.detection;
  const versions = [...new Set(r.records.map((x) => `GCC ${versionText(x.version)} ("${x.version.tag}")`))];
  const how = {
    option: 'from --base',
    'jailhouse-default': 'Jailhouse default',
    elf: 'from the ELF',
    derived: 'derived from the data',
  }[d.baseSource];
  const head = {
    'jailhouse-header': 'Jailhouse header',
    'elf-symbol': 'ELF symbol',
    'head-option': '--head',
    scan: 'scan',
  }[d.headSource];
  return [
    `image:    ${name} (${r.detection.memory.size} bytes)`,
    `compiler: ${versions.join(', ') || 'unknown'}`,
    `target:   ${targetText(d.target)}${d.arch ? ` (${d.arch})` : ''}`,
    `base:     ${hex(d.base)} (${how})`,
    `list:     ${d.headAddress !== undefined ? hex(d.headAddress) : `${d.heads.length} chain(s)`} (${head})`,
    `found:    ${r.stats.objects} objects, ${r.stats.functions} functions (${r.stats.placeholders} placeholders), ${r.stats.counters} counters`,
  ].join('\n');
}
