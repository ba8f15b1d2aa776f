/**
 * Exclusions as the page shows them, packed in the worker: the report's totals after
 * exclusions, stale justifications, excluded code that ran, and per file the excluded
 * lines with their reasons. No DOM here.
 */
import { exclusionText } from '../model/exclusion-summary';
import type { Report, ReportFile, Totals } from '../model/report';

export interface ExcludedLineView {
  readonly line: number;
  /** `line`: the whole line; `branch`: only its branches. */
  readonly scope: 'line' | 'branch';
  /** Marker or justification, with category and reason, as one text. */
  readonly text: string;
  readonly source: 'marker' | 'justification';
  /** The line is excluded yet was executed. */
  readonly executed: boolean;
}

export interface ExclusionsView {
  readonly afterExclusions: Totals;
  readonly markers: boolean;
  readonly justificationFile?: string;
  readonly applied: number;
  readonly stale: readonly string[];
  /** "path:line" and what excluded it, for excluded code that ran. */
  readonly executed: readonly { path: string; line: number; count: number; text: string }[];
  /** Lines (or branch lines) excluded over all files. */
  readonly excludedLines: number;
}

export function reportExclusions(report: Report): ExclusionsView | undefined {
  const s = report.exclusions;
  if (!s || !report.afterExclusions) return undefined;
  let excludedLines = 0;
  for (const f of report.files) excludedLines += f.excluded?.size ?? 0;
  if (excludedLines === 0 && s.justificationFile === undefined) return undefined;
  return {
    afterExclusions: report.afterExclusions,
    markers: s.markers,
    ...(s.justificationFile !== undefined ? { justificationFile: s.justificationFile } : {}),
    applied: s.applied.length,
    stale: s.stale.map(
      (st) => `${st.justification.id ?? `#${st.index + 1}`} (${st.justification.file}): ${st.reason}`,
    ),
    executed: s.executed.map((e) => ({
      path: e.path,
      line: e.line,
      count: e.count,
      text: `${e.function !== undefined ? `function ${e.function}: ` : ''}${exclusionText(e.exclusion)}`,
    })),
    excludedLines,
  };
}

/** The excluded lines of a file that has data on them, by line number. */
export function fileExclusions(
  f: ReportFile,
): { excluded: ExcludedLineView[]; afterExclusions: Totals } | undefined {
  if (!f.excluded || !f.afterExclusions) return undefined;
  const counts = new Map(f.lines.map((l) => [l.lineNumber, l.count]));
  const excluded: ExcludedLineView[] = [];
  for (const [line, es] of [...f.excluded].sort(([a], [b]) => a - b)) {
    const e = es.find((x) => x.scope === 'line') ?? es[0]!;
    excluded.push({
      line,
      scope: e.scope,
      text: exclusionText(e),
      source: e.source,
      executed: e.scope === 'line' && (counts.get(line) ?? 0) > 0,
    });
  }
  return { excluded, afterExclusions: f.afterExclusions };
}
