/**
 * Merged runs: several runs of one build (images or .gcda sets of different cells or test
 * suites) counted as one, their counters merged as `gcov-tool merge` merges them (arcs add,
 * condition bitmaps OR: src/gcov/gcda-merge.ts), each run kept by name so that a line can
 * say which runs executed it.
 */
import { InputError } from '../gcov/errors';
import { mergeRuns } from '../gcov/gcda-merge';
import { buildReport, type DataInput, type NotesInput, type Report, type ReportOptions } from './report';

/** One run: a name and its .gcda (from one image or one folder). */
export interface RunInput {
  readonly name: string;
  readonly data: readonly DataInput[];
}

export interface RunsReport {
  readonly runs: readonly string[];
  /** The report of the merged counters. */
  readonly report: Report;
  /** Each run on its own, in the order given. */
  readonly perRun: readonly Report[];
  /** The same run given twice, files only some runs have. */
  readonly warnings: readonly string[];
}

/** Refuses a run name given twice: lines name their runs, so names must tell them apart. */
function checkNames(runs: readonly RunInput[]): void {
  const seen = new Set<string>();
  for (const r of runs) {
    if (seen.has(r.name))
      throw new InputError(r.name, undefined, 'bad-argument', 'two runs have this name: name them apart');
    seen.add(r.name);
  }
}

/**
 * Merges the runs' counters (left to right, as repeated gcov-tool merges would) and builds
 * the merged report and one report per run. Files of another build are refused (InputError
 * naming the object and the stamp or checksum that differs).
 */
export function buildRunsReport(
  notes: readonly NotesInput[],
  runs: readonly RunInput[],
  opts: ReportOptions = {},
  /** Each run's report when already built (a series), so it is not built again. */
  perRun?: readonly Report[],
): RunsReport {
  if (runs.length === 0) throw new InputError('runs', undefined, 'not-found', 'no run given');
  checkNames(runs);
  const merged = mergeRuns(
    runs.map((r) => ({
      name: r.name,
      files: new Map(r.data.map((d) => [d.name, { bytes: d.bytes, file: `${r.name}: ${d.name}` }])),
    })),
  );
  const first = runs[0]!.data[0];
  const data: DataInput[] = [...merged.files].map(([name, bytes]) => ({
    name,
    bytes,
    image: runs.map((r) => r.name).join(' + '),
    ...(first?.target !== undefined ? { target: first.target } : {}),
  }));
  return {
    runs: runs.map((r) => r.name),
    report: buildReport([...notes], data, opts),
    perRun: perRun ?? runs.map((r) => buildReport([...notes], [...r.data], opts)),
    warnings: merged.warnings,
  };
}

/** Per source path and line: the indexes of the runs in which the line was executed. */
export type CoveredBy = ReadonlyMap<string, ReadonlyMap<number, readonly number[]>>;

export function coveredBy(r: Pick<RunsReport, 'perRun'>): CoveredBy {
  const out = new Map<string, Map<number, number[]>>();
  r.perRun.forEach((report, i) => {
    for (const f of report.files) {
      let m = out.get(f.path);
      if (!m) out.set(f.path, (m = new Map()));
      for (const l of f.lines)
        if (l.count > 0) {
          const have = m.get(l.lineNumber);
          if (have) have.push(i);
          else m.set(l.lineNumber, [i]);
        }
    }
  });
  return out;
}
