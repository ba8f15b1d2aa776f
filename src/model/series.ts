/**
 * A series of snapshots: images of one build taken at different moments of a test
 * campaign, each reported on its own, in the order given, with the coverage totals per
 * snapshot (for the chart) and how each snapshot's objects match the first one's.
 */
import { compareBuilds, type ObjectMatch } from './diff';
import { buildReport, type NotesInput, type Report, type ReportOptions, type Totals } from './report';
import type { RunInput } from './runs';

export interface SeriesPoint {
  readonly name: string;
  readonly totals: Totals;
  /** Against the first snapshot (empty for the first). */
  readonly objects: readonly ObjectMatch[];
  /** Every object has the stamp and checksums of the first snapshot's. */
  readonly sameBuild: boolean;
}

export interface Series {
  readonly points: readonly SeriesPoint[];
  readonly reports: readonly Report[];
}

export function buildSeries(
  notes: readonly NotesInput[],
  snapshots: readonly RunInput[],
  opts: ReportOptions = {},
): Series {
  const reports = snapshots.map((s) => buildReport([...notes], [...s.data], opts));
  const first = snapshots[0];
  const points = snapshots.map((s, i) => {
    const objects = i === 0 || !first ? [] : compareBuilds(first.data, s.data);
    return {
      name: s.name,
      totals: reports[i]!.totals,
      objects,
      sameBuild: objects.every((o) => o.status === 'same'),
    };
  });
  return { points, reports };
}

/** Percent covered, or undefined when nothing is found (a chart leaves a gap). */
export const coveredPercent = (c: { found: number; hit: number }): number | undefined =>
  c.found === 0 ? undefined : (c.hit * 100) / c.found;
