/**
 * Cobertura XML from the report, as gcovr 5.2 writes it (`gcovr --xml-pretty`): one
 * package per directory (relative to the root, `/` → `.`), one class per source file,
 * per line its hits and, when it has branches, `condition-coverage`; rates and counts on
 * the packages and on <coverage>. The document follows the Cobertura DTD
 * (coverage-04.dtd): sources, packages → package → classes → class → methods, lines.
 *
 * gcovr reads gcov's text output; what it gathers there (lines, their counts and branches,
 * functions, per file over all objects) is rebuilt by gcovr-view.ts, with its rules:
 *
 * - a line enters only when some object has code on it; a line with a count of 0 (or none)
 *   whose text, without comments, is empty, `{`, `}` or `else` is "non-code" in that object,
 *   and left out where every object says so (gcovr's heuristic); without the source gcov
 *   prints no line, so gcovr has none;
 * - where several functions start on one line (C++ template instances, constructor
 *   variants), gcov's text adds their lines into the file's and prints each again in a
 *   section of its own, which gcovr counts a second time; branches are keyed by the number
 *   gcov prints (calls take numbers too) and add over objects and sections; a branch is
 *   covered when its count is above 0; throw branches count like any other;
 * - functions are those gcov announces (`function NAME called N …`, demangled): before a
 *   line where one function starts, and in each group function's section; keyed by that
 *   name per file, calls added, covered when called; names starting `__` or
 *   `_GLOBAL__sub_I_` are left out (gcovr's `--exclude-internal-functions`);
 * - only files under the root are reported (gcovr's default filter), named relative to it;
 *   with `place` (the CLI), relative source names resolve in the folder gcovr would run gcov
 *   in, and an object whose sources gcov can open from no folder is left out (gcovrDirectory);
 * - rates are Python's `str(covered / total)` ("0.0" without elements), percentages
 *   `int(min(99.9, round(100 * covered / total, 1)))` unless all are covered.
 *
 * Exclusions (applyExclusions) count as gcovr applies its markers: an excluded line is
 * left out, a line whose branches are excluded has none; functions are never excluded.
 * lcov's own markers as lcov reads them do not count here (gcovr reads them its way).
 */
import { pushAll } from '../gcov/push-all';
import { branchesExcluded, lineExcluded, toolExclusion } from './apply-exclusions';
import { gcovrView, type GcovrFile, type GcovrPlace } from './gcovr-view';
import { pathSegments, type Report, type ReportFile } from './report';

export interface CoberturaOptions {
  /** Absolute directory the file names are made relative to (gcovr's `-r`); files outside it are left out. */
  root: string;
  /** Text of a source file by its absolute path; undefined when it cannot be read. */
  source?: (path: string) => string | undefined;
  /** Seconds since the epoch for `timestamp`; default: now. */
  timestamp?: number;
  /** Text of <source>; default: the root. */
  sourceText?: string;
  /**
   * Where gcovr runs gcov for each object (gcovrDirectory), which decides where its relative
   * source names point and whether gcovr leaves it out. Default: every object counts, its
   * names resolved as the report resolved them (the app, which has no file system).
   */
  place?: GcovrPlace;
}

interface Stat {
  covered: number;
  total: number;
}

const stat = (): Stat => ({ covered: 0, total: 0 });
const add = (a: Stat, b: Stat): void => {
  a.covered += b.covered;
  a.total += b.total;
};

/** Python's `repr` of a float in [0, 1] (shortest round trip, `1.0`, `5e-05`). */
export function pythonFloat(x: number): string {
  if (Number.isInteger(x)) return x.toFixed(1);
  if (Math.abs(x) < 1e-4) {
    const [m, e] = x.toExponential().split('e') as [string, string];
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[-+]/, '');
    return `${m}e${sign}${digits.padStart(2, '0')}`;
  }
  return String(x);
}

function rate(s: Stat): string {
  return s.total === 0 ? '0.0' : pythonFloat(s.covered / s.total);
}

/** gcovr's `int(percent)`: one decimal rounded, capped at 99.9 unless complete, truncated. */
function percent(s: Stat): number {
  if (s.covered === s.total) return 100;
  const r = Math.min(99.9, Number(((s.covered / s.total) * 100).toFixed(1)));
  return Math.trunc(r);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Name of `path` relative to `root`, or undefined when it is not under it. */
function relativeTo(path: string, root: string): string | undefined {
  const r = pathSegments(root);
  const p = pathSegments(path);
  if (p.length <= r.length || r.some((s, i) => p[i] !== s)) return undefined;
  return p.slice(r.length).join('/');
}

interface ClassData {
  name: string;
  xml: string[];
  line: Stat;
  branch: Stat;
  function: Stat;
}

function classFor(f: ReportFile | undefined, filename: string, view: GcovrFile): ClassData {
  const fname = filename.includes('/') ? filename.slice(filename.lastIndexOf('/') + 1) : filename;
  const name = fname.replace(/\./g, '_');
  const line = stat(),
    branch = stat(),
    fn = stat();
  for (const calls of view.functions.values()) {
    fn.total++;
    if (calls > 0) fn.covered++;
  }
  const lines: string[] = [];
  const use = toolExclusion('gcovr');
  const numbers = [...view.lines.keys()].sort((a, b) => a - b);
  for (const n of numbers) {
    const l = view.lines.get(n)!;
    if (l.noncode || (f?.excluded && lineExcluded(f, n, use))) continue;
    line.total++;
    if (l.count > 0) line.covered++;
    const branches = f?.excluded && branchesExcluded(f, n, use) ? [] : [...l.branches.values()];
    const b: Stat = { covered: branches.filter((x) => x > 0).length, total: branches.length };
    add(branch, b);
    const head = `            <line number="${n}" hits="${l.count}"`;
    if (b.total === 0) {
      lines.push(`${head} branch="false"/>`);
    } else {
      const p = percent(b);
      lines.push(
        `${head} branch="true" condition-coverage="${p}% (${b.covered}/${b.total})">`,
        '              <conditions>',
        `                <condition number="0" type="jump" coverage="${p}%"/>`,
        '              </conditions>',
        '            </line>',
      );
    }
  }
  const xml = [
    `        <class name="${escapeXml(name)}" filename="${escapeXml(filename)}" line-rate="${rate(line)}" branch-rate="${rate(branch)}" complexity="0.0">`,
    '          <methods/>',
    ...(lines.length > 0 ? ['          <lines>', ...lines, '          </lines>'] : ['          <lines/>']),
    '        </class>',
  ];
  return { name, xml, line, branch, function: fn };
}

/** Cobertura XML (gcovr 5.2's `--xml-pretty` layout) of the files of `report` under `opts.root`. */
export function coberturaXml(report: Report, opts: CoberturaOptions): string {
  const packages = new Map<
    string,
    { classes: Map<string, ClassData>; line: Stat; branch: Stat; function: Stat }
  >();
  const total = { line: stat(), branch: stat(), function: stat() };
  const view = gcovrView(report, opts.source ?? (() => undefined), opts.place);
  // exclusions come with the report's files (a file gcovr finds elsewhere has none)
  const reportFiles = new Map(report.files.map((f) => [f.path, f]));
  // gcovr sorts by absolute path
  const paths = [...view.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const path of paths) {
    const filename = relativeTo(path, opts.root);
    if (filename === undefined) continue;
    const dir = filename.includes('/') ? filename.slice(0, filename.lastIndexOf('/')) : '';
    let pkg = packages.get(dir);
    if (!pkg)
      packages.set(dir, (pkg = { classes: new Map(), line: stat(), branch: stat(), function: stat() }));
    const c = classFor(reportFiles.get(path), filename, view.get(path)!);
    // keyed by class name within the package, as gcovr does (a later file of the same
    // class name replaces the earlier one in the XML; both count in the totals)
    pkg.classes.set(c.name, c);
    for (const k of ['line', 'branch', 'function'] as const) {
      add(pkg[k], c[k]);
      add(total[k], c[k]);
    }
  }
  const byName = <T>(m: Map<string, T>): [string, T][] =>
    [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: string[] = [
    "<?xml version='1.0' encoding='UTF-8'?>",
    "<!DOCTYPE coverage SYSTEM 'http://cobertura.sourceforge.net/xml/coverage-04.dtd'>",
    `<coverage line-rate="${rate(total.line)}" function-rate="${rate(total.function)}" branch-rate="${rate(total.branch)}"` +
      ` lines-covered="${total.line.covered}" lines-valid="${total.line.total}"` +
      ` functions-covered="${total.function.covered}" functions-valid="${total.function.total}"` +
      ` branches-covered="${total.branch.covered}" branches-valid="${total.branch.total}"` +
      ` complexity="0.0" timestamp="${opts.timestamp ?? Math.floor(Date.now() / 1000)}" version="hvcov">`,
    '  <sources>',
    `    <source>${escapeXml(opts.sourceText ?? opts.root)}</source>`,
    '  </sources>',
  ];
  if (packages.size === 0) out.push('  <packages/>');
  else {
    out.push('  <packages>');
    for (const [dir, pkg] of byName(packages)) {
      out.push(
        `    <package name="${escapeXml(dir.replace(/\//g, '.'))}" line-rate="${rate(pkg.line)}" function-rate="${rate(pkg.function)}" branch-rate="${rate(pkg.branch)}" complexity="0.0">`,
        '      <classes>',
      );
      for (const [, c] of byName(pkg.classes)) pushAll(out, c.xml);
      out.push('      </classes>', '    </package>');
    }
    out.push('  </packages>');
  }
  out.push('</coverage>');
  return out.map((l) => l + '\n').join('');
}
