/**
 * What the app shows when several images are given: the runs (one per image, named by its
 * path, in path order), merged into one report (the default) or compared as snapshots
 * (the first against the last), packed as plain data for the page.
 */
import { isInputError, type InputError } from '../gcov/errors';
import { diffReports, diffRuns, type ObjectMatch, type OnlyB } from './diff';
import type { NotesInput, Report, Totals } from './report';
import { buildRunsReport, coveredBy, type CoveredBy, type RunInput } from './runs';
import { buildSeries } from './series';

export type RunsMode = 'merge' | 'diff';

export interface RunsChoice {
  readonly mode: RunsMode;
  /** Diff of another build: compare the objects that match. */
  readonly partial: boolean;
}

export interface DiffLineView {
  readonly path: string;
  readonly line: number;
  readonly a: number;
  readonly b: number;
  readonly delta: number;
  readonly onlyB: boolean;
  readonly branchesOnlyB: number;
  readonly conditionsOnlyB: number;
}

export interface RunsSummary {
  readonly mode: RunsMode;
  readonly partial: boolean;
  /** In order, with each snapshot's own totals (the chart) and its match with the first. */
  readonly runs: readonly { name: string; totals: Totals; sameBuild: boolean }[];
  /** The same run given twice, files only some runs have. */
  readonly warnings: readonly string[];
  /** Why the runs cannot be merged or compared (another build), if so. */
  readonly refused?: string;
  readonly diff?: {
    readonly a: string;
    readonly b: string;
    readonly totalsA: Totals;
    readonly totalsB: Totals;
    readonly onlyB: OnlyB;
    /** Objects left out (partial). */
    readonly left: readonly ObjectMatch[];
    /** Lines whose count changed or that B covered more of. */
    readonly lines: readonly DiffLineView[];
  };
}

export interface RunsBuilt {
  readonly summary: RunsSummary;
  /** The report the page shows: merged runs, or snapshot B; undefined when refused. */
  readonly report?: Report;
  /** Merged runs: per path and line, the runs that executed it. */
  readonly coveredBy?: CoveredBy;
  readonly problems: InputError[];
}

export function buildRunsView(
  notes: readonly NotesInput[],
  runs: readonly RunInput[],
  choice: RunsChoice,
): RunsBuilt {
  const series = buildSeries(notes, runs);
  const base = {
    mode: choice.mode,
    partial: choice.partial,
    runs: series.points.map((p) => ({ name: p.name, totals: p.totals, sameBuild: p.sameBuild })),
  };
  const problems: InputError[] = [];
  try {
    if (choice.mode === 'merge') {
      const r = buildRunsReport(notes, runs, {}, series.reports);
      return {
        summary: { ...base, warnings: r.warnings },
        report: r.report,
        coveredBy: coveredBy(r),
        problems: r.report.problems,
      };
    }
    // one build: the series' reports are the snapshots' reports already
    const last = series.points.at(-1)!;
    const d = last.sameBuild
      ? diffReports(
          series.reports[0]!,
          series.reports.at(-1)!,
          { a: runs[0]!.name, b: last.name },
          last.objects,
        )
      : diffRuns(notes, runs[0]!, runs.at(-1)!, { partial: choice.partial });
    const lines: DiffLineView[] = [];
    for (const f of d.files)
      for (const l of f.lines)
        if (l.delta !== 0 || l.onlyB || l.branchesOnlyB > 0 || l.conditionsOnlyB > 0)
          lines.push({
            path: f.path,
            line: l.lineNumber,
            a: l.a,
            b: l.b,
            delta: l.delta,
            onlyB: l.onlyB,
            branchesOnlyB: l.branchesOnlyB,
            conditionsOnlyB: l.conditionsOnlyB,
          });
    return {
      summary: {
        ...base,
        warnings: [],
        diff: {
          a: d.a,
          b: d.b,
          totalsA: d.totalsA,
          totalsB: d.totalsB,
          onlyB: d.onlyB,
          left: d.objects.filter((o) => o.status !== 'same'),
          lines,
        },
      },
      report: d.reportB,
      problems: d.reportB.problems,
    };
  } catch (e) {
    if (!isInputError(e)) throw e;
    problems.push(e);
    return { summary: { ...base, warnings: [], refused: e.message }, problems };
  }
}
