/** `hvcov report`: the coverage of a build from a core image or .gcda files. */
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../gcov/errors';
import { extractImage } from '../gcov/extract';
import { targetText } from '../gcov/memory';
import { coberturaXml } from '../model/cobertura';
import { lcovTracefile } from '../model/lcov';
import { streamGcovJson } from '../model/gcov-json-stream';
import {
  buildReport,
  type DataInput,
  type NotesInput,
  type ReportOptions,
  type Totals,
} from '../model/report';
import { percent, summaryTable } from '../model/summary';
import { describe } from './extract';
import { detectOptions, TARGET_OPTIONS } from './args';

export const REPORT_HELP = `hvcov report --build DIR (--image IMAGE | --gcda DIR) [outputs] [options]

Coverage of a build: every .gcno under --build, with its data from a core image or from
a folder of .gcda files (each .gcda goes to the .gcno whose path shares the longest
ending with it, and must carry the same stamp and checksum).

  --build DIR              folder with the .gcno files (the object tree of the build)
  --image IMAGE            core image to take the .gcda data from (as hvcov extract)
  --gcda DIR               folder with .gcda files instead
  --gcov-json FILE         gcov's JSON (gcov --json-format -b), one line per .gcno
  --lcov FILE              lcov tracefile
  --cobertura FILE         Cobertura XML as gcovr writes it, for the files under --source-root
                           (default: the current directory)
  --summary                table of line/function/branch/condition coverage per directory
  --source-root DIR        resolve relative source names against DIR (lcov's --base-directory;
                           default: the compile directory recorded in each .gcno)
  --test-name NAME         lcov test name (TN:)
  --fail-under-line P      exit 3 when line coverage is below P percent
  --fail-under-branch P    exit 3 when branch coverage is below P percent
  --fail-under-condition P exit 3 when condition coverage is below P percent
  --base, --arch, --word-size, --endian, --head, --elf, --head-symbol, --scan
                           image options, as for hvcov extract

Counters that contradict a function's flow graph (a negative count, a block whose entries
and exits do not add up, a graph they leave unsolvable) are printed as "warning:" lines
naming the .gcda, the function and the block; the counts reported are still gcov's.

Exit status: 0 when everything was read, 1 when some files had problems or such warnings
(each is printed, the rest is reported), 2 on errors, 3 when below a --fail-under threshold.`;

function walk(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p, ext));
    else if (name.endsWith(ext)) out.push(p);
  }
  return out.sort();
}

const bytesOf = (path: string): Uint8Array => {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};

function threshold(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isFinite(v) || v < 0 || v > 100)
    throw new InputError('command line', undefined, 'bad-argument', `${what}: a percentage from 0 to 100`);
  return v;
}

export async function reportCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...TARGET_OPTIONS,
      build: { type: 'string' },
      image: { type: 'string' },
      gcda: { type: 'string' },
      'gcov-json': { type: 'string' },
      lcov: { type: 'string' },
      cobertura: { type: 'string' },
      summary: { type: 'boolean' },
      'source-root': { type: 'string' },
      'test-name': { type: 'string' },
      'fail-under-line': { type: 'string' },
      'fail-under-branch': { type: 'string' },
      'fail-under-condition': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out(REPORT_HELP);
    return 0;
  }
  if (!values.build || (values.image === undefined) === (values.gcda === undefined)) {
    out(REPORT_HELP);
    return 2;
  }
  const limits: [keyof Totals, string, number | undefined][] = [
    ['lines', 'line', threshold(values['fail-under-line'], '--fail-under-line')],
    ['branches', 'branch', threshold(values['fail-under-branch'], '--fail-under-branch')],
    ['conditions', 'condition', threshold(values['fail-under-condition'], '--fail-under-condition')],
  ];

  const build = values.build;
  const notes: NotesInput[] = walk(build, '.gcno').map((f) => ({
    name: relative(build, f),
    bytes: bytesOf(f),
  }));
  if (notes.length === 0)
    throw new InputError(build, undefined, 'not-found', 'no .gcno files in the build folder');

  let data: DataInput[];
  const problems: string[] = [];
  if (values.image !== undefined) {
    const opts = detectOptions(values);
    if (values.elf) opts.elf = { bytes: bytesOf(values.elf), name: values.elf };
    const result = extractImage(bytesOf(values.image), values.image, opts);
    out(describe(result, values.image));
    const d = result.detection;
    const target = `${targetText(d.target)}${d.arch ? ` (${d.arch})` : ''}`;
    for (const w of result.warnings) out(`warning: ${w}`);
    for (const p of result.problems) problems.push(`skipped: ${p.message}`);
    data = result.files.map((f) => ({ name: f.path, bytes: f.bytes, image: values.image, target }));
  } else {
    const dir = values.gcda!;
    data = walk(dir, '.gcda').map((f) => ({ name: relative(dir, f), bytes: bytesOf(f) }));
  }

  const reportOptions = {
    ...(values['source-root'] !== undefined ? { sourceRoot: resolve(values['source-root']) } : {}),
  };
  if (
    values['gcov-json'] !== undefined &&
    values.lcov === undefined &&
    values.cobertura === undefined &&
    !values.summary &&
    limits.every(([, , limit]) => limit === undefined)
  )
    return gcovJsonOnly(values['gcov-json'], notes, data, reportOptions, problems, out);

  const report = buildReport(notes, data, {
    ...(values['source-root'] !== undefined ? { sourceRoot: resolve(values['source-root']) } : {}),
  });
  for (const p of report.problems) problems.push(`problem: ${p.message}`);
  for (const p of report.flow) problems.push(`warning: ${p.message}`);
  const used = report.objects.filter((o) => o.data !== undefined).length;
  out(
    `report:   ${notes.length} .gcno, ${data.length} .gcda, ${used} matched, ${report.files.length} source files`,
  );
  for (const o of report.objects)
    if (o.data === undefined) out(`note: no .gcda for ${o.notes}: counted as never executed`);

  if (values['gcov-json'] !== undefined)
    writeFileSync(values['gcov-json'], report.objects.map((o) => JSON.stringify(o.json) + '\n').join(''));
  if (values.lcov !== undefined)
    writeFileSync(
      values.lcov,
      lcovTracefile(report, values['test-name'] !== undefined ? { testName: values['test-name'] } : {}),
    );
  if (values.cobertura !== undefined)
    writeFileSync(
      values.cobertura,
      coberturaXml(report, {
        root: resolve(values['source-root'] ?? '.'),
        source: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined),
      }),
    );
  if (values.summary) out(summaryTable(report));
  for (const p of problems) out(p);

  let below = false;
  for (const [kind, name, limit] of limits) {
    if (limit === undefined) continue;
    const c = report.totals[kind];
    if (c.found > 0 && (c.hit * 100) / c.found < limit) {
      below = true;
      out(`${name} coverage ${percent(c)} (${c.hit}/${c.found}) is below ${limit}%`);
    }
  }
  return below ? 3 : problems.length > 0 ? 1 : 0;
}

/** Only gcov JSON asked for: written object by object, without the report model. */
function gcovJsonOnly(
  path: string,
  notes: NotesInput[],
  data: DataInput[],
  opts: ReportOptions,
  problems: string[],
  out: (s: string) => void,
): number {
  const fd = openSync(path, 'w');
  let r;
  try {
    // The inputs' bytes are let go as they are read (see streamGcovJson).
    r = streamGcovJson(notes, data, opts, (text) => writeSync(fd, text));
  } finally {
    closeSync(fd);
  }
  for (const p of r.problems) problems.push(`problem: ${p.message}`);
  for (const p of r.flow) problems.push(`warning: ${p.message}`);
  out(
    `report:   ${notes.length} .gcno, ${data.length} .gcda, ${r.matched} matched, ${r.sourceFiles} source files`,
  );
  for (const n of r.withoutData) out(`note: no .gcda for ${n}: counted as never executed`);
  for (const p of problems) out(p);
  return problems.length > 0 ? 1 : 0;
}
