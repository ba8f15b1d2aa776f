/** A plain-text table of the report's coverage per directory and in total. */
import type { Count, Report, Totals } from './report';

/** Percentage with one decimal, truncated (never shows 100.0% while something is missed). */
export function percent(c: Count): string {
  if (c.found === 0) return '-';
  return `${(Math.floor((c.hit * 1000) / c.found) / 10).toFixed(1)}%`;
}

/** The kinds of coverage, with their names in tables. */
export const KINDS = [
  ['lines', 'Lines'],
  ['functions', 'Functions'],
  ['branches', 'Branches'],
  ['conditions', 'Conditions'],
] as const;

const cell = (c: Count) => `${c.hit}/${c.found} ${percent(c).padStart(6)}`;

/** The directory all paths share, for shorter row names. */
export function commonDir(paths: string[]): string {
  if (paths.length === 0) return '/';
  let parts = paths[0]!.split('/');
  for (const p of paths.slice(1)) {
    const q = p.split('/');
    let i = 0;
    while (i < parts.length && i < q.length && parts[i] === q[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.join('/') || '/';
}

export function summaryTable(report: Report): string {
  const root = commonDir(report.directories.map((d) => d.path));
  const name = (p: string) => (p === root ? '.' : p.slice(root === '/' ? 1 : root.length + 1));
  const rows: [string, Totals][] = report.directories.map((d) => [name(d.path), d.totals]);
  rows.push(['Total', report.totals]);
  const header = ['Directory', ...KINDS.map(([, h]) => h)];
  const table = [header, ...rows.map(([n, t]) => [n, ...KINDS.map(([k]) => cell(t[k]))])];
  // a row per directory: no spread of them all as arguments (see pushAll)
  const widths = header.map((_, i) => table.reduce((w, r) => Math.max(w, r[i]!.length), 0));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [
    `Coverage under ${root}`,
    line(header),
    rule,
    ...table.slice(1, -1).map(line),
    rule,
    line(table.at(-1)!),
  ].join('\n');
}
