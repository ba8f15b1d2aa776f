/**
 * `hvcov report` over several images: merged runs (the default) or, with --diff, snapshots
 * compared (B − A, covered only in B). Each --image is a run named after its file, each
 * --run NAME=IMAGE a named one (IMAGE may also be a folder of .gcda files).
 */
import { statSync, writeFileSync } from 'node:fs';
import { basename, relative, sep } from 'node:path';
import { InputError } from '../gcov/errors';
import { extractImage } from '../gcov/extract';
import { targetText } from '../gcov/memory';
import type { DetectOptions } from '../gcov/detect';
import { diffRuns, type ReportDiff } from '../model/diff';
import { bytesOf, treeFiles } from './inputs';
import type { NotesInput, Report, ReportOptions, Totals } from '../model/report';
import { buildRunsReport, coveredBy, type RunInput } from '../model/runs';
import { buildSeries } from '../model/series';
import { percent } from '../model/summary';

export interface RunSpec {
  readonly name: string;
  readonly path: string;
}

/** --image PATH (named by file name) and --run NAME=PATH, in the order given. */
export function runSpecs(images: readonly string[] = [], runs: readonly string[] = []): RunSpec[] {
  const out: RunSpec[] = images.map((path) => ({ name: basename(path), path }));
  for (const r of runs) {
    const eq = r.indexOf('=');
    if (eq <= 0 || eq === r.length - 1)
      throw new InputError('command line', undefined, 'bad-argument', `--run ${r}: NAME=IMAGE`);
    out.push({ name: r.slice(0, eq), path: r.slice(eq + 1) });
  }
  // two images with one file name (a/image.bin, b/image.bin): name them by path
  const names = out.map((s) => s.name);
  return out.map((s, i) =>
    images.includes(s.path) && names.indexOf(s.name) !== names.lastIndexOf(s.name) && i < images.length
      ? { name: s.path, path: s.path }
      : s,
  );
}

/** A run: a core image, or a folder of .gcda files (named by their path under it). */
function readRun(spec: RunSpec, opts: DetectOptions, out: (s: string) => void, problems: string[]): RunInput {
  if (statSync(spec.path).isDirectory()) {
    const others: InputError[] = [];
    const data = treeFiles(spec.path, '.gcda', others).map((f) => ({
      name: relative(spec.path, f).split(sep).join('/'),
      bytes: bytesOf(f),
    }));
    out(`run:      ${spec.name} = ${spec.path}: ${data.length} .gcda`);
    for (const e of others) problems.push(`problem: ${spec.name}: ${e.message}`);
    return { name: spec.name, data };
  }
  const result = extractImage(bytesOf(spec.path), spec.path, opts);
  const d = result.detection;
  const target = `${targetText(d.target)}${d.arch ? ` (${d.arch})` : ''}`;
  out(`run:      ${spec.name} = ${spec.path}: ${result.files.length} .gcda`);
  for (const w of result.warnings) out(`warning: ${spec.name}: ${w}`);
  for (const p of result.problems) problems.push(`skipped: ${p.message}`);
  return {
    name: spec.name,
    data: result.files.map((f) => ({ name: f.path, bytes: f.bytes, image: spec.path, target })),
  };
}

const KINDS = ['lines', 'functions', 'branches', 'conditions'] as const;
const signed = (n: number) => (n > 0 ? `+${n}` : `${n}`);

function totalsRow(name: string, t: Totals): string {
  return `${name.padEnd(12)} ${KINDS.map((k) => `${t[k].hit}/${t[k].found} ${percent(t[k]).padStart(6)}`.padStart(20)).join('')}`;
}

/** The diff as text: totals of A and B, the deltas, then the lines covered only in B. */
export function diffText(d: ReportDiff): string {
  const head = `${''.padEnd(12)} ${KINDS.map((k) => k.padStart(20)).join('')}`;
  const delta = `${'delta'.padEnd(12)} ${KINDS.map((k) => signed(d.totalsB[k].hit - d.totalsA[k].hit).padStart(20)).join('')}`;
  const lines = [head, totalsRow(`A ${d.a}`, d.totalsA), totalsRow(`B ${d.b}`, d.totalsB), delta];
  lines.push(
    `covered only in B: ${d.onlyB.lines} lines, ${d.onlyB.branches} branches, ${d.onlyB.conditions} condition outcomes`,
  );
  for (const f of d.files)
    for (const l of f.lines)
      if (l.onlyB || l.branchesOnlyB > 0 || l.conditionsOnlyB > 0)
        lines.push(
          `  ${f.path}:${l.lineNumber}  ${l.a} -> ${l.b} (${signed(l.delta)})${l.branchesOnlyB ? `, ${l.branchesOnlyB} branches` : ''}${l.conditionsOnlyB ? `, ${l.conditionsOnlyB} condition outcomes` : ''}`,
        );
  return lines.join('\n');
}

/** The per-line deltas as JSON (--diff-json). */
export function diffJson(d: ReportDiff): string {
  return JSON.stringify({
    a: d.a,
    b: d.b,
    totals: { a: d.totalsA, b: d.totalsB },
    covered_only_in_b: d.onlyB,
    objects: d.objects,
    files: d.files.map((f) => ({
      file: f.path,
      lines: f.lines.map((l) => ({
        line_number: l.lineNumber,
        a: l.a,
        b: l.b,
        delta: l.delta,
        only_b: l.onlyB,
        branches: l.branches.map((x) => ({ a: x.a, b: x.b, delta: x.b - x.a })),
        conditions: { a: l.conditionsA, b: l.conditionsB, only_b: l.conditionsOnlyB },
      })),
    })),
  });
}

export interface MultiOptions {
  readonly detect: DetectOptions;
  readonly report: ReportOptions;
  readonly diff: boolean;
  readonly partial: boolean;
  readonly diffJson?: string;
  readonly runsJson?: string;
}

/**
 * Several runs: with `diff`, compares the first with the last (and prints the series'
 * totals); without, merges them. Returns the report the outputs are written from (the
 * merged one, or B's), or an exit status when there is nothing more to write.
 */
export function multiRun(
  notes: readonly NotesInput[],
  specs: readonly RunSpec[],
  o: MultiOptions,
  out: (s: string) => void,
  problems: string[],
): Report {
  const runs = specs.map((s) => readRun(s, o.detect, out, problems));
  if (o.diff) {
    if (runs.length < 2)
      throw new InputError('command line', undefined, 'bad-argument', '--diff needs two images or more');
    if (runs.length > 2) {
      const series = buildSeries(notes, runs, o.report);
      for (const p of series.points) out(totalsRow(p.name, p.totals));
    }
    const d = diffRuns(notes, runs[0]!, runs.at(-1)!, { ...o.report, partial: o.partial });
    const left = d.objects.filter((x) => x.status !== 'same');
    // left out by --partial: listed as problems (exit status 1)
    if (left.length > 0)
      out(`diff:     ${d.objects.length - left.length} objects compared, ${left.length} left out`);
    for (const x of left)
      problems.push(
        `left out: ${x.data}: ${x.status === 'other-build' ? x.reason : `only in ${x.status === 'only-a' ? d.a : d.b}`}`,
      );
    out(diffText(d));
    if (o.diffJson !== undefined) writeFileSync(o.diffJson, diffJson(d) + '\n');
    for (const p of [...d.reportA.problems, ...d.reportB.problems]) problems.push(`problem: ${p.message}`);
    return d.reportB;
  }
  const r = buildRunsReport(notes, runs, o.report);
  for (const w of r.warnings) out(`warning: ${w}`);
  r.perRun.forEach((rep, i) => out(totalsRow(r.runs[i]!, rep.totals)));
  out(totalsRow('merged', r.report.totals));
  if (o.runsJson !== undefined) {
    const by = coveredBy(r);
    writeFileSync(
      o.runsJson,
      JSON.stringify({
        runs: r.runs,
        files: [...by].map(([file, lines]) => ({
          file,
          lines: [...lines].map(([line_number, idx]) => ({ line_number, runs: idx.map((i) => r.runs[i]) })),
        })),
      }) + '\n',
    );
  }
  return r.report;
}
