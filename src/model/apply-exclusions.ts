/**
 * Applies exclusions (source markers and a justification file) to a built report: each
 * file gets its exclusions by line and its totals after exclusions; directories and the
 * report get theirs; stale justifications and excluded code that ran are listed. The
 * report's own totals stay those of all code, as gcov counts it.
 */
import type { InputError } from '../gcov/errors';
import { allMarkers, sourceLines, type Exclusion, type MarkerTool } from './exclusions';
import {
  anchorJustification,
  justificationScope,
  pathMatches,
  type Justification,
  type JustificationFile,
} from './justification';
import { addTotals, countLine, emptyTotals, type Report, type ReportFile, type Totals } from './report';

export interface ExclusionOptions {
  /** Text of a source file by its absolute path; undefined when it is not available. */
  source: (path: string) => string | undefined;
  /** Read exclusion markers in the sources (default: yes, as lcov and gcovr do). */
  markers?: boolean;
  justifications?: JustificationFile;
  /** Name of the justification file, for messages. */
  justificationName?: string;
}

export interface StaleJustification {
  /** Position in the file (0-based). */
  readonly index: number;
  readonly justification: Justification;
  readonly reason: string;
}

/** Excluded code that ran: a line with a count, or a function that was called. */
export interface ExcludedExecuted {
  readonly path: string;
  readonly line: number;
  readonly count: number;
  readonly function?: string;
  readonly exclusion: Exclusion;
}

export interface AppliedJustification {
  readonly index: number;
  readonly justification: Justification;
  readonly path: string;
  readonly first: number;
  readonly last: number;
  readonly moved: number;
}

export interface ExclusionSummary {
  readonly markers: boolean;
  readonly justificationFile?: string;
  readonly applied: AppliedJustification[];
  readonly stale: StaleJustification[];
  readonly executed: ExcludedExecuted[];
  /** Marker warnings (unbalanced START/STOP), per file. */
  readonly warnings: string[];
  readonly problems: InputError[];
}

/** Which exclusions count: all (the model), or those `tool` itself would apply. */
export type ExclusionFilter = (e: Exclusion) => boolean;
export const anyExclusion: ExclusionFilter = () => true;
export const toolExclusion =
  (tool: MarkerTool): ExclusionFilter =>
  (e) =>
    e.source === 'justification' || e.tool === tool;

/** The line is excluded (count, branches, conditions) under `use`. */
export function lineExcluded(f: ReportFile, line: number, use: ExclusionFilter = anyExclusion): boolean {
  return f.excluded?.get(line)?.some((e) => e.scope === 'line' && use(e)) ?? false;
}

/** The line's branches (and conditions) are excluded under `use`. */
export function branchesExcluded(f: ReportFile, line: number, use: ExclusionFilter = anyExclusion): boolean {
  return f.excluded?.get(line)?.some(use) ?? false;
}

/** A file's totals without the excluded code (a function goes with its first line, as in lcov). */
export function totalsAfter(f: ReportFile, use: ExclusionFilter = anyExclusion): Totals {
  const t = emptyTotals();
  for (const l of f.lines) {
    if (!lineExcluded(f, l.lineNumber, use)) countLine(t, l, !branchesExcluded(f, l.lineNumber, use));
  }
  for (const fn of f.functions) {
    if (lineExcluded(f, fn.startLine, use)) continue;
    t.functions.found++;
    if (fn.executionCount > 0) t.functions.hit++;
  }
  return t;
}

const dirname = (p: string) => p.slice(0, Math.max(1, p.lastIndexOf('/')));

/** Marks the report's excluded code; see the module comment. */
export function applyExclusions(report: Report, opts: ExclusionOptions): ExclusionSummary {
  const markers = opts.markers ?? true;
  const warnings: string[] = [];
  const texts = new Map<string, string[] | undefined>();
  const linesOf = (path: string) => {
    if (!texts.has(path)) {
      const t = opts.source(path);
      texts.set(path, t === undefined ? undefined : sourceLines(t));
    }
    return texts.get(path);
  };
  const byFile = new Map<ReportFile, Map<number, Exclusion[]>>();
  const mapOf = (f: ReportFile) => {
    let m = byFile.get(f);
    if (!m) byFile.set(f, (m = new Map()));
    return m;
  };
  if (markers)
    for (const f of report.files) {
      const text = opts.source(f.path);
      if (text === undefined || !text.includes('_EXCL_')) continue;
      const scan = allMarkers(text);
      for (const w of scan.warnings) warnings.push(`${f.path}: ${w}`);
      const m = mapOf(f);
      for (const [n, es] of scan.lines) m.set(n, es);
    }

  const applied: AppliedJustification[] = [];
  const stale: StaleJustification[] = [];
  (opts.justifications?.justifications ?? []).forEach((j, index) => {
    const files = report.files.filter((f) => pathMatches(f.path, j.file));
    if (files.length === 0) {
      stale.push({ index, justification: j, reason: `no file ${j.file} in the report` });
      return;
    }
    if (files.length > 1) {
      stale.push({
        index,
        justification: j,
        reason: `${j.file} matches ${files.length} files: give more of its path`,
      });
      return;
    }
    const f = files[0]!;
    const at = anchorJustification(j, linesOf(f.path), f.functions);
    if ('stale' in at) {
      stale.push({ index, justification: j, reason: at.stale });
      return;
    }
    applied.push({ index, justification: j, path: f.path, ...at });
    const m = mapOf(f);
    const e: Exclusion = {
      scope: justificationScope(j),
      source: 'justification',
      justification: index,
      ...(j.id !== undefined ? { id: j.id } : {}),
      category: j.category,
      reason: j.reason,
    };
    for (let n = at.first; n <= at.last; n++) m.set(n, [...(m.get(n) ?? []), e]);
  });

  const executed: ExcludedExecuted[] = [];
  for (const [f, m] of byFile) {
    (f as { excluded?: ReadonlyMap<number, readonly Exclusion[]> }).excluded = m;
    for (const l of f.lines) {
      const e = m.get(l.lineNumber)?.find((x) => x.scope === 'line');
      if (e && l.count > 0) executed.push({ path: f.path, line: l.lineNumber, count: l.count, exclusion: e });
    }
    for (const fn of f.functions) {
      const e = m.get(fn.startLine)?.find((x) => x.scope === 'line');
      if (e && fn.executionCount > 0)
        executed.push({
          path: f.path,
          line: fn.startLine,
          count: fn.executionCount,
          function: fn.demangledName,
          exclusion: e,
        });
    }
  }

  const total = emptyTotals();
  const dirs = new Map<string, Totals>();
  for (const f of report.files) {
    const t = f.excluded ? totalsAfter(f) : f.totals;
    (f as { afterExclusions?: Totals }).afterExclusions = t;
    const d = dirname(f.path);
    let dt = dirs.get(d);
    if (!dt) dirs.set(d, (dt = emptyTotals()));
    addTotals(dt, t);
    addTotals(total, t);
  }
  for (const d of report.directories) (d as { afterExclusions?: Totals }).afterExclusions = dirs.get(d.path);
  const summary: ExclusionSummary = {
    markers,
    ...(opts.justificationName !== undefined ? { justificationFile: opts.justificationName } : {}),
    applied,
    stale,
    executed,
    warnings,
    problems: [],
  };
  Object.assign(report, { afterExclusions: total, exclusions: summary });
  return summary;
}
