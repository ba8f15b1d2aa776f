/**
 * Line, branch and function coverage of one object file from its .gcno and .gcda, as
 * gcov computes it: block counts are attributed to the lines of each block, and a line
 * made of several blocks counts the entries into it plus the loops it contains.
 */
import { InputError } from '../gcov/errors';
import type { Gcda, GcdaFunction } from '../gcov/gcda-reader';
import type { Gcno, GcnoFunction } from '../gcov/gcno';
import {
  countLimitError,
  measuredArcCount,
  solveFunction,
  type SolvedArc,
  type SolvedBlock,
  type SolvedFunction,
} from '../gcov/solve';

export interface LineCoverage {
  readonly lineNumber: number;
  exists: boolean;
  /** Exact: below 2^53 (computeCoverage refuses larger ones). */
  count: number;
  unexecutedBlock: boolean;
  /** Blocks whose last line this is (not ENTRY, not the last block), in attribution order. */
  blocks: SolvedBlock[];
  /** Every exit arc of those blocks, in block then destination order. */
  arcs: SolvedArc[];
  /** Conditions (GCC 14+, -fcondition-coverage) of those blocks, in block order. */
  conditions: ConditionCoverage[];
}

/** One boolean expression: which terms were seen true and false. */
export interface ConditionCoverage {
  readonly block: number;
  readonly terms: number;
  /** Bit i set: term i was seen true (resp. false). */
  readonly trueBits: bigint;
  readonly falseBits: bigint;
}

export interface FunctionCoverage {
  readonly gcno: GcnoFunction;
  readonly name: string;
  readonly source: string;
  readonly solved: SolvedFunction;
  readonly blocks: number;
  readonly blocksExecuted: number;
  readonly executionCount: number;
  /** The function's counters from the .gcda by kind index (empty without data). */
  readonly counters: ReadonlyMap<number, readonly bigint[]>;
  /** Set when several functions start on the same line of one file. */
  group: boolean;
  /** For a group function: its own lines, from startLine to endLine. */
  readonly lines: Map<number, LineCoverage>;
}

export interface FileCoverage {
  readonly file: string;
  /** Functions defined in this file, by (start line, start column). */
  readonly functions: FunctionCoverage[];
  /** Lines not owned by a group function, by number. */
  readonly lines: Map<number, LineCoverage>;
  /** Highest line number seen (gcov sizes its line table with it). */
  maxLine: number;
}

export interface ObjectCoverage {
  readonly files: FileCoverage[];
  /** Version-dependent output facts. */
  readonly gcno: Gcno;
  /** Why (part of) the .gcda was not used. */
  readonly problems: InputError[];
  /** Functions whose counters contradict their flow graph (see SolvedFunction.flow). */
  readonly flow: InputError[];
}

/** Steps of the loop search over a whole object before it is refused as hostile. */
const MAX_CIRCUIT_STEPS = 5_000_000;

/** Shared by every line without blocks (resp. conditions) until it gets one: never pushed to. */
const NO_BLOCKS: SolvedBlock[] = Object.freeze([]) as unknown as SolvedBlock[];
const NO_ARCS: SolvedArc[] = Object.freeze([]) as unknown as SolvedArc[];
const NO_CONDITIONS: ConditionCoverage[] = Object.freeze([]) as unknown as ConditionCoverage[];

const newLine = (lineNumber: number): LineCoverage => ({
  lineNumber,
  exists: false,
  count: 0,
  unexecutedBlock: false,
  blocks: NO_BLOCKS,
  arcs: NO_ARCS,
  conditions: NO_CONDITIONS,
});

function lineOf(map: Map<number, LineCoverage>, n: number): LineCoverage {
  let l = map.get(n);
  if (!l) map.set(n, (l = newLine(n)));
  return l;
}

/** Sum of the elementary circuits (Hawick–James) through the line's blocks, consuming arc counts. */
function cycleCount(
  lineBlocks: SolvedBlock[],
  blocksOf: SolvedBlock[],
  budget: { steps: number; file: string },
): number {
  const onLine = new Set(lineBlocks.map((b) => b.index));
  const remaining = new Map<SolvedArc, number>();
  for (const b of lineBlocks) for (const a of b.succ) remaining.set(a, a.count);
  let total = 0;
  for (const start of lineBlocks) {
    const path: SolvedArc[] = [];
    const blocked: number[] = [];
    const blockLists: number[][] = [];
    const usable = (a: SolvedArc) => a.dst >= start.index && a.count !== 0 && onLine.has(a.dst);
    const unblock = (u: number): void => {
      const i = blocked.indexOf(u);
      if (i < 0) return;
      blocked.splice(i, 1);
      const list = blockLists.splice(i, 1)[0]!;
      for (const w of list) unblock(w);
    };
    const circuit = (v: number): boolean => {
      if (--budget.steps < 0)
        throw new InputError(budget.file, undefined, 'limit', 'too many loops on one line to count');
      let found = false;
      blocked.push(v);
      blockLists.push([]);
      for (const a of blocksOf[v]!.succ) {
        if (!usable(a)) continue;
        path.push(a);
        if (a.dst === start.index) {
          let min: number | undefined;
          for (const e of path) {
            const c = remaining.get(e)!;
            if (min === undefined || c < min) min = c;
          }
          for (const e of path) remaining.set(e, remaining.get(e)! - min!);
          total += min!;
          found = true;
        } else if (!blocked.includes(a.dst)) {
          if (circuit(a.dst)) found = true;
        }
        path.pop();
      }
      if (found) unblock(v);
      else
        for (const a of blocksOf[v]!.succ) {
          if (!usable(a)) continue;
          const i = blocked.indexOf(a.dst);
          const list = blockLists[i]!;
          if (!list.includes(v)) list.push(v);
        }
      return found;
    };
    circuit(start.index);
  }
  return total;
}

/**
 * A line with blocks counts the entries into its blocks from outside the line plus the
 * loops entirely on it. Blocks of one line can come from several functions (inlined
 * header code), so each block is looked up in its own function; cycles never cross.
 */
function finishLine(line: LineCoverage, budget: { steps: number; file: string }): void {
  const lineBlocks = line.blocks;
  if (lineBlocks.length === 0) return;
  let count = 0;
  if (lineBlocks.length === 1) {
    // One block: its entries from elsewhere, plus its self-loops (its only circuits).
    const b = lineBlocks[0]!;
    for (const a of b.pred) if (a.src !== b.index) count += a.count;
    for (const a of b.succ) if (a.dst === b.index) count += a.count;
  } else {
    let nArcs = 0;
    for (const b of lineBlocks) nArcs += b.succ.length;
    const arcs = new Array<SolvedArc>(nArcs);
    nArcs = 0;
    for (const b of lineBlocks) for (const a of b.succ) arcs[nArcs++] = a;
    line.arcs = arcs;
    const onLine = new Set(lineBlocks);
    const byFn = new Map<SolvedBlock[], SolvedBlock[]>();
    for (const b of lineBlocks) {
      const all = b.graph;
      for (const a of b.pred) if (!onLine.has(all[a.src]!)) count += a.count;
      const list = byFn.get(all);
      if (list) list.push(b);
      else byFn.set(all, [b]);
    }
    for (const [all, blocks] of byFn) count += cycleCount(blocks, all, budget);
  }
  if (!Number.isSafeInteger(count)) throw countLimitError(budget.file, `line ${line.lineNumber}`);
  line.count = count;
}

/**
 * The .gcda functions gcov uses: all of them, but with a stamp that differs from the notes
 * none, and from the first function whose checksums or arc counter count disagree with
 * the notes on, none (gcov stops reading there and reports "profile mismatch").
 */
function acceptedData(gcno: Gcno, gcda: Gcda | undefined, name: string, problems: InputError[]) {
  const accepted = new Map<number, GcdaFunction>();
  if (!gcda) return accepted;
  if (gcda.stamp !== gcno.stamp) {
    problems.push(new InputError(name, 8, 'checksum', 'stamp mismatch with notes file'));
    return accepted;
  }
  const byIdent = new Map(gcno.functions.map((g) => [g.ident, g]));
  for (const d of gcda.functions.values()) {
    const g = byIdent.get(d.ident);
    if (!g) continue;
    const arcs = d.counters.get(0);
    if (
      d.linenoChecksum !== g.linenoChecksum ||
      d.cfgChecksum !== g.cfgChecksum ||
      (arcs !== undefined && arcs.length !== measuredArcCount(g))
    ) {
      problems.push(new InputError(name, undefined, 'checksum', `profile mismatch for '${g.name}'`));
      break;
    }
    accepted.set(d.ident, d);
  }
  return accepted;
}

/**
 * Coverage of one object. Without a .gcda (or with one that does not match) every count
 * is 0, as gcov reports it; `problems` says why.
 */
export function computeCoverage(gcno: Gcno, gcda: Gcda | undefined, gcdaName = 'gcda'): ObjectCoverage {
  const problems: InputError[] = [];
  const data = acceptedData(gcno, gcda, gcdaName, problems);
  const files: FileCoverage[] = [];
  const byName = new Map<string, FileCoverage>();
  const fileOf = (name: string): FileCoverage => {
    let f = byName.get(name);
    if (!f) {
      f = { file: name, functions: [], lines: new Map(), maxLine: 0 };
      byName.set(name, f);
      files.push(f);
    }
    return f;
  };
  // Files in the order gcov meets them while reading the notes.
  for (const fn of gcno.functions) {
    let last = fn.source;
    fileOf(last);
    const table = fn.lineTable;
    for (let p = 0; p < table.length; p += 2 + table[p + 1]!) {
      const file = fn.lineFiles[table[p]!]!;
      if (file !== last) {
        last = file;
        fileOf(last);
      }
    }
  }

  const fns: FunctionCoverage[] = [];
  const flow: InputError[] = [];
  for (const g of gcno.functions) {
    if (g.artificial) continue;
    // gcov drops a function without counters when there is a data file (not in the program)
    if (gcda && measuredArcCount(g) === 0) continue;
    const d = data.get(g.ident);
    const exit = gcno.format.exitBlockOne ? 1 : g.blockCount - 1;
    const solved = solveFunction(g, d?.counters.get(0), gcdaName, exit);
    if (solved.flow.length > 0) flow.push(...solved.flow);
    const n = solved.blocks.length;
    let executed = 0;
    for (let i = 1; i + 1 < n; i++) if (solved.blocks[i]!.count !== 0) executed++;
    fns.push({
      gcno: g,
      name: g.name,
      source: g.source,
      solved,
      blocks: n - 2,
      blocksExecuted: executed,
      executionCount: solved.blocks[0]!.count,
      counters: d?.counters ?? new Map(),
      group: false,
      lines: new Map(),
    });
  }

  // Functions starting on the same line of a file form a group.
  const starts = new Map<string, FunctionCoverage[]>();
  for (const f of fns) {
    const key = `${f.source}\0${f.gcno.startLine}`;
    const list = starts.get(key) ?? [];
    list.push(f);
    starts.set(key, list);
  }
  for (const list of starts.values()) if (list.length > 1) for (const f of list) f.group = true;

  const conditionKind = gcno.format.counters.findIndex((k) => k.name === 'conditions');
  for (const f of fns) {
    const file = fileOf(f.source);
    file.functions.push(f);
    file.maxLine = Math.max(file.maxLine, f.gcno.endLine);
    const n = f.solved.blocks.length;
    // Two counters per condition, in CONDS order: terms seen true, terms seen false.
    const condCounters = conditionKind < 0 ? undefined : f.counters.get(conditionKind);
    const conditionsOf = new Map<number, ConditionCoverage[]>();
    const gConds = f.gcno.conditions;
    for (let i = 0; i < gConds.length; i++) {
      const c = gConds[i]!;
      const list = conditionsOf.get(c.block) ?? [];
      list.push({
        block: c.block,
        terms: c.terms,
        trueBits: condCounters?.[2 * i] ?? 0n,
        falseBits: condCounters?.[2 * i + 1] ?? 0n,
      });
      conditionsOf.set(c.block, list);
    }
    const { group } = f;
    const { startLine, endLine } = f.gcno;
    let lf: FileCoverage | undefined;
    // The line met last: consecutive blocks are mostly on the same line.
    let lastLine: LineCoverage | undefined;
    let lastMap: Map<number, LineCoverage> | undefined;
    const blocks = f.solved.blocks;
    const { lineStart, lineTable, lineFiles } = f.gcno;
    for (let bi = 0; bi < blocks.length; bi++) {
      const b = blocks[bi]!;
      const attach = b.index !== 0 && b.index + 1 !== n;
      const conds = conditionsOf.size > 0 ? conditionsOf.get(b.index) : undefined;
      const unexecuted = !b.exceptional && b.count === 0;
      for (let p = lineStart[b.index]!, stop = lineStart[b.index + 1]!; p < stop;) {
        const locFile = lineFiles[lineTable[p]!]!;
        const nLines = lineTable[p + 1]!;
        p += 2;
        if (lf?.file !== locFile) lf = fileOf(locFile);
        // The block belongs to the highest line of each of its locations (not the line
        // listed last: setup.c of the fixtures lists "116, 115" and gcov uses 116).
        let top: LineCoverage | undefined;
        let maxLine = lf.maxLine;
        const linesEnd = p + nLines;
        for (; p < linesEnd; p++) {
          const ln = lineTable[p]!;
          if (ln > maxLine) maxLine = ln;
          const own = group && ln >= startLine && ln <= endLine;
          const map = own ? f.lines : lf.lines;
          const line =
            lastMap === map && lastLine!.lineNumber === ln
              ? lastLine!
              : (lastLine = lineOf((lastMap = map), ln));
          line.exists = true;
          if (unexecuted) line.unexecutedBlock = true;
          if (!Number.isSafeInteger((line.count += b.count))) throw countLimitError(gcno.file, `line ${ln}`);
          if (!top || ln > top.lineNumber) top = line;
        }
        lf.maxLine = maxLine;
        if (top && attach) {
          // A line of one block shares the block's exits (never changed after solving);
          // more blocks make a new list (push would leave spare room, or change succ).
          // (the exits of a line of several blocks are gathered once, in finishLine).
          if (top.blocks.length === 0) {
            top.blocks = [b];
            top.arcs = b.succ;
          } else top.blocks.push(b);
          if (conds) top.conditions = top.conditions.concat(conds);
        }
      }
    }
  }
  // The elementary circuits of a line can be exponentially many in a hostile graph.
  const budget = { steps: MAX_CIRCUIT_STEPS, file: gcno.file };
  for (const f of fns) for (const l of f.lines.values()) finishLine(l, budget);
  for (const file of files) for (const l of file.lines.values()) finishLine(l, budget);
  for (const file of files)
    file.functions.sort(
      (a, b) => a.gcno.startLine - b.gcno.startLine || a.gcno.startColumn - b.gcno.startColumn,
    );
  return { files, gcno, problems, flow };
}
