/** `hvcov report`: the coverage of a build from a core image or .gcda files. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../gcov/errors';
import { extractImage } from '../gcov/extract';
import { targetText } from '../gcov/memory';
import { coberturaXml } from '../model/cobertura';
import { lcovTracefile } from '../model/lcov';
import { buildReport, type DataInput, type NotesInput, type Totals } from '../model/report';
import { percent, summaryTable } from '../model/summary';
import { describe } from './extract';
import { detectOptions, TARGET_OPTIONS } from './args';
import { archiveLimits, bytesOf, filesOf, imageOf, LIMIT_OPTIONS, LIMITS_HELP } from './inputs';

export const REPORT_HELP = `hvcov report --build DIR (--image IMAGE | --gcda DIR) [outputs] [options]

Coverage of a build: every .gcno under --build, with its data from a core image or from
a folder of .gcda files (each .gcda goes to the .gcno whose path shares the longest
ending with it, and must carry the same stamp and checksum).

  --build DIR              folder with the .gcno files (the object tree of the build),
                           or a .zip, .tar or .tar.gz of it
  --image IMAGE            core image to take the .gcda data from (as hvcov extract),
                           gzip-compressed or not
  --gcda DIR               folder (or archive) with .gcda files instead
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
${LIMITS_HELP}

Exit status: 0 when everything was read, 1 when some files had problems (each is printed,
the rest is reported), 2 on errors, 3 when below a --fail-under threshold.`;

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
      ...LIMIT_OPTIONS,
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
  const archive = archiveLimits(values);
  const problems: string[] = [];
  const tree = await filesOf(build, '.gcno', archive);
  for (const p of tree.problems) problems.push(`problem: ${p.message}`);
  const notes: NotesInput[] = tree.files;
  if (notes.length === 0)
    throw new InputError(build, undefined, 'not-found', 'no .gcno files in the build folder');

  let data: DataInput[];
  if (values.image !== undefined) {
    const opts = detectOptions(values);
    if (values.elf) opts.elf = { bytes: bytesOf(values.elf), name: values.elf };
    const result = extractImage(await imageOf(values.image, archive), values.image, opts);
    out(describe(result, values.image));
    const d = result.detection;
    const target = `${targetText(d.target)}${d.arch ? ` (${d.arch})` : ''}`;
    for (const w of result.warnings) out(`warning: ${w}`);
    for (const p of result.problems) problems.push(`skipped: ${p.message}`);
    data = result.files.map((f) => ({ name: f.path, bytes: f.bytes, image: values.image, target }));
  } else {
    const gcda = await filesOf(values.gcda!, '.gcda', archive);
    for (const p of gcda.problems) problems.push(`problem: ${p.message}`);
    data = gcda.files;
  }

  const report = buildReport(notes, data, {
    ...(values['source-root'] !== undefined ? { sourceRoot: resolve(values['source-root']) } : {}),
  });
  for (const p of report.problems) problems.push(`problem: ${p.message}`);
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
