/** Plain-text account of the exclusions of a report: totals after them, stale and executed ones. */
import { percent, summaryTable } from './summary';
import type { Report, Totals } from './report';
import type { Exclusion } from './exclusions';

/** "LCOV_EXCL_LINE (lcov) at line 12: reason" / "justification JUST-1 [defensive code]: reason". */
export function exclusionText(e: Exclusion): string {
  if (e.source === 'marker')
    return `${e.marker} (${e.tool}, line ${e.markerLine})${e.reason.startsWith(e.marker!) ? '' : `: ${e.reason}`}`;
  const name = e.id ?? `#${(e.justification ?? 0) + 1}`;
  return `justification ${name} [${e.category}]: ${e.reason}`;
}

const KINDS = ['lines', 'functions', 'branches', 'conditions'] as const;

/** One line per kind: all code, then without the excluded code. */
export function totalsBoth(all: Totals, after: Totals): string[] {
  return KINDS.map(
    (k) =>
      `${k.padEnd(10)} all code ${`${all[k].hit}/${all[k].found}`.padStart(13)} ${percent(all[k]).padStart(6)}` +
      `   without excluded ${`${after[k].hit}/${after[k].found}`.padStart(13)} ${percent(after[k]).padStart(6)}`,
  );
}

/** The `--summary` text when exclusions were applied: the table after exclusions and the lists. */
export function exclusionSummary(report: Report): string {
  const s = report.exclusions;
  const after = report.afterExclusions;
  if (!s || !after) return '';
  // nothing excluded and nothing asked for: the plain table says it all
  if (s.justificationFile === undefined && !report.files.some((f) => f.excluded)) return '';
  const out: string[] = [];
  out.push(
    summaryTable({
      ...report,
      directories: report.directories.map((d) => ({ path: d.path, totals: d.afterExclusions ?? d.totals })),
      totals: after,
    }).replace(/^Coverage under/, 'Coverage without excluded code under'),
    '',
    'Totals with and without exclusions:',
    ...totalsBoth(report.totals, after),
    '',
    `Exclusions: markers ${s.markers ? 'read' : 'off (--no-markers)'}` +
      (s.justificationFile !== undefined
        ? `; ${s.justificationFile}: ${s.applied.length} applied, ${s.stale.length} stale`
        : ''),
  );
  for (const a of s.applied)
    if (a.moved !== 0)
      out.push(
        `  justification ${a.justification.id ?? `#${a.index + 1}`} moved ${a.moved > 0 ? '+' : ''}${a.moved} lines: now ${a.path}:${a.first}-${a.last}`,
      );
  for (const st of s.stale)
    out.push(
      `  stale: justification ${st.justification.id ?? `#${st.index + 1}`} (${st.justification.file}): ${st.reason}`,
    );
  for (const e of s.executed)
    out.push(
      `  excluded but executed: ${e.path}:${e.line}${e.function !== undefined ? ` function ${e.function}` : ''} ran ${e.count} times (${exclusionText(e.exclusion)})`,
    );
  for (const w of s.warnings) out.push(`  warning: ${w}`);
  return out.join('\n');
}
