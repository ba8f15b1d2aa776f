/** `hvcov report`: the coverage of a build from a core image or .gcda files. */
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../gcov/errors';
import { extractImage } from '../gcov/extract';
import { targetText } from '../gcov/memory';
import { applyExclusions } from '../model/apply-exclusions';
import { coberturaXml } from '../model/cobertura';
import { exclusionSummary } from '../model/exclusion-summary';
import { parseJustifications } from '../model/justification';
import { lcovTracefile } from '../model/lcov';
import { streamGcovJson } from '../model/gcov-json-stream';
import {
  buildReport,
  KEEP_PARSED_NOTES,
  type DataInput,
  type NotesInput,
  type Report,
  type ReportOptions,
  type Totals,
} from '../model/report';
import { pathSummaryTable } from '../model/path-summary';
import { percent, summaryTable } from '../model/summary';
import { describe } from './extract';
import { fileSystemPathExists } from './path-exists';
import { gcovrPlace } from './gcovr-place';
import { detectOptions, TARGET_OPTIONS } from './args';
import { EVIDENCE_HELP, EVIDENCE_OPTIONS } from './evidence-options';
import { archiveLimits, bytesOf, filesOf, imageOf, isFile, LIMIT_OPTIONS, LIMITS_HELP } from './inputs';
import { gcovJsonLine } from '../model/gcov-json-text';

export const REPORT_HELP = `hvcov report --build DIR (--image IMAGE... | --run NAME=IMAGE... | --gcda DIR) [outputs] [options]

Coverage of a build: every .gcno under --build, with its data from a core image or from
a folder of .gcda files (each .gcda goes to the .gcno whose path shares the longest
ending with it, and must carry the same stamp and checksum).

  --build DIR              folder with the .gcno files (the object tree of the build),
                           or a .zip, .tar or .tar.gz of it
  --image IMAGE            core image to take the .gcda data from (as hvcov extract),
                           gzip-compressed or not
  --gcda DIR               folder (or archive) with .gcda files instead
  --run NAME=IMAGE         a named run (an image, or a folder of .gcda files); several are merged (arcs add, conditions
                           OR, as gcov-tool merge), warning when one run is given twice
  --diff                   snapshots instead: the last image against the first, B − A per line,
                           branch and condition, and what only B covered; images of another
                           build are refused, naming each object whose stamp or checksum differs
  --partial                with --diff: compare the objects that match, list the others
  --diff-json FILE         with --diff: the per-line deltas as JSON
  --runs-json FILE         merged runs: per line, the runs that executed it
  --gcov-json FILE         gcov's JSON (gcov --json-format -b), one line per .gcno
  --prime-paths            each function's prime paths (GCC 15 -fpath-coverage) as gcov-15
                           --prime-paths: in --gcov-json (totals and the paths not covered) and,
                           with --summary, a table of prime paths covered per directory
  --lcov FILE              lcov tracefile
  --cobertura FILE         Cobertura XML as gcovr writes it (gcovr -r ROOT), for the files
                           under --root
  --root DIR               Cobertura's root (gcovr's --root): files are named relative to it,
                           only those under it are reported, and each object's relative source
                           names resolve where gcovr finds them (DIR first, then the object's
                           folder and those above it). Default: --source-root, else the
                           current directory
  --summary                table of line/function/branch/condition coverage per directory
  --source-root DIR        resolve relative source names against DIR (lcov's --base-directory;
                           default: the compile directory recorded in each .gcno)
  --test-name NAME         lcov test name (TN:)
  --mcdc-coverage          with --lcov: lcov 2's MC/DC records (MCDC, MCF, MCH) from the
                           condition data (GCC 14+, -fcondition-coverage), as lcov 2 writes them
  --exclusions FILE        justification file (JSON, see README "Exclusions"): code excluded
                           with a reason, anchored by function and line text; stale ones listed
  --no-markers             ignore LCOV_EXCL_* / GCOVR_EXCL_* markers in the sources (read by
                           default, as lcov and gcovr read them)
  --fail-under-line P      exit 3 when line coverage is below P percent
  --fail-under-branch P    exit 3 when branch coverage is below P percent
  --fail-under-condition P exit 3 when condition coverage is below P percent
${EVIDENCE_HELP}
${LIMITS_HELP}
  --base, --arch, --word-size, --endian, --head, --elf, --head-symbol, --scan
                           image options, as for hvcov extract

Counters that contradict a function's flow graph (a negative count, a block whose entries
and exits do not add up, a graph they leave unsolvable) are printed as "warning:" lines
naming the .gcda, the function and the block; the counts reported are still gcov's.

Exit status: 0 when everything was read, 1 when some files had problems or such warnings
(each is printed, the rest is reported), 2 on errors, 3 when below a --fail-under threshold.`;

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
      ...EVIDENCE_OPTIONS,
      ...LIMIT_OPTIONS,
      build: { type: 'string' },
      image: { type: 'string', multiple: true },
      run: { type: 'string', multiple: true },
      diff: { type: 'boolean' },
      partial: { type: 'boolean' },
      'diff-json': { type: 'string' },
      'runs-json': { type: 'string' },
      gcda: { type: 'string' },
      'gcov-json': { type: 'string' },
      'prime-paths': { type: 'boolean' },
      lcov: { type: 'string' },
      cobertura: { type: 'string' },
      summary: { type: 'boolean' },
      'source-root': { type: 'string' },
      root: { type: 'string' },
      'test-name': { type: 'string' },
      'mcdc-coverage': { type: 'boolean' },
      exclusions: { type: 'string' },
      'no-markers': { type: 'boolean' },
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
  const images = (values.image?.length ?? 0) + (values.run?.length ?? 0);
  if (!values.build || (images === 0) === (values.gcda === undefined)) {
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
  const multiple = images > 1 || values.run !== undefined || values.diff === true;
  // gcov JSON alone needs no merged model and no sources: one object at a time
  const jsonOnly =
    !multiple &&
    values['gcov-json'] !== undefined &&
    [values.lcov, values.cobertura, values.package, values.markdown, values.exclusions].every(
      (v) => v === undefined,
    ) &&
    !values.summary &&
    limits.every(([, , limit]) => limit === undefined);
  // The evidence package hashes the inputs after the report; otherwise each input is let go
  // once read, each .gcno of a folder is read when parsed and may be read again (see
  // readAndPair's streaming): memory then does not grow with the number of objects.
  const evidence = Object.keys(EVIDENCE_OPTIONS).some(
    (k) => values[k as keyof typeof EVIDENCE_OPTIONS] !== undefined,
  );
  const stream = !multiple && (jsonOnly || !evidence);
  const tree = await filesOf(build, '.gcno', archive, { lazy: stream });
  for (const p of tree.problems) problems.push(`problem: ${p.message}`);
  const notes: NotesInput[] = tree.files;
  if (notes.length === 0)
    throw new InputError(build, undefined, 'not-found', 'no .gcno files in the build folder');

  let data: DataInput[] = [];
  const pathExists = fileSystemPathExists();
  const reportOpts = {
    ...(values['source-root'] !== undefined ? { sourceRoot: resolve(values['source-root']) } : {}),
    ...(values['prime-paths'] ? { primePaths: true } : {}),
    pathExists,
  };
  let report: Report | undefined;
  if (multiple) {
    // the package's manifest names one image; several runs would leave some unhashed
    if (values.package !== undefined)
      throw new InputError(
        'command line',
        undefined,
        'bad-argument',
        '--package: only with one image or one .gcda folder',
      );
    const { multiRun, runSpecs } = await import('./runs');
    const opts = detectOptions(values);
    if (values.elf) opts.elf = { bytes: bytesOf(values.elf), name: values.elf };
    report = multiRun(
      notes,
      runSpecs(values.image, values.run),
      {
        detect: opts,
        report: reportOpts,
        diff: values.diff === true,
        partial: values.partial === true,
        ...(values['diff-json'] !== undefined ? { diffJson: values['diff-json'] } : {}),
        ...(values['runs-json'] !== undefined ? { runsJson: values['runs-json'] } : {}),
      },
      out,
      problems,
    );
  } else if (values.image !== undefined) {
    const image = values.image[0]!;
    const opts = detectOptions(values);
    if (values.elf) opts.elf = { bytes: bytesOf(values.elf), name: values.elf };
    const result = extractImage(await imageOf(image, archive), image, opts);
    out(describe(result, image));
    const d = result.detection;
    const target = `${targetText(d.target)}${d.arch ? ` (${d.arch})` : ''}`;
    for (const w of result.warnings) out(`warning: ${w}`);
    for (const p of result.problems) problems.push(`skipped: ${p.message}`);
    data = result.files.map((f) => ({ name: f.path, bytes: f.bytes, image, target }));
  } else {
    const dir = values.gcda!;
    const gcda = await filesOf(dir, '.gcda', archive);
    for (const p of gcda.problems) problems.push(`problem: ${p.message}`);
    data = gcda.files;
  }
  if (jsonOnly) return gcovJsonOnly(values['gcov-json']!, notes, data, reportOpts, problems, out);
  report ??= buildReport(notes, data, reportOpts, stream ? { keepBytes: KEEP_PARSED_NOTES } : undefined);
  for (const p of report.problems) problems.push(`problem: ${p.message}`);
  // each source read once, for the markers and again for Cobertura
  const sources = new Map<string, string | undefined>();
  const readSource = (path: string): string | undefined => {
    // a name that is a folder (damaged notes can name the source root itself) is no source
    if (!sources.has(path)) sources.set(path, isFile(path) ? readFileSync(path, 'utf8') : undefined);
    return sources.get(path);
  };
  const justified =
    values.exclusions !== undefined
      ? parseJustifications(readFileSync(values.exclusions, 'utf8'), values.exclusions)
      : undefined;
  for (const p of justified?.problems ?? []) problems.push(`problem: ${p.message}`);
  const excl = applyExclusions(report, {
    source: readSource,
    markers: !values['no-markers'],
    ...(justified ? { justifications: justified.file, justificationName: values.exclusions } : {}),
  });
  for (const st of excl.stale)
    problems.push(
      `stale: justification ${st.justification.id ?? `#${st.index + 1}`} (${st.justification.file}): ${st.reason}`,
    );
  for (const p of report.flow) problems.push(`warning: ${p.message}`);
  const used = report.objects.filter((o) => o.data !== undefined).length;
  if (images <= 1 && !values.run)
    out(
      `report:   ${notes.length} .gcno, ${data.length} .gcda, ${used} matched, ${report.files.length} source files`,
    );
  for (const o of report.objects)
    if (o.data === undefined) out(`note: no .gcda for ${o.notes}: counted as never executed`);

  if (values['gcov-json'] !== undefined) {
    // a line at a time: each object's document is unpacked for its line, then let go
    const fd = openSync(values['gcov-json'], 'w');
    try {
      for (const o of report.objects) writeAll(fd, Buffer.from(gcovJsonLine(o)));
    } finally {
      closeSync(fd);
    }
  }
  if (values.lcov !== undefined)
    writeFileSync(
      values.lcov,
      lcovTracefile(report, {
        ...(values['test-name'] !== undefined ? { testName: values['test-name'] } : {}),
        ...(values['mcdc-coverage'] ? { mcdc: true } : {}),
      }),
    );
  const coberturaRoot = resolve(values.root ?? values['source-root'] ?? '.');
  if (values.cobertura !== undefined)
    writeFileSync(
      values.cobertura,
      coberturaXml(report, {
        root: coberturaRoot,
        source: readSource,
        place: gcovrPlace(coberturaRoot, pathExists, build, (notes, name) =>
          out(
            `note: --cobertura leaves ${notes} out, as gcovr does: gcov cannot open its source ${name} from ${coberturaRoot}, the object's folder or any above it`,
          ),
        ),
      }),
    );
  // the package and summary code (and the zip library) loaded only when asked for
  if (evidence)
    await (
      await import('./evidence')
    ).writeEvidence(values, { report, notes, data, image: values.image?.[0], elf: values.elf }, out);
  if (values.summary)
    out(
      [
        summaryTable(report),
        values['prime-paths'] ? pathSummaryTable(report) : undefined,
        exclusionSummary(report),
      ]
        .filter((t) => t)
        .join('\n\n'),
    );
  for (const p of problems) out(p);

  let below = false;
  for (const [kind, name, limit] of limits) {
    if (limit === undefined) continue;
    const c = (report.afterExclusions ?? report.totals)[kind];
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
    r = streamGcovJson(notes, data, opts, (bytes) => writeAll(fd, bytes));
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

/** All of `bytes` into the open file `fd` (writeSync may write less than asked). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
}
