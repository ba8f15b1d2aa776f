/**
 * Prime path totals (GCC 15 -fpath-coverage, with --prime-paths) per source file, directory
 * and in total, summed from the functions of each object's gcov JSON as gcov sums its
 * "Prime paths covered" line: the paths each function lists and the bits set in its
 * counters. A function compiled into several objects (an inline one in a header) counts
 * once per object, as gcov reports it once per object.
 */
import { normalisePath, type Count, type Report } from './report';
import { commonDir, percent } from './summary';

/** The directory of a normalised path, as the report groups its files. */
const dirname = (p: string) => p.slice(0, Math.max(1, p.lastIndexOf('/')));

export interface PathTotals {
  /** By source path (as the report's files), only files with paths. */
  readonly files: Map<string, Count>;
  /** By directory, sorted. */
  readonly directories: { path: string; totals: Count }[];
  readonly total: Count;
}

export function pathTotals(report: Report): PathTotals {
  const files = new Map<string, Count>();
  for (const o of report.objects)
    for (const f of o.json.files) {
      let found = 0;
      let hit = 0;
      for (const fn of f.functions) {
        found += fn.total_prime_paths ?? 0;
        hit += fn.covered_prime_paths ?? 0;
      }
      if (found === 0) continue;
      const path = normalisePath(f.file, o.sourceRoot);
      const c = files.get(path) ?? { found: 0, hit: 0 };
      c.found += found;
      c.hit += hit;
      files.set(path, c);
    }
  const dirs = new Map<string, Count>();
  const total = { found: 0, hit: 0 };
  for (const [path, c] of files) {
    const d = dirname(path);
    const t = dirs.get(d) ?? { found: 0, hit: 0 };
    t.found += c.found;
    t.hit += c.hit;
    dirs.set(d, t);
    total.found += c.found;
    total.hit += c.hit;
  }
  const directories = [...dirs.entries()]
    .map(([path, totals]) => ({ path, totals }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, directories, total };
}

/** A table of prime path coverage per directory, or undefined when no function has paths. */
export function pathSummaryTable(report: Report): string | undefined {
  const { directories, total } = pathTotals(report);
  if (total.found === 0) return undefined;
  const cell = (c: Count) => `${c.hit}/${c.found} ${percent(c).padStart(6)}`;
  // directory names as in summaryTable: relative to the directory they share
  const root = commonDir(directories.map((d) => d.path));
  const name = (p: string) => (p === root ? '.' : p.slice(root === '/' ? 1 : root.length + 1));
  const rows = [
    ['Directory', 'Prime paths'],
    ...directories.map((d) => [name(d.path), cell(d.totals)]),
    ['Total', cell(total)],
  ];
  // a row per directory: no spread of them all as arguments (see pushAll)
  const w0 = rows.reduce((w, r) => Math.max(w, r[0]!.length), 0);
  const w1 = rows.reduce((w, r) => Math.max(w, r[1]!.length), 0);
  const line = (r: string[]) => `${r[0]!.padEnd(w0)}  ${r[1]!.padStart(w1)}`;
  const rule = `${'-'.repeat(w0)}  ${'-'.repeat(w1)}`;
  return [line(rows[0]!), rule, ...rows.slice(1, -1).map(line), rule, line(rows.at(-1)!)].join('\n');
}
