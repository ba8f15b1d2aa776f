/**
 * Line, branch and function coverage of one object file from its .gcno and .gcda, as
 * gcov computes it: block counts are attributed to the lines of each block, and a line
 * made of several blocks counts the entries into it plus the loops it contains.
 */
import { pushAll } from '../gcov/push-all';
import { stdSort } from '../gcov/std-sort';
import { InputError } from '../gcov/errors';
import type { Gcda } from '../gcov/gcda-reader';
import { readArcCountersAsGcov } from '../gcov/gcda-as-gcov';
import type { Gcno, GcnoFunction } from '../gcov/gcno';
import { LineTable } from './line-table';
import { sourceNamer } from './source-name';
import {
  BLOCK_FLAG,
  countLimitError,
  measuredArcCount,
  solveFunction,
  type SolvedFunction,
} from '../gcov/solve';

/** One kind's counter values: the arcs' may be numbers (see KindCounters), bit sets are bigints. */
export type CounterValues = readonly bigint[] | readonly number[];

export interface LineCoverage {
  readonly lineNumber: number;
  exists: boolean;
  /** Exact: below 2^53 (computeCoverage refuses larger ones). */
  count: number;
  unexecutedBlock: boolean;
  /**
   * Blocks whose last line this is (not ENTRY, not the last block), in attribution order,
   * by index in their function. The line's arcs are every exit of those blocks, in block
   * then destination order.
   */
  blocks: number[];
  /**
   * The function of each of those blocks: one entry when they all belong to the same one
   * (the usual case), else one per block. Inlined header code puts blocks of several
   * functions on one line. See blockFunction.
   */
  blockFns: SolvedFunction[];
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
  /**
   * The function's counters from the .gcda by kind index (empty without data). The arcs'
   * may be numbers (see KindCounters); bit sets (conditions, paths) are bigints.
   */
  readonly counters: ReadonlyMap<number, CounterValues>;
  /** Set when several functions start on the same line of one file. */
  group: boolean;
  /** For a group function: its own lines, from startLine to endLine. */
  readonly lines: LineTable<LineCoverage>;
}

export interface FileCoverage {
  readonly file: string;
  /**
   * Functions defined in this file, by (start line, start column); those at the same place
   * in the order gcov's unstable sort leaves them (see std-sort.ts).
   */
  readonly functions: FunctionCoverage[];
  /**
   * Per start line, its functions in gcov's order for that line: met in the notes' order,
   * then sorted by column on their own (gcov sorts each line's list apart from the file's).
   */
  readonly startsAt: Map<number, FunctionCoverage[]>;
  /** Lines not owned by a group function, by number. */
  readonly lines: LineTable<LineCoverage>;
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
  /** gcov's name of a source name read from the notes. */
  readonly sourceName: (name: string) => string;
}

/** gcov's order of functions in a file: by start line, then start column. */
const startsBefore = (a: FunctionCoverage, b: FunctionCoverage): boolean =>
  a.gcno.startLine === b.gcno.startLine
    ? a.gcno.startColumn < b.gcno.startColumn
    : a.gcno.startLine < b.gcno.startLine;

/** Steps of the loop search over a whole object before it is refused as hostile. */
const MAX_CIRCUIT_STEPS = 5_000_000;

/** Shared by every line without blocks (resp. conditions) until it gets one: never pushed to. */
const NO_BLOCKS: number[] = Object.freeze([]) as unknown as number[];
const NO_FNS: SolvedFunction[] = Object.freeze([]) as unknown as SolvedFunction[];
const NO_COUNTERS: ReadonlyMap<number, CounterValues> = new Map();
const NO_CONDITIONS: ConditionCoverage[] = Object.freeze([]) as unknown as ConditionCoverage[];
/** Other values of the same kinds, for the first of the two writes in Line's constructor. */
const SETTLING: number[] = [];
const SETTLING_FNS: SolvedFunction[] = [];
const SETTLING_CONDITIONS: ConditionCoverage[] = [];

/** The function of the line's i-th block. */
export const blockFunction = (line: LineCoverage, i: number): SolvedFunction =>
  line.blockFns.length === 1 ? line.blockFns[0]! : line.blockFns[i]!;

/**
 * LineCoverage, FunctionCoverage and FileCoverage are made by classes, not object literals:
 * V8 keeps the fields' types of a class's objects exact, where a literal's are generalized at
 * some later creation, which throws away the optimized code of every function reading them.
 */
class Line implements LineCoverage {
  declare readonly lineNumber: number;
  declare exists: boolean;
  declare count: number;
  declare unexecutedBlock: boolean;
  declare blocks: number[];
  declare blockFns: SolvedFunction[];
  declare conditions: ConditionCoverage[];
  constructor(lineNumber: number) {
    this.lineNumber = lineNumber;
    // Each changing field is written twice, the first time with a value of the kind it takes
    // later (a double for the count): V8 then knows at the first line that the fields change,
    // instead of finding out mid-run and throwing away the optimized code that reads them.
    this.exists = true;
    this.exists = false;
    this.count = 0.5;
    this.count = 0;
    this.unexecutedBlock = true;
    this.unexecutedBlock = false;
    this.blocks = SETTLING;
    this.blocks = NO_BLOCKS;
    this.blockFns = SETTLING_FNS;
    this.blockFns = NO_FNS;
    this.conditions = SETTLING_CONDITIONS;
    this.conditions = NO_CONDITIONS;
  }
}

class FunctionCov implements FunctionCoverage {
  declare readonly gcno: GcnoFunction;
  declare readonly name: string;
  declare readonly source: string;
  declare readonly solved: SolvedFunction;
  declare readonly blocks: number;
  declare readonly blocksExecuted: number;
  declare readonly executionCount: number;
  declare readonly counters: ReadonlyMap<number, CounterValues>;
  declare group: boolean;
  declare readonly lines: LineTable<LineCoverage>;
  constructor(
    g: GcnoFunction,
    solved: SolvedFunction,
    executed: number,
    counters: ReadonlyMap<number, CounterValues>,
  ) {
    this.gcno = g;
    this.name = g.name;
    this.source = g.source;
    this.solved = solved;
    this.blocks = solved.blockCount - 2;
    this.blocksExecuted = executed;
    this.executionCount = solved.counts[0]!;
    this.counters = counters;
    this.group = false;
    this.lines = new LineTable();
  }
}

class FileCov implements FileCoverage {
  declare readonly file: string;
  declare readonly functions: FunctionCoverage[];
  declare readonly startsAt: Map<number, FunctionCoverage[]>;
  declare readonly lines: LineTable<LineCoverage>;
  declare maxLine: number;
  constructor(file: string) {
    this.file = file;
    this.functions = [];
    this.startsAt = new Map();
    this.lines = new LineTable();
    this.maxLine = 1; // written twice: see Line
    this.maxLine = 0;
  }
}

const newLine = (lineNumber: number): LineCoverage => new Line(lineNumber);

function lineOf(table: LineTable<LineCoverage>, n: number): LineCoverage {
  let l = table.get(n);
  if (!l) table.add((l = newLine(n)));
  return l;
}

/**
 * The list of block b alone, shared by every line with that one block (most lines): one
 * array per line was most of the engine's garbage. Frozen: attachBlock copies it to grow.
 */
const ONE_BLOCK_MAX = 1 << 14;
let oneBlockLists: (number[] | undefined)[] | undefined;
function oneBlock(b: number): number[] {
  if (b >= ONE_BLOCK_MAX) return [b];
  const lists = (oneBlockLists ??= new Array<number[] | undefined>(ONE_BLOCK_MAX));
  return (lists[b] ??= Object.freeze([b]) as number[]);
}

/** Adds block b of f (with `single`, f's shared one-entry list) to the line's blocks. */
function attachBlock(line: LineCoverage, b: number, f: SolvedFunction, single: SolvedFunction[]): void {
  const fns = line.blockFns;
  const blocks = line.blocks;
  if (blocks.length === 0) {
    line.blocks = oneBlock(b);
    line.blockFns = single;
    return;
  }
  // a shared one-block list is copied before it grows
  if (blocks.length === 1) line.blocks = [blocks[0]!, b];
  else blocks.push(b);
  if (fns.length === 1 && fns[0] === f) return;
  if (fns.length === 1) {
    // A second function: one entry per block from now on.
    const all = new Array<SolvedFunction>(line.blocks.length - 1).fill(fns[0]!);
    all.push(f);
    line.blockFns = all;
  } else fns.push(f);
}

/** Scratch of the loop search, grown as needed: no allocation per line. */
interface CircuitState {
  f: SolvedFunction;
  start: number;
  /** onLine[b] === stamp: block b is one of the line's blocks (of this function). */
  onLine: Uint32Array;
  stamp: number;
  /** Per arc index: count not yet taken by a circuit (set for the line's arcs only). */
  remaining: Float64Array;
  /** The arcs of the path being searched, pathLength of them. */
  path: Int32Array;
  pathLength: number;
  /** blocked[b] === blockStamp: block b is blocked (one stamp per start block). */
  blocked: Uint32Array;
  blockStamp: number;
  /** Per blocked block, the blocks to unblock with it: waitCount[b] of waiting[b]. */
  waiting: number[][];
  waitCount: Int32Array;
  total: number;
  budget: { steps: number; file: string };
}
let circuitState: CircuitState | undefined;

function circuitScratch(f: SolvedFunction, budget: { steps: number; file: string }): CircuitState {
  const n = f.blockCount;
  const m = f.arcCounts.length;
  let st = circuitState;
  if (!st) {
    st = circuitState = {
      f,
      start: 0,
      onLine: new Uint32Array(Math.max(n, 256)),
      stamp: 0,
      remaining: new Float64Array(Math.max(m, 256)),
      path: new Int32Array(256),
      pathLength: 0,
      blocked: new Uint32Array(256),
      blockStamp: 0,
      waiting: [],
      waitCount: new Int32Array(256),
      // a double from the start (counts pass 2^31): V8 would otherwise change the field's
      // representation mid-run and throw away the optimized code that reads it
      total: 0.5,
      budget,
    };
  }
  if (st.onLine.length < n) st.onLine = new Uint32Array(Math.max(n, 2 * st.onLine.length));
  if (st.remaining.length < m) st.remaining = new Float64Array(Math.max(m, 2 * st.remaining.length));
  if (st.blocked.length < n) {
    // the path holds each block at most once: n arcs at most
    const size = Math.max(n, 2 * st.blocked.length);
    st.path = new Int32Array(size);
    st.blocked = new Uint32Array(size);
    st.blockStamp = 0;
    st.waitCount = new Int32Array(size);
  }
  if (st.stamp === 0xffffffff) {
    st.onLine.fill(0);
    st.stamp = 0;
  }
  st.stamp++;
  st.f = f;
  st.budget = budget;
  return st;
}

/** Whether arc k can be on a circuit from st.start (forward, counted, within the line). */
function usable(st: CircuitState, k: number): boolean {
  const dst = st.f.arcs[3 * k + 1]!;
  return dst >= st.start && st.f.arcCounts[k] !== 0 && st.onLine[dst] === st.stamp;
}

function unblock(st: CircuitState, u: number): void {
  if (st.blocked[u] !== st.blockStamp) return;
  st.blocked[u] = 0;
  const list = st.waiting[u]!;
  const n = st.waitCount[u]!;
  st.waitCount[u] = 0;
  for (let i = 0; i < n; i++) unblock(st, list[i]!);
}

function circuit(st: CircuitState, v: number): boolean {
  if (--st.budget.steps < 0)
    throw new InputError(st.budget.file, undefined, 'limit', 'too many loops on one line to count');
  const { arcs, succ, succStart } = st.f;
  const { path, remaining, blocked } = st;
  let found = false;
  blocked[v] = st.blockStamp;
  st.waitCount[v] = 0;
  for (let p = succStart[v]!, end = succStart[v + 1]!; p < end; p++) {
    const k = succ[p]!;
    if (!usable(st, k)) continue;
    const dst = arcs[3 * k + 1]!;
    const length = st.pathLength;
    path[length] = k;
    st.pathLength = length + 1;
    if (dst === st.start) {
      let min = remaining[path[0]!]!;
      for (let i = 1; i <= length; i++) if (remaining[path[i]!]! < min) min = remaining[path[i]!]!;
      for (let i = 0; i <= length; i++) remaining[path[i]!]! -= min;
      st.total += min;
      found = true;
    } else if (blocked[dst] !== st.blockStamp) {
      if (circuit(st, dst)) found = true;
    }
    st.pathLength = length;
  }
  if (found) unblock(st, v);
  else
    for (let p = succStart[v]!, end = succStart[v + 1]!; p < end; p++) {
      const k = succ[p]!;
      if (!usable(st, k)) continue;
      const w = arcs[3 * k + 1]!;
      if (blocked[w] !== st.blockStamp) continue;
      // v waits on w, once
      const list = (st.waiting[w] ??= []);
      const n = st.waitCount[w]!;
      let i = 0;
      while (i < n && list[i] !== v) i++;
      if (i === n) {
        list[n] = v;
        st.waitCount[w] = n + 1;
      }
    }
  return found;
}

/** Sum of the elementary circuits (Hawick–James) through the line's blocks, consuming arc counts. */
function cycleCount(
  lineBlocks: number[],
  f: SolvedFunction,
  budget: { steps: number; file: string },
): number {
  const st = circuitScratch(f, budget);
  for (let i = 0; i < lineBlocks.length; i++) st.onLine[lineBlocks[i]!] = st.stamp;
  // most lines of several blocks have no loop: no search, nothing more to set up
  if (!hasArcBack(lineBlocks, f, st.onLine, st.stamp)) return 0;
  const { arcCounts, succ, succStart } = f;
  for (let i = 0; i < lineBlocks.length; i++) {
    const b = lineBlocks[i]!;
    for (let p = succStart[b]!, end = succStart[b + 1]!; p < end; p++)
      st.remaining[succ[p]!] = arcCounts[succ[p]!]!;
  }
  st.total = 0;
  for (let i = 0; i < lineBlocks.length; i++) {
    st.start = lineBlocks[i]!;
    st.pathLength = 0;
    // a new stamp unblocks every block
    if (st.blockStamp === 0xffffffff) {
      st.blocked.fill(0);
      st.blockStamp = 0;
    }
    st.blockStamp++;
    circuit(st, st.start);
  }
  return st.total;
}

/** Blocks of the line that belong to f: stamps of a second scratch array. */
let entryMarks = new Uint32Array(256);
let entryStamp = 0;

/**
 * A line with blocks counts the entries into its blocks from outside the line plus the
 * loops entirely on it. Blocks of one line can come from several functions (inlined
 * header code), so each block is looked up in its own function; cycles never cross.
 */
function finishLine(line: LineCoverage, budget: { steps: number; file: string }): void {
  const ids = line.blocks;
  if (ids.length === 0) return;
  let count = 0;
  if (ids.length === 1) {
    // One block: its entries from elsewhere, plus its self-loops (its only circuits).
    const b = ids[0]!;
    const { arcs, arcCounts, pred, predStart, succ, succStart } = line.blockFns[0]!;
    for (let p = predStart[b]!, end = predStart[b + 1]!; p < end; p++) {
      const k = pred[p]!;
      if (arcs[3 * k] !== b) count += arcCounts[k]!;
    }
    for (let p = succStart[b]!, end = succStart[b + 1]!; p < end; p++) {
      const k = succ[p]!;
      if (arcs[3 * k + 1] === b) count += arcCounts[k]!;
    }
  } else if (line.blockFns.length === 1) count = severalBlocks(ids, line.blockFns[0]!, budget);
  else {
    // The line's blocks of each function, in order of first appearance.
    const byFn = new Map<SolvedFunction, number[]>();
    for (let i = 0; i < ids.length; i++) {
      const f = blockFunction(line, i);
      const list = byFn.get(f);
      if (list) list.push(ids[i]!);
      else byFn.set(f, [ids[i]!]);
    }
    for (let i = 0; i < ids.length; i++) {
      const f = blockFunction(line, i);
      count += entriesFromElsewhere(byFn.get(f)!, ids[i]!, f);
    }
    for (const [f, blocks] of byFn) count += cycleCount(blocks, f, budget);
  }
  if (!Number.isSafeInteger(count)) throw countLimitError(budget.file, `line ${line.lineNumber}`);
  line.count = count;
}

/** Blocks of one function on a line: entries from off the line, then the line's loops. */
function severalBlocks(ids: number[], f: SolvedFunction, budget: { steps: number; file: string }): number {
  const { arcs, arcCounts, pred, predStart } = f;
  if (entryMarks.length < f.blockCount)
    entryMarks = new Uint32Array(Math.max(f.blockCount, 2 * entryMarks.length));
  if (entryStamp === 0xffffffff) {
    entryMarks.fill(0);
    entryStamp = 0;
  }
  const stamp = ++entryStamp;
  for (let i = 0; i < ids.length; i++) entryMarks[ids[i]!] = stamp;
  let count = 0;
  for (let i = 0; i < ids.length; i++) {
    const b = ids[i]!;
    for (let p = predStart[b]!, end = predStart[b + 1]!; p < end; p++) {
      const k = pred[p]!;
      if (entryMarks[arcs[3 * k]!] !== stamp) count += arcCounts[k]!;
    }
  }
  return count + cycleCount(ids, f, budget);
}

/**
 * Whether a counted arc inside the line (its blocks marked `stamp` in `marks`) goes to a block
 * of a number no higher than the one it leaves. A circuit cannot rise all the way round, so
 * without such an arc the line has none.
 */
function hasArcBack(lineBlocks: number[], f: SolvedFunction, marks: Uint32Array, stamp: number): boolean {
  const { arcs, arcCounts, succ, succStart } = f;
  for (let i = 0; i < lineBlocks.length; i++) {
    const b = lineBlocks[i]!;
    for (let p = succStart[b]!, end = succStart[b + 1]!; p < end; p++) {
      const k = succ[p]!;
      const dst = arcs[3 * k + 1]!;
      if (dst <= b && arcCounts[k] !== 0 && marks[dst] === stamp) return true;
    }
  }
  return false;
}

/** The counts of block b's entries from blocks of f that are not among `own`. */
function entriesFromElsewhere(own: number[], b: number, f: SolvedFunction): number {
  const { arcs, arcCounts, pred, predStart } = f;
  let count = 0;
  for (let p = predStart[b]!, end = predStart[b + 1]!; p < end; p++) {
    const k = pred[p]!;
    if (!own.includes(arcs[3 * k]!)) count += arcCounts[k]!;
  }
  return count;
}

/** Counter values per notes function, by kind index (0 = arcs). */
type FunctionData = Map<GcnoFunction, ReadonlyMap<number, CounterValues>>;

/**
 * The .gcda functions gcov uses: all of them, but with a stamp that differs from the notes
 * none, and from the first function whose checksums or arc counter count disagree with
 * the notes on, none (gcov stops reading there and reports "profile mismatch").
 */
function acceptedData(
  gcno: Gcno,
  gcda: Gcda | undefined,
  name: string,
  problems: InputError[],
): FunctionData {
  const accepted: FunctionData = new Map();
  if (!gcda) return accepted;
  if (gcda.stamp !== gcno.stamp) {
    problems.push(new InputError(name, 8, 'checksum', 'stamp mismatch with notes file'));
    return accepted;
  }
  const byIdent = new Map<number, GcnoFunction[]>();
  for (const g of gcno.functions) byIdent.set(g.ident, [...(byIdent.get(g.ident) ?? []), g]);
  for (const d of gcda.functions.values()) {
    const gs = byIdent.get(d.ident);
    if (!gs) continue;
    const g = gs[gs.length - 1]!;
    const arcs = d.counters.get(0);
    if (
      d.linenoChecksum !== g.linenoChecksum ||
      d.cfgChecksum !== g.cfgChecksum ||
      (arcs !== undefined && arcs.length !== measuredArcCount(g))
    ) {
      problems.push(new InputError(name, undefined, 'checksum', `profile mismatch for '${g.name}'`));
      break;
    }
    for (const x of gs) accepted.set(x, d.counters);
  }
  return accepted;
}

/**
 * Coverage of one object. Without a .gcda (or with one that does not match) every count
 * is 0, as gcov reports it; `problems` says why.
 */
/** The function's counts and totals (its lines come later, from attributeLines). */
function functionCoverage(
  g: GcnoFunction,
  counters: ReadonlyMap<number, CounterValues> | undefined,
  gcdaName: string,
  exit: number,
  flow: InputError[],
): FunctionCoverage {
  const solved = solveFunction(g, counters?.get(0), gcdaName, exit);
  if (solved.flow.length > 0) pushAll(flow, solved.flow);
  const n = solved.blockCount;
  const counts = solved.counts;
  let executed = 0;
  for (let i = 1; i + 1 < n; i++) if (counts[i] !== 0) executed++;
  return new FunctionCov(g, solved, executed, counters ?? NO_COUNTERS);
}

/**
 * Adds the function's blocks to the lines they are on (and the function to its file). A
 * function of its own, called per function: optimized code comes sooner than for one long
 * loop, and other phases reaching new code do not throw it away.
 */
function attributeLines(
  f: FunctionCoverage,
  fileOf: (name: string) => FileCoverage,
  conditionKind: number,
  notesFile: string,
): void {
  const file = fileOf(f.source);
  file.functions.push(f);
  file.maxLine = Math.max(file.maxLine, f.gcno.endLine);
  const solved = f.solved;
  const n = solved.blockCount;
  // Two counters per condition, in CONDS order: terms seen true, terms seen false.
  const gConds = f.gcno.conditions;
  let conditionsOf: Map<number, ConditionCoverage[]> | undefined;
  if (gConds.length > 0) {
    conditionsOf = new Map();
    // a bit set: bigints
    const condCounters =
      conditionKind < 0 ? undefined : (f.counters.get(conditionKind) as readonly bigint[] | undefined);
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
  }
  const single = [solved];
  const { group } = f;
  const { startLine, endLine } = f.gcno;
  let lf: FileCoverage | undefined;
  let lfName: string | undefined;
  // The line met last: consecutive blocks are mostly on the same line.
  let lastLine: LineCoverage | undefined;
  let lastMap: LineTable<LineCoverage> | undefined;
  const { counts, blockFlags } = solved;
  const { lineStart, lineTable, lineFiles } = f.gcno;
  for (let b = 0; b < n; b++) {
    let p = lineStart[b]!;
    const stop = lineStart[b + 1]!;
    if (p >= stop) continue;
    const count = counts[b]!;
    const attach = b !== 0 && b + 1 !== n;
    const conds = conditionsOf?.get(b);
    const unexecuted = count === 0 && !(blockFlags[b]! & BLOCK_FLAG.EXCEPTIONAL);
    // The block belongs to the highest line of each of its locations (not the line
    // listed last: setup.c of the fixtures lists "116, 115" and gcov uses 116); a location
    // without lines (damaged notes) gives it again to the line of the one before, as gcov.
    let top: LineCoverage | undefined;
    while (p < stop) {
      const locFile = lineFiles[lineTable[p]!]!;
      const nLines = lineTable[p + 1]!;
      p += 2;
      if (lf === undefined || lfName !== locFile) {
        lf = fileOf(locFile);
        lfName = locFile;
      }
      let locTop: LineCoverage | undefined;
      let maxLine = lf.maxLine;
      const linesEnd = p + nLines;
      for (; p < linesEnd; p++) {
        const ln = lineTable[p]!;
        if (ln > maxLine) maxLine = ln;
        // a group function's own lines are those of its range in its own source (gcov's
        // group_line_p); a line of another file is that file's, whatever its number
        const own = group && ln >= startLine && ln <= endLine && lf === file;
        const map = own ? f.lines : lf.lines;
        const line =
          lastMap === map && lastLine!.lineNumber === ln
            ? lastLine!
            : (lastLine = lineOf((lastMap = map), ln));
        line.exists = true;
        if (unexecuted) line.unexecutedBlock = true;
        if (!Number.isSafeInteger((line.count += count))) throw countLimitError(notesFile, `line ${ln}`);
        if (!locTop || ln > locTop.lineNumber) locTop = line;
      }
      if (locTop) top = locTop;
      lf.maxLine = maxLine;
      if (top && attach) {
        attachBlock(top, b, solved, single);
        if (conds) top.conditions = top.conditions.concat(conds);
      }
    }
  }
}

function finishLines(table: LineTable<LineCoverage>, budget: { steps: number; file: string }): void {
  const lines = table.lines;
  for (let i = 0; i < lines.length; i++) finishLine(lines[i]!, budget);
}

/**
 * The coverage of one object. `sourceName` gives gcov's name of a source name read from the
 * notes (see source-name.ts); names it makes equal are one file, as in gcov.
 */
export function computeCoverage(
  gcno: Gcno,
  gcda: Gcda | undefined,
  gcdaName = 'gcda',
  sourceName: (name: string) => string = sourceNamer(undefined, gcno.cwd),
): ObjectCoverage {
  const problems: InputError[] = [];
  const data = acceptedData(gcno, gcda, gcdaName, problems);
  return coverageOf(gcno, gcda !== undefined, data, problems, gcdaName, sourceName);
}

/**
 * Coverage of one object from the bytes of its .gcda (undefined: none), read as gcov reads
 * it: a damaged file gives the counters read before the damage, and the damage is a problem
 * (see readArcCountersAsGcov).
 */
export function computeCoverageOfData(
  gcno: Gcno,
  gcdaBytes: Uint8Array | undefined,
  gcdaName = 'gcda',
  sourceName: (name: string) => string = sourceNamer(undefined, gcno.cwd),
): ObjectCoverage {
  if (!gcdaBytes) return computeCoverage(gcno, undefined, gcdaName, sourceName);
  const { counters, problems } = readArcCountersAsGcov(gcno, gcdaBytes, gcdaName);
  return coverageOf(gcno, true, counters, problems, gcdaName, sourceName);
}

function coverageOf(
  gcno: Gcno,
  hasData: boolean,
  data: FunctionData,
  problems: InputError[],
  gcdaName: string,
  sourceName: (name: string) => string,
): ObjectCoverage {
  if (gcno.damage) problems.unshift(gcno.damage);
  const files: FileCoverage[] = [];
  const byName = new Map<string, FileCoverage>();
  const byRawName = new Map<string, FileCoverage>();
  const fileOf = (raw: string): FileCoverage => {
    let f = byRawName.get(raw);
    if (f) return f;
    const name = sourceName(raw);
    f = byName.get(name);
    if (!f) {
      f = new FileCov(name);
      byName.set(name, f);
      files.push(f);
    }
    byRawName.set(raw, f);
    return f;
  };
  // Files in the order gcov meets them while reading the notes (readGcno lists them).
  if (gcno.sources) for (const name of gcno.sources) fileOf(name);
  else
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

  // Index loops and forEach: run once per object, these loops are interpreted for most of
  // their thousands of turns, where an iterator makes an object per turn.
  const fns: FunctionCoverage[] = [];
  const flow: InputError[] = [];
  const exitOne = gcno.format.exitBlockOne;
  const notes = gcno.functions;
  for (let i = 0; i < notes.length; i++) {
    const g = notes[i]!;
    if (g.artificial) continue;
    // gcov drops a function without counters when there is a data file (not in the program)
    if (hasData && measuredArcCount(g) === 0) continue;
    fns.push(functionCoverage(g, data.get(g), gcdaName, exitOne ? 1 : g.blockCount - 1, flow));
  }

  // Functions starting on the same line of a file form a group.
  const starts = new Map<string, FunctionCoverage[]>();
  for (let i = 0; i < fns.length; i++) {
    const f = fns[i]!;
    const key = `${fileOf(f.source).file}\0${f.gcno.startLine}`;
    const list = starts.get(key);
    if (list) list.push(f);
    else starts.set(key, [f]);
  }
  starts.forEach((list) => {
    if (list.length > 1) for (let i = 0; i < list.length; i++) list[i]!.group = true;
  });

  const conditionKind = gcno.format.counters.findIndex((k) => k.name === 'conditions');
  for (let i = 0; i < fns.length; i++) attributeLines(fns[i]!, fileOf, conditionKind, gcno.file);
  // The elementary circuits of a line can be exponentially many in a hostile graph.
  const budget = { steps: MAX_CIRCUIT_STEPS, file: gcno.file };
  for (let i = 0; i < fns.length; i++) finishLines(fns[i]!.lines, budget);
  for (let i = 0; i < files.length; i++) finishLines(files[i]!.lines, budget);
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    // first the lists per line, from the order the functions were met in
    const { functions, startsAt } = file;
    for (let j = 0; j < functions.length; j++) {
      const f = functions[j]!;
      const list = startsAt.get(f.gcno.startLine);
      if (list) list.push(f);
      else startsAt.set(f.gcno.startLine, [f]);
    }
    startsAt.forEach((list) => {
      if (list.length > 1) stdSort(list, startsBefore);
    });
    stdSort(functions, startsBefore);
  }
  return { files, gcno, problems, flow, sourceName };
}
