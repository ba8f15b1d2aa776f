/**
 * The report as the page shows it: a compact summary and per-file details packed into
 * typed arrays in the worker (so they move to the page without copying), and the pure view
 * logic the page applies to them (bands, sorting, filtering, navigation, source matching).
 * No DOM here: the worker, the page and the unit tests all use it.
 */
import type { Count, Report, ReportFile, Totals } from '../model/report';
import { pathSegments } from '../model/report';
import type { ExcludedLineView, ExclusionsView } from './exclusions-view';

export const KINDS = ['lines', 'functions', 'branches', 'conditions'] as const;
export type Kind = (typeof KINDS)[number];

/** Per file (and directory) 8 numbers: found and hit of each kind, in KINDS order. */
export const STRIDE = 8;

export interface ReportSummary {
  /** The directory all source files share ("/" when none). */
  readonly root: string;
  /** Absolute source paths, sorted. */
  readonly files: readonly string[];
  /** files.length * STRIDE numbers. */
  readonly fileTotals: Float64Array;
  /** For each file, the dropped source it was matched with, or "" for none. */
  readonly sources: readonly string[];
  readonly directories: readonly string[];
  readonly directoryTotals: Float64Array;
  readonly totals: Totals;
  /** .gcno read, .gcda given, .gcda matched. */
  readonly notes: number;
  readonly data: number;
  readonly matched: number;
  /** .gcno without any .gcda: counted as never executed. */
  readonly unmatchedNotes: readonly string[];
  /** Present when markers or a justification file excluded code (exclusions-view.ts). */
  readonly exclusions?: ExclusionsView;
}

export interface FunctionRow {
  readonly name: string;
  readonly demangledName: string;
  readonly startLine: number;
  readonly executionCount: number;
  readonly blocks: number;
  readonly blocksExecuted: number;
}

export interface FileDetail {
  readonly path: string;
  /** The matched source's path and bytes (decoded on the page). */
  readonly sourcePath?: string;
  readonly source?: Uint8Array;
  /** One entry per line with data, by line number. */
  readonly lines: Uint32Array;
  readonly counts: Float64Array;
  /** Bit 0: some block of the line was not executed. */
  readonly flags: Uint8Array;
  /** Branches of line i are branchStart[i] .. branchStart[i+1]-1. */
  readonly branchStart: Uint32Array;
  /** -1: the branch's block was never reached. */
  readonly branchCounts: Float64Array;
  readonly branchThrow: Uint8Array;
  readonly conditionHit: Uint32Array;
  readonly conditionTotal: Uint32Array;
  /** Condition records of line i (gcov JSON's `conditions`) are conditionStart[i] .. conditionStart[i+1]-1. */
  readonly conditionStart: Uint32Array;
  /** Outcomes of each record (2 per term). */
  readonly conditionCount: Uint32Array;
  /** Missed outcomes of record k are conditionMiss[conditionMissStart[k] .. conditionMissStart[k+1]-1]. */
  readonly conditionMissStart: Uint32Array;
  /** term * 4 + 1 (never true) + 2 (never false), by term. */
  readonly conditionMiss: Uint32Array;
  readonly functions: readonly FunctionRow[];
  readonly totals: Totals;
  /** Excluded lines with their reasons, and the totals without them (exclusions-view.ts). */
  readonly excluded?: readonly ExcludedLineView[];
  readonly afterExclusions?: Totals;
}

// ---------------------------------------------------------------------------------------
// Packing (worker side)

export function packTotals(t: Totals, into: Float64Array, at: number): void {
  KINDS.forEach((k, i) => {
    into[at + 2 * i] = t[k].found;
    into[at + 2 * i + 1] = t[k].hit;
  });
}

export function unpackTotals(from: Float64Array, at: number): Totals {
  const c = (i: number): Count => ({ found: from[at + 2 * i] ?? 0, hit: from[at + 2 * i + 1] ?? 0 });
  return { lines: c(0), functions: c(1), branches: c(2), conditions: c(3) };
}

/** The directory all paths share. */
export function commonDir(paths: readonly string[]): string {
  if (paths.length === 0) return '/';
  let parts = pathSegments(paths[0]!).slice(0, -1);
  for (const p of paths.slice(1)) {
    const q = pathSegments(p);
    let i = 0;
    while (i < parts.length && i < q.length - 1 && parts[i] === q[i]) i++;
    parts = parts.slice(0, i);
  }
  return '/' + parts.join('/');
}

/** Path relative to root (root itself: "."). */
export function relativeTo(root: string, path: string): string {
  if (path === root) return '.';
  const prefix = root === '/' ? '/' : `${root}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/**
 * The dropped source for a report path: the one sharing the most trailing path segments
 * (at least the file name); undefined when none, or when two share equally many.
 */
export function matchSource(path: string, sources: readonly string[]): string | undefined {
  const want = pathSegments(path);
  let best = 0;
  let found: string[] = [];
  for (const s of sources) {
    const have = pathSegments(s);
    let n = 0;
    while (n < want.length && n < have.length && want[want.length - 1 - n] === have[have.length - 1 - n]) n++;
    if (n === 0) continue;
    if (n > best) [best, found] = [n, [s]];
    else if (n === best) found.push(s);
  }
  return found.length === 1 ? found[0] : undefined;
}

export function summarise(report: Report, sources: readonly string[], data: number): ReportSummary {
  const files = report.files.map((f) => f.path);
  const fileTotals = new Float64Array(files.length * STRIDE);
  report.files.forEach((f, i) => packTotals(f.totals, fileTotals, i * STRIDE));
  const directoryTotals = new Float64Array(report.directories.length * STRIDE);
  report.directories.forEach((d, i) => packTotals(d.totals, directoryTotals, i * STRIDE));
  return {
    root: commonDir(files),
    files,
    fileTotals,
    sources: files.map((p) => matchSource(p, sources) ?? ''),
    directories: report.directories.map((d) => d.path),
    directoryTotals,
    totals: report.totals,
    notes: report.objects.length,
    data,
    matched: report.objects.filter((o) => o.data !== undefined).length,
    unmatchedNotes: report.objects.filter((o) => o.data === undefined).map((o) => o.notes),
  };
}

/** Each term missing an outcome once, as term * 4 + 1 (never true) + 2 (never false), by term. */
function missedTerms(notTrue: readonly number[], notFalse: readonly number[]): number[] {
  const bits = new Map<number, number>();
  for (const t of notTrue) bits.set(t, (bits.get(t) ?? 0) | 1);
  for (const t of notFalse) bits.set(t, (bits.get(t) ?? 0) | 2);
  return [...bits].sort((x, y) => x[0] - y[0]).map(([t, m]) => t * 4 + m);
}

export function packFile(f: ReportFile, source?: { path: string; bytes: Uint8Array }): FileDetail {
  const n = f.lines.length;
  const lines = new Uint32Array(n);
  const counts = new Float64Array(n);
  const flags = new Uint8Array(n);
  const branchStart = new Uint32Array(n + 1);
  const conditionHit = new Uint32Array(n);
  const conditionTotal = new Uint32Array(n);
  let nb = 0;
  let nc = 0;
  const misses: number[] = [];
  for (const l of f.lines) {
    nb += l.branches.length;
    nc += l.conditions.length;
  }
  const branchCounts = new Float64Array(nb);
  const branchThrow = new Uint8Array(nb);
  const conditionStart = new Uint32Array(n + 1);
  const conditionCount = new Uint32Array(nc);
  const conditionMissStart = new Uint32Array(nc + 1);
  let b = 0;
  let c = 0;
  f.lines.forEach((l, i) => {
    conditionStart[i] = c;
    for (const cond of l.conditions) {
      conditionCount[c] = cond.count;
      conditionMissStart[c++] = misses.length;
      misses.push(...missedTerms(cond.notCoveredTrue, cond.notCoveredFalse));
    }
    lines[i] = l.lineNumber;
    counts[i] = l.count;
    flags[i] = l.unexecutedBlock ? 1 : 0;
    branchStart[i] = b;
    for (const br of l.branches) {
      branchCounts[b] = br.count ?? -1;
      branchThrow[b++] = br.throw ? 1 : 0;
    }
    let total = 0;
    let hit = 0;
    for (const c of l.conditions) {
      total += c.count;
      hit += c.count - c.notCoveredTrue.length - c.notCoveredFalse.length;
    }
    conditionTotal[i] = total;
    conditionHit[i] = hit;
  });
  branchStart[n] = b;
  conditionStart[n] = c;
  conditionMissStart[nc] = misses.length;
  return {
    path: f.path,
    ...(source ? { sourcePath: source.path, source: source.bytes.slice() } : {}),
    lines,
    counts,
    flags,
    branchStart,
    branchCounts,
    branchThrow,
    conditionHit,
    conditionTotal,
    conditionStart,
    conditionCount,
    conditionMissStart,
    conditionMiss: Uint32Array.from(misses),
    functions: f.functions.map((fn) => ({
      name: fn.name,
      demangledName: fn.demangledName,
      startLine: fn.startLine,
      executionCount: fn.executionCount,
      blocks: fn.blocks,
      blocksExecuted: fn.blocksExecuted,
    })),
    totals: f.totals,
  };
}

/** The buffers of a packed value, for Comlink.transfer. */
export function buffersOf(v: ReportSummary | FileDetail): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const x of Object.values(v))
    if (ArrayBuffer.isView(x) && x.buffer instanceof ArrayBuffer) out.add(x.buffer);
  return [...out];
}

// ---------------------------------------------------------------------------------------
// View logic (page side)

export type Band = 'hi' | 'med' | 'lo' | 'none';

/** genhtml's default limits: hi from 90 %, med from 75 %, lo below. */
export function band(c: Count): Band {
  if (c.found === 0) return 'none';
  const r = (c.hit * 100) / c.found;
  return r >= 90 ? 'hi' : r >= 75 ? 'med' : 'lo';
}

/** A symbol and a word for each band, so colour is never the only sign. */
export const BAND_TEXT: Record<Band, { symbol: string; label: string }> = {
  hi: { symbol: '●', label: 'high' },
  med: { symbol: '◐', label: 'medium' },
  lo: { symbol: '○', label: 'low' },
  none: { symbol: '', label: 'nothing to cover' },
};

/** Coverage ratio in percent, or -1 when there is nothing to cover (sorts first). */
export const ratio = (c: Count): number => (c.found === 0 ? -1 : (c.hit * 100) / c.found);

export interface FileRow {
  readonly path: string;
  /** Relative to the report's root. */
  readonly name: string;
  readonly dir: string;
  readonly totals: Totals;
  readonly source: string;
}

export function fileRows(s: ReportSummary): FileRow[] {
  return s.files.map((path, i) => {
    const name = relativeTo(s.root, path);
    const slash = name.lastIndexOf('/');
    return {
      path,
      name,
      dir: slash < 0 ? '.' : name.slice(0, slash),
      totals: unpackTotals(s.fileTotals, i * STRIDE),
      source: s.sources[i] ?? '',
    };
  });
}

export type SortKey = 'name' | `${Kind}.ratio` | `${Kind}.hit` | `${Kind}.found`;

export interface SortSpec {
  readonly key: SortKey;
  readonly descending: boolean;
}

function sortValue(r: FileRow, key: SortKey): number | string {
  if (key === 'name') return r.name;
  const [kind, what] = key.split('.') as [Kind, 'ratio' | 'hit' | 'found'];
  const c = r.totals[kind];
  return what === 'ratio' ? ratio(c) : c[what];
}

/** Rows sorted by the key, ties by name; stable. */
export function sortRows(rows: readonly FileRow[], spec: SortSpec): FileRow[] {
  const dir = spec.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = sortValue(a, spec.key);
    const y = sortValue(b, spec.key);
    if (x !== y) return (x < y ? -1 : 1) * dir;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

export interface FilterSpec {
  /** Case-insensitive substring of the name. */
  readonly text: string;
  /** Only files whose line coverage is below this percentage (undefined: all). */
  readonly below?: number;
}

export function filterRows(rows: readonly FileRow[], f: FilterSpec): FileRow[] {
  const text = f.text.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (text === '' || r.name.toLowerCase().includes(text)) &&
      (f.below === undefined || (r.totals.lines.found > 0 && ratio(r.totals.lines) < f.below)),
  );
}

/** Rows grouped by directory, directories in order of first appearance. */
export function groupByDirectory(rows: readonly FileRow[]): { dir: string; rows: FileRow[] }[] {
  const out = new Map<string, FileRow[]>();
  for (const r of rows) {
    const g = out.get(r.dir);
    if (g) g.push(r);
    else out.set(r.dir, [r]);
  }
  return [...out].map(([dir, rows]) => ({ dir, rows }));
}

export type LineState = 'covered' | 'uncovered' | 'partial' | 'none';

/** State of line i of a file's data: partly covered when run but a block or branch was not. */
export function lineState(d: FileDetail, i: number): LineState {
  if (i < 0 || i >= d.lines.length) return 'none';
  if (d.counts[i] === 0) return 'uncovered';
  if (d.flags[i]! & 1) return 'partial';
  for (let b = d.branchStart[i]!; b < d.branchStart[i + 1]!; b++)
    if (!(d.branchCounts[b]! > 0)) return 'partial';
  if (d.conditionHit[i]! < d.conditionTotal[i]!) return 'partial';
  return 'covered';
}

export const LINE_TEXT: Record<LineState, { symbol: string; label: string }> = {
  covered: { symbol: '✓', label: 'covered' },
  uncovered: { symbol: '✗', label: 'not covered' },
  partial: { symbol: '◐', label: 'partly covered' },
  none: { symbol: '', label: 'no code' },
};

/** Line numbers never executed, ascending. */
export function uncoveredLines(d: FileDetail): number[] {
  const out: number[] = [];
  d.lines.forEach((l, i) => {
    if (d.counts[i] === 0) out.push(l);
  });
  return out;
}

/** Lines with a branch never taken (count 0, or its block never reached), ascending. */
export function uncoveredBranchLines(d: FileDetail): number[] {
  const out: number[] = [];
  d.lines.forEach((l, i) => {
    for (let b = d.branchStart[i]!; b < d.branchStart[i + 1]!; b++)
      if (!(d.branchCounts[b]! > 0)) {
        out.push(l);
        return;
      }
  });
  return out;
}

/** Lines with a condition outcome never seen, ascending. */
export function uncoveredConditionLines(d: FileDetail): number[] {
  const out: number[] = [];
  d.lines.forEach((l, i) => {
    if (d.conditionHit[i]! < d.conditionTotal[i]!) out.push(l);
  });
  return out;
}

/** One condition record of a line, as gcov --conditions' JSON has it. */
export interface LineCondition {
  readonly count: number;
  readonly covered: number;
  readonly notCoveredTrue: readonly number[];
  readonly notCoveredFalse: readonly number[];
}

/** The condition records of line i of a file's data. */
export function lineConditions(d: FileDetail, i: number): LineCondition[] {
  const out: LineCondition[] = [];
  if (i < 0 || i >= d.lines.length) return out;
  for (let k = d.conditionStart[i]!; k < d.conditionStart[i + 1]!; k++) {
    const notCoveredTrue: number[] = [];
    const notCoveredFalse: number[] = [];
    for (let m = d.conditionMissStart[k]!; m < d.conditionMissStart[k + 1]!; m++) {
      const v = d.conditionMiss[m]!;
      if (v & 1) notCoveredTrue.push(v >>> 2);
      if (v & 2) notCoveredFalse.push(v >>> 2);
    }
    const count = d.conditionCount[k]!;
    out.push({
      count,
      covered: count - notCoveredTrue.length - notCoveredFalse.length,
      notCoveredTrue,
      notCoveredFalse,
    });
  }
  return out;
}

/**
 * A condition record in the words gcov --conditions prints: the outcomes covered, then each
 * term that missed an outcome, with the outcome(s) it never had.
 */
export function conditionText(c: LineCondition): string[] {
  if (c.count === 0) return [];
  const out = [`condition outcomes covered ${c.covered}/${c.count}`];
  const terms = [...new Set([...c.notCoveredTrue, ...c.notCoveredFalse])].sort((a, b) => a - b);
  for (const t of terms) {
    const missed = [c.notCoveredTrue.includes(t) ? 'true' : '', c.notCoveredFalse.includes(t) ? 'false' : ''];
    out.push(`condition ${t} not covered (${missed.filter(Boolean).join(' ')})`);
  }
  return out;
}

/** A branch's count in words (-1: never reached). */
export function branchText(count: number, i: number, isThrow: boolean): string {
  const what = isThrow ? 'exception branch' : 'branch';
  if (count < 0) return `${what} ${i + 1} never reached`;
  return `${what} ${i + 1} taken ${count} time${count === 1 ? '' : 's'}`;
}

/**
 * The next (or previous) uncovered line after (before) `current`; from no current line,
 * the first (last). Undefined when there is none in that direction.
 */
export function nextUncovered(
  uncovered: readonly number[],
  current: number | undefined,
  direction: 1 | -1,
): number | undefined {
  if (direction === 1) return uncovered.find((l) => current === undefined || l > current);
  for (let i = uncovered.length - 1; i >= 0; i--)
    if (current === undefined || uncovered[i]! < current) return uncovered[i];
  return undefined;
}

/** Index of each line number in the file's data (-1: no data), up to `rows`. */
export function lineIndex(d: FileDetail, rows: number): Int32Array {
  const out = new Int32Array(rows + 1).fill(-1);
  d.lines.forEach((l, i) => {
    if (l <= rows) out[l] = i;
  });
  return out;
}

/** `#file=PATH&line=N` */
export function parseHash(hash: string): { file?: string; line?: number } {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const file = p.get('file') ?? undefined;
  const line = Number(p.get('line'));
  return {
    ...(file ? { file } : {}),
    ...(Number.isInteger(line) && line > 0 ? { line } : {}),
  };
}

export function formatHash(file: string, line?: number): string {
  const p = new URLSearchParams({ file });
  if (line !== undefined) p.set('line', String(line));
  return `#${p.toString()}`;
}

/** The rows a virtual list renders: first and last index (inclusive) with overscan. */
export function visibleRange(
  scrollTop: number,
  height: number,
  rowHeight: number,
  count: number,
  overscan = 10,
): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  return { first, last };
}
