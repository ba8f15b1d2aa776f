/**
 * Exclusion markers in source text, read the way each tool reads them (so each export can
 * equal its tool):
 *
 * - lcov 1.16 (geninfo, defaults of /etc/lcovrc): `LCOV_EXCL_LINE`, `LCOV_EXCL_START` …
 *   `LCOV_EXCL_STOP` exclude lines (and their branches; a function whose first line is
 *   excluded); `LCOV_EXCL_BR_LINE`, `LCOV_EXCL_BR_START` … `_STOP` and the exception
 *   variants `LCOV_EXCL_EXCEPTION_BR_LINE`/`_START`/`_STOP` exclude a line's branches
 *   (Debian's geninfo drops every branch of such a line on the gcov JSON path). A marker
 *   is any occurrence of its word in the line; STOP is looked at before START, the START
 *   line is excluded, the STOP line is not; a START without STOP runs to the end of file.
 * - gcovr 5.2 (default `--exclude-pattern-prefix [GL]COVR?`): `LCOV_`, `GCOV_`, `GCOVR_`
 *   or `LCOVR_` followed by `EXCL_LINE`/`EXCL_START`/`EXCL_STOP` (lines) or
 *   `EXCL_BR_LINE`/`_START`/`_STOP` (branches); START/STOP nest on a stack, the range is
 *   START up to the line before STOP; a START never stopped excludes nothing; a LINE
 *   inside a range is ignored. Functions are not excluded by gcovr.
 */

/** Which tool's reading of the markers. */
export type MarkerTool = 'lcov' | 'gcovr';

/** What one exclusion takes away: the line (its count, branches, conditions) or its branches. */
export type ExclusionScope = 'line' | 'branch';

/** One reason why a line (or its branches) is excluded. */
export interface Exclusion {
  readonly scope: ExclusionScope;
  readonly source: 'marker' | 'justification';
  /** For a marker: the tool whose reading of the markers gave it. */
  readonly tool?: MarkerTool;
  /** For a marker: its word (e.g. `LCOV_EXCL_START`) and the line it is written on. */
  readonly marker?: string;
  readonly markerLine?: number;
  /** For a justification: its position in the file (0-based) and id, when it has one. */
  readonly justification?: number;
  readonly id?: string;
  readonly category?: string;
  /** Why: the justification's reason, or the text written after the marker. */
  readonly reason: string;
}

export interface MarkerScan {
  /** By line number (1-based): the exclusions the markers give that line. */
  readonly lines: Map<number, Exclusion[]>;
  /** Unbalanced markers, as the tool warns about them. */
  readonly warnings: string[];
}

/** Source text as lines, 1-based in use (index 0 is line 1); a CR before the newline dropped. */
export function sourceLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** The comment text after a marker (`// LCOV_EXCL_LINE: reason` → `reason`), or a default. */
function markerReason(text: string, at: number, marker: string, line: number): string {
  const after = text
    .slice(at + marker.length)
    .replace(/\*\/.*$/, '')
    .replace(/^[\s:;,.\-–—)]+/, '')
    .trim();
  return after !== '' ? after : `${marker} (line ${line})`;
}

function add(map: Map<number, Exclusion[]>, line: number, e: Exclusion): void {
  const have = map.get(line);
  if (have) have.push(e);
  else map.set(line, [e]);
}

/** The markers as lcov 1.16's geninfo reads them. */
export function lcovMarkers(text: string): MarkerScan {
  const lines = new Map<number, Exclusion[]>();
  const warnings: string[] = [];
  const src = sourceLines(text);
  // the open region of each kind: its START line and reason
  let region: { line: number; reason: string; marker: string } | undefined;
  let brRegion: { line: number; reason: string; marker: string } | undefined;
  let exRegion: { line: number; reason: string; marker: string } | undefined;
  const mark = (n: number, scope: ExclusionScope, r: { line: number; reason: string; marker: string }) =>
    add(lines, n, {
      scope,
      source: 'marker',
      tool: 'lcov',
      marker: r.marker,
      markerLine: r.line,
      reason: r.reason,
    });
  const here = (t: string, n: number, marker: string) => ({
    line: n,
    marker,
    reason: markerReason(t, t.indexOf(marker), marker, n),
  });
  src.forEach((t, i) => {
    const n = i + 1;
    if (t.includes('LCOV_EXCL_STOP')) region = undefined;
    else if (t.includes('LCOV_EXCL_START')) region = here(t, n, 'LCOV_EXCL_START');
    if (t.includes('LCOV_EXCL_LINE')) mark(n, 'line', here(t, n, 'LCOV_EXCL_LINE'));
    else if (region) mark(n, 'line', region);
    if (t.includes('LCOV_EXCL_BR_STOP')) brRegion = undefined;
    else if (t.includes('LCOV_EXCL_BR_START')) brRegion = here(t, n, 'LCOV_EXCL_BR_START');
    if (t.includes('LCOV_EXCL_EXCEPTION_BR_STOP')) exRegion = undefined;
    else if (t.includes('LCOV_EXCL_EXCEPTION_BR_START'))
      exRegion = here(t, n, 'LCOV_EXCL_EXCEPTION_BR_START');
    if (t.includes('LCOV_EXCL_BR_LINE')) mark(n, 'branch', here(t, n, 'LCOV_EXCL_BR_LINE'));
    else if (brRegion) mark(n, 'branch', brRegion);
    else if (t.includes('LCOV_EXCL_EXCEPTION_BR_LINE'))
      mark(n, 'branch', here(t, n, 'LCOV_EXCL_EXCEPTION_BR_LINE'));
    else if (exRegion) mark(n, 'branch', exRegion);
  });
  for (const r of [region, brRegion, exRegion])
    if (r) warnings.push(`${r.marker} on line ${r.line} has no STOP: excluded to the end of the file`);
  return { lines, warnings };
}

const GCOVR_LINE = /([GL]COVR?)_EXCL_(LINE|START|STOP)/g;
const GCOVR_BRANCH = /([GL]COVR?)_EXCL_BR_(LINE|START|STOP)/g;

/** The markers as gcovr 5.2 reads them (default prefix `[GL]COVR?`). */
export function gcovrMarkers(text: string): MarkerScan {
  const lines = new Map<number, Exclusion[]>();
  const warnings: string[] = [];
  const src = sourceLines(text);
  for (const [scope, pattern, word] of [
    ['line', GCOVR_LINE, '_EXCL_'],
    ['branch', GCOVR_BRANCH, '_EXCL_BR_'],
  ] as const) {
    const stack: { header: string; line: number; reason: string }[] = [];
    const ranges: { from: number; to: number; marker: string; line: number; reason: string }[] = [];
    src.forEach((t, i) => {
      const n = i + 1;
      if (!t.includes('_EXCL_')) return;
      for (const m of t.matchAll(pattern)) {
        const [whole, header, flag] = m as unknown as [string, string, string];
        if (flag === 'LINE') {
          if (stack.length > 0)
            warnings.push(`${whole} on line ${n} inside the range started on line ${stack.at(-1)!.line}`);
          else
            ranges.push({
              from: n,
              to: n + 1,
              marker: whole,
              line: n,
              reason: markerReason(t, m.index, whole, n),
            });
        } else if (flag === 'START') {
          stack.push({ header, line: n, reason: markerReason(t, m.index, whole, n) });
        } else {
          const s = stack.pop();
          if (!s) warnings.push(`${whole} on line ${n} without a START`);
          else {
            if (s.header !== header)
              warnings.push(`${s.header}${word}START on line ${s.line} stopped by ${whole} on line ${n}`);
            ranges.push({
              from: s.line,
              to: n,
              marker: `${s.header}${word}START`,
              line: s.line,
              reason: s.reason,
            });
          }
        }
      }
    });
    for (const s of stack) warnings.push(`${s.header}${word}START on line ${s.line} has no STOP: ignored`);
    for (const r of ranges)
      for (let n = r.from; n < r.to; n++)
        add(lines, n, {
          scope,
          source: 'marker',
          tool: 'gcovr',
          marker: r.marker,
          markerLine: r.line,
          reason: r.reason,
        });
  }
  return { lines, warnings };
}

/** Both tools' readings, merged by line (each exclusion keeps its tool). */
export function allMarkers(text: string): MarkerScan {
  const a = lcovMarkers(text);
  const b = gcovrMarkers(text);
  const lines = new Map(a.lines);
  for (const [n, es] of b.lines) lines.set(n, [...(lines.get(n) ?? []), ...es]);
  return {
    lines,
    warnings: [...a.warnings.map((w) => `lcov: ${w}`), ...b.warnings.map((w) => `gcovr: ${w}`)],
  };
}

/** Does this exclusion count for `tool`'s export? Justifications count for every tool. */
export const countsFor = (e: Exclusion, tool: MarkerTool): boolean =>
  e.source === 'justification' || e.tool === tool;
