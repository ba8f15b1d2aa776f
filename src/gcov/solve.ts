/**
 * Arc and block counts of one function's flow graph from the measured (non-tree) arc
 * counters, the way gcov derives them: counters go to the arcs that are not on the
 * spanning tree, and every other count follows from flow conservation.
 */
import { InputError } from './errors';
import { ARC_FLAG, type GcnoArcs, type GcnoFunction } from './gcno';
import { solveInGcovOrder } from './solve-gcov-order';

/** SolvedFunction.arcState bits: what solving found out about an arc. */
export const ARC_STATE = {
  /** The sole non-fake exit of its block. */
  UNCONDITIONAL: 1,
  /** A non-fake, non-fallthrough exit of a call site block. */
  THROW: 2,
} as const;

/** SolvedFunction.blockFlags bits. */
export const BLOCK_FLAG = {
  /** Has a fake exit: the call in it may not return. */
  CALL_SITE: 1,
  /** Entered only by the fallthrough exit of a call site. */
  CALL_RETURN: 2,
  /** Reached from ENTRY only through throw (or fake) arcs. */
  EXCEPTIONAL: 4,
} as const;

/**
 * One function's flow graph with its counts, as flat typed arrays rather than an object
 * per block and arc: large programs have ~10^5 of each, and objects that live until the
 * report is written cost the garbage collector most of its time.
 *
 * Arc k is the k-th triple of `arcs` (source block, destination block, .gcno flags).
 * Block b's exits are `succ[succStart[b] .. succStart[b + 1])` (arc indices, stably sorted
 * by destination), its entries `pred[predStart[b] .. predStart[b + 1])` (in arc order).
 * Counts are exact: kept below 2^53 (see solveFunction).
 */
export interface SolvedFunction {
  readonly blockCount: number;
  /** Count per block. */
  readonly counts: Float64Array;
  /** BLOCK_FLAG bits per block. */
  readonly blockFlags: Uint8Array;
  /** The .gcno arcs: (src, dst, flags) triples. */
  readonly arcs: GcnoArcs;
  /** Count per arc. */
  readonly arcCounts: Float64Array;
  /** ARC_STATE bits per arc. */
  readonly arcState: Uint8Array;
  readonly succStart: Int32Array;
  readonly succ: Int32Array;
  readonly predStart: Int32Array;
  readonly pred: Int32Array;
  /**
   * Where the counters contradict the graph (code 'flow-conservation'): the graph could not
   * be solved, a count came out negative, or a block's entries and exits do not add up.
   * Empty for consistent data. The counts are still those the solver reached.
   */
  readonly flow: InputError[];
}

/** A fake arc from a block other than ENTRY: the call in its source block may not return. */
export const isCallNonReturn = (arcs: GcnoArcs, k: number): boolean =>
  (arcs[3 * k + 2]! & ARC_FLAG.FAKE) !== 0 && arcs[3 * k]! !== 0;

/** The `flow` of every consistent function: never pushed to. */
const NO_FLOW_PROBLEMS: InputError[] = Object.freeze([]) as unknown as InputError[];

/** Number of counters (arcs not on the spanning tree) the function has. */
export const measuredArcCount = (fn: GcnoFunction): number => {
  let n = 0;
  const arcs = fn.arcs;
  for (let k = 2; k < arcs.length; k += 3) if (!(arcs[k]! & ARC_FLAG.ON_TREE)) n++;
  return n;
};

/** A count (or a sum of counts) JS numbers cannot hold exactly. */
export const countLimitError = (file: string, what: string): InputError =>
  new InputError(
    file,
    undefined,
    'limit',
    `${what}: a count reaches 2^53, beyond what hvcov reports exactly`,
  );

/** Counter values as numbers; undefined when one is beyond 2^53 (or below -2^53). */
export function safeCounts(values: readonly bigint[]): number[] | undefined {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const n = Number(values[i]!);
    if (!Number.isSafeInteger(n)) return undefined;
    out[i] = n;
  }
  return out;
}

/** Scratch arrays of the solver, kept between calls and grown as needed (a class: see Solved). */
class Workspace {
  declare readonly known: Uint8Array;
  declare readonly blockKnown: Uint8Array;
  declare readonly unknownOut: Int32Array;
  declare readonly unknownIn: Int32Array;
  declare readonly sumOut: Float64Array;
  declare readonly sumIn: Float64Array;
  /** Fill positions while building the adjacency lists. */
  declare readonly fill: Int32Array;
  declare readonly queue: Int32Array;
  constructor(blocks: number, arcs: number) {
    const nb = blocks + 1;
    this.known = new Uint8Array(arcs);
    this.blockKnown = new Uint8Array(nb);
    this.unknownOut = new Int32Array(nb);
    this.unknownIn = new Int32Array(nb);
    this.sumOut = new Float64Array(nb);
    this.sumIn = new Float64Array(nb);
    this.fill = new Int32Array(nb);
    this.queue = new Int32Array(nb + 2 * arcs);
  }
}
let scratch: Workspace | undefined;
let scratchBlocks = 0;
let scratchArcs = 0;

/** Zeroed scratch arrays for n blocks and m arcs (the queue holds n + 2m entries). */
function workspace(n: number, m: number): Workspace {
  if (!scratch || n > scratchBlocks || m > scratchArcs) {
    scratchBlocks = Math.max(n, 2 * scratchBlocks, 1024);
    scratchArcs = Math.max(m, 2 * scratchArcs, 4096);
    scratch = new Workspace(scratchBlocks, scratchArcs);
    return scratch;
  }
  const w = scratch;
  w.known.fill(0, 0, m);
  w.blockKnown.fill(0, 0, n);
  w.unknownOut.fill(0, 0, n);
  w.unknownIn.fill(0, 0, n);
  w.sumOut.fill(0, 0, n);
  w.sumIn.fill(0, 0, n);
  return w;
}

/**
 * Zeroed memory for the arrays of solved functions, handed out in pieces of one larger
 * buffer: a typed array of its own per array costs an allocation and zeroing each (eight per
 * function) and external-memory bookkeeping that makes the garbage collector run more often.
 * A buffer is freed once every function solved from it is gone.
 */
const ARENA_BYTES = 1 << 18;
let arena = new ArrayBuffer(0);
let arenaUsed = 0;
function carve(bytes: number): { buffer: ArrayBuffer; offset: number } {
  if (arenaUsed + bytes > arena.byteLength) {
    // A large function gets a buffer of its own, which the next one does not share. (One
    // allocation site: code optimized before the first large function needs no redoing.)
    arena = new ArrayBuffer(Math.max(bytes, ARENA_BYTES));
    arenaUsed = 0;
  }
  const offset = arenaUsed;
  arenaUsed += (bytes + 7) & ~7;
  if (bytes > ARENA_BYTES >> 2) arenaUsed = arena.byteLength;
  return { buffer: arena, offset };
}

/**
 * A SolvedFunction whose arrays are views of one carved piece of memory. A class, not an
 * object literal: V8 keeps its fields' types exact from the first one made, so the solver's
 * optimized code is not thrown away when later literals generalize them.
 */
class Solved implements SolvedFunction {
  // `declare`: assigned once in the constructor, never first set to undefined
  declare readonly blockCount: number;
  declare readonly arcs: GcnoArcs;
  declare readonly counts: Float64Array;
  declare readonly arcCounts: Float64Array;
  declare readonly succStart: Int32Array;
  declare readonly predStart: Int32Array;
  declare readonly succ: Int32Array;
  declare readonly pred: Int32Array;
  declare readonly blockFlags: Uint8Array;
  declare readonly arcState: Uint8Array;
  declare flow: InputError[];
  constructor(n: number, m: number, arcs: GcnoArcs, at: { buffer: ArrayBuffer; offset: number }) {
    const buf = at.buffer;
    let off = at.offset;
    this.blockCount = n;
    this.arcs = arcs;
    this.counts = new Float64Array(buf, off, n);
    this.arcCounts = new Float64Array(buf, (off += 8 * n), m);
    this.succStart = new Int32Array(buf, (off += 8 * m), n + 1);
    this.predStart = new Int32Array(buf, (off += 4 * (n + 1)), n + 1);
    this.succ = new Int32Array(buf, (off += 4 * (n + 1)), m);
    this.pred = new Int32Array(buf, (off += 4 * m), m);
    this.blockFlags = new Uint8Array(buf, (off += 4 * m), n);
    this.arcState = new Uint8Array(buf, off + n, m);
    this.flow = NO_FLOW_PROBLEMS;
  }
}

/** Beyond this a sum of counts may no longer be exact. */
const MAX = Number.MAX_SAFE_INTEGER;

/**
 * Solves the graph. `counters` are the function's arc counters (undefined: no data, all
 * zero); `exitBlock` is EXIT's index (1 since GCC 4.8, see format.exitBlockOne). Throws
 * InputError when the counter count does not fit or a count would reach 2^53 (JS numbers
 * would no longer be exact). Counters that contradict the graph are reported in `flow`.
 *
 * The work is split in small functions, one per pass: each is optimized on its own and
 * soon, which matters in a one-shot run where most code runs only a few thousand times.
 */
export function solveFunction(
  fn: GcnoFunction,
  counters: readonly bigint[] | readonly number[] | undefined,
  file: string,
  exitBlock = 1,
): SolvedFunction {
  const n = fn.blockCount;
  if (n < 2) throw new InputError(file, undefined, 'bad-record', `${fn.name} has fewer than 2 blocks`);
  const arcs = fn.arcs;
  const m = arcs.length / 3;
  const w = workspace(n, m);
  const solved: SolvedFunction = new Solved(n, m, arcs, carve(8 * (n + m) + 8 * (n + 1) + 8 * m + n + m));
  const outside = buildLists(solved, w.fill);
  if (outside >= 0)
    throw new InputError(
      file,
      undefined,
      'bad-record',
      `${fn.name}: arc ${arcs[3 * outside]}->${arcs[3 * outside + 1]} outside ${n} blocks`,
    );

  const measured = measuredArcCount(fn);
  if (counters && counters.length !== measured)
    throw new InputError(
      file,
      undefined,
      'bad-record',
      `${fn.name}: ${counters.length} arc counters, graph has ${measured}`,
    );
  let values: readonly number[] | undefined;
  if (counters && counters.length > 0) {
    values =
      typeof counters[0] === 'bigint' ? safeCounts(counters as readonly bigint[]) : (counters as number[]);
    if (!values) throw countLimitError(file, fn.name);
  }

  const next = loadCounters(solved, values, w);
  const hasCatch = classifyArcs(solved);
  const outcome = propagate(solved, exitBlock, w, next < 0 ? -next - 1 : next);
  // Sums and differences of safe integers are exact while every result stays safe.
  if (next < 0 || outcome === UNSAFE) throw countLimitError(file, fn.name);
  const flow =
    outcome === OPEN
      ? [unsolvable(file, fn.name, n, w.blockKnown)]
      : counters
        ? conservation(file, fn.name, solved, w.sumIn, w.sumOut, exitBlock)
        : NO_FLOW_PROBLEMS;
  if (flow !== NO_FLOW_PROBLEMS) {
    (solved as { flow: InputError[] }).flow = flow;
    // Counters that contradict the graph: the counts are gcov's order's (see solveInGcovOrder).
    if (!solveInGcovOrder(solved, exitBlock))
      throw flowError(
        file,
        `function '${fn.name}': gcov finds no unknown arc where it needs one (it crashes)`,
      );
    if (!allSafe(solved.counts) || !allSafe(solved.arcCounts)) throw countLimitError(file, fn.name);
  }
  if (hasCatch) markExceptional(solved, w.queue);
  return solved;
}

/**
 * Entry and exit lists (CSR): degrees, prefix sums, then entries in arc order and exits
 * taken by destination from those lists, so that each block's exits come out stably
 * sorted by destination (a two-pass counting sort). Returns the first arc with an end
 * outside the blocks, else -1.
 */
function buildLists(s: SolvedFunction, fill: Int32Array): number {
  const { arcs, succStart, predStart, succ, pred } = s;
  const n = s.blockCount;
  const m = s.arcCounts.length;
  for (let k = 0; k < m; k++) {
    const src = arcs[3 * k]!;
    const dst = arcs[3 * k + 1]!;
    if (src >= n || dst >= n) return k;
    succStart[src + 1]!++;
    predStart[dst + 1]!++;
  }
  for (let i = 0; i < n; i++) {
    succStart[i + 1]! += succStart[i]!;
    predStart[i + 1]! += predStart[i]!;
  }
  for (let i = 0; i < n; i++) fill[i] = predStart[i]!;
  for (let k = 0; k < m; k++) pred[fill[arcs[3 * k + 1]!]!++] = k;
  for (let i = 0; i < n; i++) fill[i] = succStart[i]!;
  for (let j = 0; j < m; j++) {
    const k = pred[j]!;
    succ[fill[arcs[3 * k]!]!++] = k;
  }
  return -1;
}

/**
 * Puts the counters on the arcs off the spanning tree, with each block's sums of known
 * entries and exits and counts of unknown ones, and marks call sites. Returns the number
 * of counters, or -(that + 1) when a sum is beyond 2^53.
 */
function loadCounters(s: SolvedFunction, values: readonly number[] | undefined, w: Workspace): number {
  const { arcs, arcCounts, blockFlags } = s;
  const { known, unknownOut, unknownIn, sumOut, sumIn } = w;
  const m = arcCounts.length;
  let next = 0;
  let safe = true;
  for (let k = 0; k < m; k++) {
    const src = arcs[3 * k]!;
    const dst = arcs[3 * k + 1]!;
    const flags = arcs[3 * k + 2]!;
    if (flags & ARC_FLAG.FAKE && src !== 0) blockFlags[src] = BLOCK_FLAG.CALL_SITE;
    if (flags & ARC_FLAG.ON_TREE) {
      unknownOut[src]!++;
      unknownIn[dst]!++;
    } else {
      known[k] = 1;
      if (values) {
        const c = values[next]!;
        arcCounts[k] = c;
        if ((sumOut[src]! += c) > MAX || sumOut[src]! < -MAX) safe = false;
        if ((sumIn[dst]! += c) > MAX || sumIn[dst]! < -MAX) safe = false;
      }
      next++;
    }
  }
  return safe ? next : -next - 1;
}

/**
 * Throw arcs (the other exits of a block whose call may not return), sole exits, and
 * blocks entered only from the call before them. Returns whether there are throw arcs.
 */
function classifyArcs(s: SolvedFunction): boolean {
  const { arcs, arcState, blockFlags, succStart, succ, predStart, pred } = s;
  const n = s.blockCount;
  let hasCatch = false;
  for (let b = 0; b < n; b++) {
    const callSite = blockFlags[b]! & BLOCK_FLAG.CALL_SITE;
    let only = -1;
    let nonFake = 0;
    for (let p = succStart[b]!, end = succStart[b + 1]!; p < end; p++) {
      const k = succ[p]!;
      const flags = arcs[3 * k + 2]!;
      if (flags & ARC_FLAG.FAKE) continue;
      nonFake++;
      only = k;
      if (callSite && !(flags & ARC_FLAG.FALLTHROUGH)) {
        arcState[k] = ARC_STATE.THROW;
        hasCatch = true;
      }
    }
    if (nonFake === 1) {
      arcState[only]! |= ARC_STATE.UNCONDITIONAL;
      const dst = arcs[3 * only + 1]!;
      if (
        callSite &&
        arcs[3 * only + 2]! & ARC_FLAG.FALLTHROUGH &&
        predStart[dst + 1]! - predStart[dst]! === 1 &&
        pred[predStart[dst]!] === only
      )
        blockFlags[dst]! |= BLOCK_FLAG.CALL_RETURN;
    }
  }
  return hasCatch;
}

/** propagate's outcomes. */
const SOLVED = 0;
const OPEN = 1;
const UNSAFE = 2;

/**
 * Flow conservation, as a worklist: a block is looked at again whenever one of its arcs
 * becomes known, so the work is linear in the arcs. Every block once, then the two ends
 * of every arc that becomes known. `solvedArcs` is the number known to start with.
 */
function propagate(s: SolvedFunction, exitBlock: number, w: Workspace, solvedArcs: number): number {
  const { arcs, counts, arcCounts, succStart, succ, predStart, pred } = s;
  const { known, blockKnown, unknownOut, unknownIn, sumOut, sumIn, queue } = w;
  const n = s.blockCount;
  let safe = true;
  let top = 0;
  for (let i = 0; i < n; i++) queue[top++] = i;
  let solvedBlocks = 0;
  while (top > 0) {
    const i = queue[--top]!;
    if (!blockKnown[i]) {
      // EXIT has no exits and ENTRY no entries: those sides say nothing about them. Any
      // other block without entries (a setjmp receiver) counts 0, as in gcov.
      if (i !== exitBlock && unknownOut[i] === 0) counts[i] = sumOut[i]!;
      else if (i !== 0 && unknownIn[i] === 0) counts[i] = sumIn[i]!;
      else continue;
      blockKnown[i] = 1;
      solvedBlocks++;
    }
    for (let side = 0; side < 2; side++) {
      const out = side === 0;
      if ((out ? unknownOut[i] : unknownIn[i]) !== 1) continue;
      const list = out ? succ : pred;
      const start = out ? succStart : predStart;
      for (let p = start[i]!, end = start[i + 1]!; p < end; p++) {
        const k = list[p]!;
        if (known[k]) continue;
        const c = counts[i]! - (out ? sumOut[i]! : sumIn[i]!);
        const src = arcs[3 * k]!;
        const dst = arcs[3 * k + 1]!;
        if (c > MAX || c < -MAX) safe = false;
        arcCounts[k] = c;
        known[k] = 1;
        solvedArcs++;
        unknownOut[src]!--;
        unknownIn[dst]!--;
        if ((sumOut[src]! += c) > MAX || sumOut[src]! < -MAX) safe = false;
        if ((sumIn[dst]! += c) > MAX || sumIn[dst]! < -MAX) safe = false;
        queue[top++] = src;
        queue[top++] = dst;
        break;
      }
    }
  }
  if (!safe) return UNSAFE;
  return solvedBlocks !== n || solvedArcs !== arcCounts.length ? OPEN : SOLVED;
}

/** Blocks ENTRY does not reach through ordinary (not fake, not throw) arcs: exceptional. */
function markExceptional(s: SolvedFunction, queue: Int32Array): void {
  const { arcs, arcState, blockFlags, succStart, succ } = s;
  const n = s.blockCount;
  for (let b = 1; b < n; b++) blockFlags[b]! |= BLOCK_FLAG.EXCEPTIONAL;
  let top = 0;
  queue[top++] = 0;
  while (top > 0) {
    const b = queue[--top]!;
    for (let p = succStart[b]!, end = succStart[b + 1]!; p < end; p++) {
      const k = succ[p]!;
      const d = arcs[3 * k + 1]!;
      if (
        !(arcs[3 * k + 2]! & ARC_FLAG.FAKE) &&
        !(arcState[k]! & ARC_STATE.THROW) &&
        blockFlags[d]! & BLOCK_FLAG.EXCEPTIONAL
      ) {
        blockFlags[d]! &= ~BLOCK_FLAG.EXCEPTIONAL;
        queue[top++] = d;
      }
    }
  }
}

const allSafe = (a: Float64Array): boolean => {
  for (let i = 0; i < a.length; i++) if (a[i]! > MAX || a[i]! < -MAX) return false;
  return true;
};

const flowError = (file: string, reason: string): InputError =>
  new InputError(file, undefined, 'flow-conservation', reason);

/** A graph the counters leave open: its unknown counts stay 0 (the blocks are named). */
function unsolvable(file: string, name: string, n: number, blockKnown: Uint8Array): InputError {
  const open: number[] = [];
  for (let i = 0; i < n; i++) if (!blockKnown[i]) open.push(i);
  const list = open.length > 8 ? `${open.slice(0, 8).join(', ')}, ...` : open.join(', ');
  return flowError(
    file,
    `function '${name}': graph is unsolvable` + (open.length > 0 ? ` (block ${list} without a count)` : ''),
  );
}

/**
 * Every count is known: each one (but a fake arc's) must be non-negative, and each block's count must equal
 * the sum of its entries (except ENTRY) and of its exits (except EXIT). The first block
 * where this fails is named (one message per function, the rest follows from it).
 */
function conservation(
  file: string,
  name: string,
  f: SolvedFunction,
  sumIn: Float64Array,
  sumOut: Float64Array,
  exitBlock: number,
): InputError[] {
  const { arcs, arcCounts, counts } = f;
  // A fake arc (a call that may not return) can solve below 0 in consistent data: a
  // setjmp receiver is entered again by longjmp, so its call "returns" more often than made.
  for (let k = 0; k < arcCounts.length; k++)
    if (arcCounts[k]! < 0 && !(arcs[3 * k + 2]! & ARC_FLAG.FAKE))
      return [
        flowError(
          file,
          `function '${name}': arc from block ${arcs[3 * k]} to block ${arcs[3 * k + 1]} solves to a negative count (${arcCounts[k]}): the counters contradict the graph`,
        ),
      ];
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    const inFlow = i === 0 ? c : sumIn[i]!;
    const outFlow = i === exitBlock ? c : sumOut[i]!;
    if (c < 0 || inFlow !== c || outFlow !== c)
      return [
        flowError(
          file,
          `function '${name}': block ${i} breaks flow conservation (count ${c}, entries ${inFlow}, exits ${outFlow})`,
        ),
      ];
  }
  if (counts[0] !== counts[exitBlock])
    return [
      flowError(
        file,
        `function '${name}': ENTRY runs ${counts[0]} times but EXIT is reached ${counts[exitBlock]} times`,
      ),
    ];
  return NO_FLOW_PROBLEMS;
}
