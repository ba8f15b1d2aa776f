/**
 * What gcovr 5.2 reads of a build: it runs gcov in text mode (`-b -c -m`) on every object and
 * parses each `.gcov` file line by line, then adds the files of all objects up. Text mode
 * differs from the JSON the report model is built from where several functions start on
 * one line (C++ template instances, constructor variants, which gcov calls a group):
 *
 * - each line's count is its own count plus the counts of every group function's code on
 *   it, and after the line where a group ends gcov prints each group function again as a
 *   section of its own lines: gcovr's parser reads those lines like any other and adds
 *   their counts a second time, and their branches by index;
 * - a function line (`function NAME called N …`, the name demangled) comes before a line
 *   where exactly one function starts and at the head of each group function's section;
 *   a function starting inside a group's lines gets none; gcovr keys functions by that
 *   name per file and adds their calls (leaving out names starting with `__` or
 *   `_GLOBAL__sub_I_`);
 * - only the source's lines are printed (none when gcov cannot read the source), and a
 *   line past the last one the object has code on (from gcov 15: past the last line of its
 *   functions too) is printed as `-` with nothing else, not even a group's sections;
 * - a line without code (`-`) or with a count of 0 whose text gcovr takes for non-code
 *   (empty, `{`, `}`, `else`) marks the line non-code in that object, for good; across
 *   objects a line stays non-code only where every object says so.
 *
 * Built from each object's gcov JSON (kept in the report), which carries everything text
 * mode prints (group functions' lines are the entries named after a group function), and
 * the numbers text mode gives each line's branches (textBranchNumbers).
 */
import { textBranchNumbers, type GcovJsonFile, type GcovJsonFunction, type GcovJsonLine } from './gcov-json';
import { normalisePath, type Report, type ReportObject } from './report';
import type { PathExists } from './source-name';

/** gcovr's test for lines without useful code: `//…` then `/*…*\/` removed, then empty, `{`, `}` or `else`. */
function isNonCode(text: string): boolean {
  let code = text.replace(/\/\/.*$/s, '');
  code = code.replace(/\/\*.*?\*\//g, '');
  code = code.trim();
  return code === '' || code === '{' || code === '}' || code === 'else';
}

/**
 * A source's lines as `text.split('\n')` cuts them, without the array of strings: where each
 * starts, and per line whether gcovr takes it for non-code, found at the first asking (every
 * object that includes a header asks again for the same lines).
 */
class SourceLines {
  private readonly starts: number[] = [0];
  /** Per line from 1: 0 not yet known, 1 code, 2 non-code. */
  private readonly kinds: Uint8Array;
  /** gcov's read_line count: a last line without newline counts, a final newline adds none. */
  readonly count: number;
  constructor(private readonly text: string) {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) this.starts.push(at + 1);
    this.count = text === '' ? 0 : this.starts.length - (text.endsWith('\n') ? 1 : 0);
    this.kinds = new Uint8Array(this.starts.length + 1);
  }
  nonCode(line: number): boolean {
    if (line < 1 || line > this.starts.length) return isNonCode('');
    let k = this.kinds[line]!;
    if (k === 0) {
      const end = line < this.starts.length ? this.starts[line]! - 1 : this.text.length;
      k = this.kinds[line] = isNonCode(this.text.slice(this.starts[line - 1], end)) ? 2 : 1;
    }
    return k === 2;
  }
}

export interface GcovrLine {
  count: number;
  noncode: boolean;
  /** Branch counts by gcov's number on the line (calls take numbers too, and have none here). */
  branches: Map<number, number>;
}

export interface GcovrFile {
  /** By line number. */
  readonly lines: Map<number, GcovrLine>;
  /** Calls by demangled name. */
  readonly functions: Map<string, number>;
}

/**
 * The folder gcovr 5.2 runs gcov in for one object, which is the folder the object's relative
 * source names resolve against: the first of the root, the folder of the object's data file
 * (`objectPath`, absolute) and each folder above that one, from which gcov opens every source
 * it prints (the files with lines; gcovr takes gcov's "Cannot open source file" as the sign of
 * a wrong folder). As gcovr builds the list, the folders above are tried only when the data
 * file is not directly in the root. Undefined when no folder works: gcovr then leaves the
 * whole object out, with a warning.
 *
 * `names` are the names gcov printed, from the folder the report read them in (the compile
 * folder); a `..` that gcov elides only where its folders exist might be elided otherwise from
 * another folder, which is not modelled.
 */
export function gcovrDirectory(
  objectPath: string,
  names: readonly string[],
  root: string,
  exists: PathExists,
): string | undefined {
  const folders = [root];
  for (let d = parentOf(objectPath); d !== folders[folders.length - 1]; d = parentOf(d)) folders.push(d);
  return folders.find((d) =>
    names.every((n) => exists(n.startsWith('/') ? n : `${d === '/' ? '' : d}/${n}`)),
  );
}

/** Python's os.path.dirname of an absolute path without a trailing `/`. */
function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/**
 * Where gcovr puts an object's relative source names: a folder (gcovrDirectory), `null` when
 * gcovr leaves the object out, `undefined` for the folder the report resolved them against.
 * `printed` are the object's files gcov prints (those with lines).
 */
export type GcovrPlace = (
  object: ReportObject,
  printed: readonly GcovJsonFile[],
) => string | null | undefined;

/**
 * Per source path, what gcovr 5.2 gathers from every object's text output. `source` gives a
 * file's text (undefined: unreadable; gcov then prints none of its lines, so gcovr sees
 * none). Paths are the report's unless `place` says otherwise.
 */
export function gcovrView(
  report: Report,
  source: (path: string) => string | undefined,
  place?: GcovrPlace,
): Map<string, GcovrFile> {
  const out = new Map<string, GcovrFile>();
  const texts = new Map<string, SourceLines | undefined>();
  const textOf = (path: string) => {
    if (!texts.has(path)) {
      const t = source(path);
      texts.set(path, t === undefined ? undefined : new SourceLines(t));
    }
    return texts.get(path);
  };
  for (const o of report.objects) {
    // gcov writes no .gcov for a file without lines
    const printed = o.json.files.filter((jf) => jf.lines.length > 0);
    const folder = place?.(o, printed);
    if (folder === null) continue;
    for (const jf of printed) {
      const path = normalisePath(jf.file, folder ?? o.sourceRoot);
      const text = textOf(path);
      const nonCode = (line: number) => (text ? text.nonCode(line) : isNonCode(''));
      let file = out.get(path);
      if (!file) out.set(path, (file = { lines: new Map(), functions: new Map() }));
      mergeObjectFile(file, objectFile(jf, text?.count, nonCode, o.format.linesToFunctionEnd));
    }
  }
  return out;
}

/** One object's `.gcov` of one file as gcovr's parser leaves it. */
function objectFile(
  jf: GcovJsonFile,
  sourceLines: number | undefined,
  nonCode: (line: number) => boolean,
  linesToFunctionEnd: boolean,
): GcovrFile {
  const starts = new Map<number, GcovJsonFunction[]>();
  for (const fn of jf.functions) {
    const list = starts.get(fn.start_line);
    if (list) list.push(fn);
    else starts.set(fn.start_line, [fn]);
  }
  const groupLines = new Map<string, Map<number, GcovJsonLine>>();
  for (const list of starts.values())
    if (list.length > 1) for (const fn of list) groupLines.set(fn.name, new Map());
  // own lines, and each group function's lines
  const own = new Map<number, GcovJsonLine>();
  let last = 0;
  // gcov 15+: its line table reaches each function's last line, with or without code there
  if (linesToFunctionEnd) for (const fn of jf.functions) last = Math.max(last, fn.end_line);
  for (const l of jf.lines) {
    last = Math.max(last, l.line_number);
    const g = l.function_name === undefined ? undefined : groupLines.get(l.function_name);
    if (g) g.set(l.line_number, l);
    else own.set(l.line_number, l);
  }
  // text mode's line counts: own plus every group function's
  const main = new Map<number, { count: number; branches: ReadonlyMap<number, number> }>();
  for (const [n, l] of own) main.set(n, { count: l.count, branches: branchNumbers(l) });
  for (const g of groupLines.values())
    for (const [n, l] of g) {
      const m = main.get(n);
      if (m) m.count += l.count;
      else main.set(n, { count: l.count, branches: NO_BRANCHES });
    }

  const file: GcovrFile = { lines: new Map(), functions: new Map() };
  /** One printed source line (`-` when !exists) and its branch lines, as gcovr's parser takes them. */
  const event = (n: number, exists: boolean, count: number, branches: ReadonlyMap<number, number>) => {
    const noncode = (!exists || count === 0) && nonCode(n);
    // a `-` line with code on it is passed over
    if (!exists && !noncode) return;
    let line = file.lines.get(n);
    if (!line) file.lines.set(n, (line = { count: 0, noncode: false, branches: NO_LINE_BRANCHES }));
    if (noncode) line.noncode = true;
    else line.count += count;
    line.branches = addBranches(line.branches, branches);
  };
  const announce = (fn: GcovJsonFunction) => {
    const name = fn.demangled_name;
    if (name.startsWith('__') || name.startsWith('_GLOBAL__sub_I_')) return;
    file.functions.set(name, (file.functions.get(name) ?? 0) + fn.execution_count);
  };
  // gcov's output_lines: the source's lines (none when it cannot read the source)
  const end = sourceLines ?? 0;
  let groupEnd = 0;
  let group: GcovJsonFunction[] = [];
  for (let n = 1; n <= end; n++) {
    if (n > last) {
      event(n, false, 0, NO_BRANCHES);
      continue;
    }
    if (groupEnd === 0) {
      const fns = starts.get(n);
      if (fns && fns.length > 1) {
        group = fns;
        for (const fn of fns) groupEnd = Math.max(groupEnd, fn.end_line);
      } else if (fns) announce(fns[0]!);
    }
    const m = main.get(n);
    event(n, m !== undefined, m?.count ?? 0, m?.branches ?? NO_BRANCHES);
    if (groupEnd === n) {
      for (const fn of group) {
        announce(fn);
        const lines = groupLines.get(fn.name)!;
        for (let k = fn.start_line; k <= fn.end_line; k++) {
          const l = lines.get(k);
          event(k, l !== undefined, l?.count ?? 0, l ? branchNumbers(l) : NO_BRANCHES);
        }
      }
      groupEnd = 0;
    }
  }
  return file;
}

/**
 * `into` with `add`'s counts added. Most lines have no branches: they share one empty Map
 * (never written to), and a line gets a Map of its own with its first branch.
 */
function addBranches(into: Map<number, number>, add: ReadonlyMap<number, number>): Map<number, number> {
  if (add.size === 0) return into;
  const m = into === NO_LINE_BRANCHES ? new Map<number, number>() : into;
  for (const [i, c] of add) m.set(i, (m.get(i) ?? 0) + c);
  return m;
}

const NO_LINE_BRANCHES = new Map<number, number>();

const NO_BRANCHES: ReadonlyMap<number, number> = new Map();

/** A line's branch counts by the number gcov's text output gives them (calls take numbers too). */
function branchNumbers(l: GcovJsonLine): ReadonlyMap<number, number> {
  if (l.branches.length === 0) return NO_BRANCHES;
  const numbers = textBranchNumbers(l);
  return new Map(l.branches.map((b, i) => [numbers[i]!, b.count]));
}

/** gcovr's merge of one object's file into the others': counts add, non-code only where all agree. */
function mergeObjectFile(into: GcovrFile, add: GcovrFile): void {
  for (const [n, l] of add.lines) {
    const have = into.lines.get(n);
    if (!have)
      into.lines.set(n, {
        count: l.count,
        noncode: l.noncode,
        branches: addBranches(NO_LINE_BRANCHES, l.branches),
      });
    else {
      have.count += l.count;
      have.noncode &&= l.noncode;
      have.branches = addBranches(have.branches, l.branches);
    }
  }
  for (const [name, calls] of add.functions)
    into.functions.set(name, (into.functions.get(name) ?? 0) + calls);
}
