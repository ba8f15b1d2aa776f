/** `hvcov merge`: several runs of one build (core images, .gcda trees) summed into one. */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../gcov/errors';
import { extractImage } from '../gcov/extract';
import { mergeRuns, type MergeInput } from '../gcov/gcda-merge';
import { outputPath } from '../gcov/paths';
import { gcdaZip } from '../model/gcda-zip';
import { detectOptions, OUTPUT_OPTIONS, TARGET_OPTIONS } from './args';
import { bytesOf, treeFiles } from './inputs';

export const MERGE_HELP = `hvcov merge (IMAGE | GCDA_DIR)... (--out DIR | --zip FILE) [options]

Sums several runs of the same build, like gcov-tool merge: arcs and the other
counting kinds add, condition and path bitmaps are ORed, time profiles keep the
earliest visit, TOPN value lists merge as libgcov merges them; the object summary
adds runs and sum_max. An IMAGE is a core image (read as "hvcov extract" reads it);
a GCDA_DIR is a .gcda tree (from "hvcov extract --out", or GCOV_PREFIX of a run).
Files are matched by their path: under the directory, or as recorded in the image
(after --strip). Files of another build (stamp, checksums) are an error.

  --out DIR          write the merged .gcda tree under DIR
  --zip FILE         write one zip instead
  --strip N          drop N leading directories of paths recorded in images
  --base ADDR, --arch NAME, --word-size 32|64, --endian little|big, --head ADDR,
  --elf FILE, --head-symbol NAME, --scan
                     how to read the images (see "hvcov extract --help")
  --quiet            print only problems

Exit status: 0 when everything was merged, 1 when an image had records it skipped,
2 on errors.`;

export async function mergeCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...TARGET_OPTIONS,
      ...OUTPUT_OPTIONS,
    },
  });
  if (values.help) {
    out(MERGE_HELP);
    return 0;
  }
  if (positionals.length < 1 || (!values.out && !values.zip)) {
    out(MERGE_HELP);
    return 2;
  }
  const strip = values.strip === undefined ? 0 : Number(values.strip);
  if (!Number.isInteger(strip) || strip < 0) {
    out('--strip: a whole number');
    return 2;
  }
  const opts = detectOptions(values);
  if (values.elf) opts.elf = { bytes: bytesOf(values.elf), name: values.elf };
  const inputs: MergeInput[] = [];
  let skipped = 0;
  for (const p of positionals) {
    const files = new Map<string, { bytes: Uint8Array; file: string }>();
    if (statSync(p).isDirectory()) {
      const others: InputError[] = [];
      for (const f of treeFiles(p, '.gcda', others))
        files.set(relative(p, f).split(sep).join('/'), { bytes: bytesOf(f), file: f });
      for (const e of others) out(`skipped: ${e.message}`);
      skipped += others.length;
      if (files.size === 0)
        throw new InputError(p, undefined, 'not-found', 'no .gcda files in this directory');
    } else {
      const r = extractImage(bytesOf(p), p, opts);
      for (const f of r.files)
        files.set(outputPath(f.path, strip), { bytes: f.bytes, file: `${p}: ${f.path}` });
      for (const w of r.warnings) out(`warning: ${w}`);
      for (const e of r.problems) out(`skipped: ${e.message}`);
      skipped += r.problems.length;
      if (files.size === 0)
        throw new InputError(p, undefined, 'not-found', 'no gcov_info record could be read');
    }
    inputs.push({ name: p, files });
  }
  const result = mergeRuns(inputs);
  for (const w of result.warnings) out(`warning: ${w}`);
  const merged = [...result.files].map(([path, bytes]) => ({ path, bytes }));
  if (values.zip) writeFileSync(values.zip, gcdaZip(merged));
  else {
    for (const f of merged) {
      const dest = join(values.out!, outputPath(f.path));
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, f.bytes);
    }
  }
  if (!values.quiet)
    out(
      `merged ${inputs.length} run(s): wrote ${merged.length} .gcda file(s) ${values.zip ? `to ${values.zip}` : `under ${values.out}`}`,
    );
  return skipped === 0 ? 0 : 1;
}
