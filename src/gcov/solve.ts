/**
 * Arc and block counts of one function's flow graph from the measured (non-tree) arc
 * counters, the way gcov derives them: counters go to the arcs that are not on the
 * spanning tree, and every other count follows from flow conservation.
 */
import { InputError } from './errors';
import { ARC_FLAG, type GcnoFunction } from './gcno';

/** SolvedArc.state bits: what solving found out about the arc. */
const UNCONDITIONAL = 1;
const THROW = 2;

/**
 * One arc with its count. A class with the .gcno flags kept as one word and read through
 * getters: large programs have ~10^5 arcs, and six fields instead of eleven halve their
 * memory and the garbage collector's copying.
 */
export class SolvedArc {
  constructor(
    readonly index: number,
    readonly src: number,
    readonly dst: number,
    readonly flags: number,
    /** Exact: counts are kept below 2^53 (see solveFunction). */
    public count: number,
    private state = 0,
  ) {}
  get fake(): boolean {
    return (this.flags & ARC_FLAG.FAKE) !== 0;
  }
  get fallthrough(): boolean {
    return (this.flags & ARC_FLAG.FALLTHROUGH) !== 0;
  }
  /** A fake arc from a block other than ENTRY: the call in the source block may not return. */
  get callNonReturn(): boolean {
    return (this.flags & ARC_FLAG.FAKE) !== 0 && this.src !== 0;
  }
  /** The sole non-fake exit of its block. */
  get unconditional(): boolean {
    return (this.state & UNCONDITIONAL) !== 0;
  }
  set unconditional(v: boolean) {
    this.state = v ? this.state | UNCONDITIONAL : this.state & ~UNCONDITIONAL;
  }
  /** A non-fake, non-fallthrough exit of a call site block. */
  get isThrow(): boolean {
    return (this.state & THROW) !== 0;
  }
  set isThrow(v: boolean) {
    this.state = v ? this.state | THROW : this.state & ~THROW;
  }
}

export interface SolvedBlock {
  readonly index: number;
  count: number;
  isCallSite: boolean;
  isCallReturn: boolean;
  exceptional: boolean;
  /** Outgoing arcs, stably sorted by destination block. */
  readonly succ: SolvedArc[];
  readonly pred: SolvedArc[];
  /** All blocks of its function (the `blocks` of the SolvedFunction), by index. */
  readonly graph: SolvedBlock[];
}

export interface SolvedFunction {
  readonly blocks: SolvedBlock[];
  readonly arcs: SolvedArc[];
  readonly hasCatch: boolean;
  /**
   * Where the counters contradict the graph (code 'flow-conservation'): the graph could not
   * be solved, a count came out negative, or a block's entries and exits do not add up.
   * Empty for consistent data. The counts are still those the solver reached.
   */
  readonly flow: InputError[];
}

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

const nArcsOf = (fn: GcnoFunction) => fn.arcs.length / 3;

/** Scratch arrays of the solver, kept between calls and grown as needed. */
interface Workspace {
  outDeg: Int32Array;
  inDeg: Int32Array;
  known: Uint8Array;
  blockKnown: Uint8Array;
  unknownOut: Int32Array;
  unknownIn: Int32Array;
  /** Plain arrays: small counts stay small integers (a Float64Array hands out boxed doubles). */
  sumOut: number[];
  sumIn: number[];
  queue: Int32Array;
}
let scratch: Workspace | undefined;
let scratchBlocks = 0;
let scratchArcs = 0;

/** Zeroed scratch arrays for n blocks and m arcs (the queue holds n + 2m entries). */
function workspace(n: number, m: number): Workspace {
  if (!scratch || n > scratchBlocks || m > scratchArcs) {
    scratchBlocks = Math.max(n, 2 * scratchBlocks, 64);
    scratchArcs = Math.max(m, 2 * scratchArcs, 64);
    const nb = scratchBlocks;
    scratch = {
      outDeg: new Int32Array(nb),
      inDeg: new Int32Array(nb),
      known: new Uint8Array(scratchArcs),
      blockKnown: new Uint8Array(nb),
      unknownOut: new Int32Array(nb),
      unknownIn: new Int32Array(nb),
      sumOut: new Array<number>(nb).fill(0),
      sumIn: new Array<number>(nb).fill(0),
      queue: new Int32Array(nb + 2 * scratchArcs),
    };
    return scratch;
  }
  const w = scratch;
  w.outDeg.fill(0, 0, n);
  w.inDeg.fill(0, 0, n);
  w.known.fill(0, 0, m);
  w.blockKnown.fill(0, 0, n);
  w.unknownOut.fill(0, 0, n);
  w.unknownIn.fill(0, 0, n);
  w.sumOut.fill(0, 0, n);
  w.sumIn.fill(0, 0, n);
  return w;
}

/**
 * Solves the graph. `counters` are the function's arc counters (undefined: no data, all
 * zero); `exitBlock` is EXIT's index (1 since GCC 4.8, see format.exitBlockOne). Throws
 * InputError when the counter count does not fit or a count would reach 2^53 (JS numbers
 * would no longer be exact). Counters that contradict the graph are reported in `flow`.
 */
export function solveFunction(
  fn: GcnoFunction,
  counters: readonly bigint[] | readonly number[] | undefined,
  file: string,
  exitBlock = 1,
): SolvedFunction {
  const n = fn.blockCount;
  if (n < 2) throw new InputError(file, undefined, 'bad-record', `${fn.name} has fewer than 2 blocks`);
  // Exits and entries per block first, so that each list is allocated at its size.
  const w = workspace(n, nArcsOf(fn));
  const outDeg = w.outDeg;
  const inDeg = w.inDeg;
  const gArcs = fn.arcs;
  for (let k = 0; k < gArcs.length; k += 3) {
    const src = gArcs[k]!;
    const dst = gArcs[k + 1]!;
    if (src >= n || dst >= n)
      throw new InputError(
        file,
        undefined,
        'bad-record',
        `${fn.name}: arc ${src}->${dst} outside ${n} blocks`,
      );
    outDeg[src]!++;
    inDeg[dst]!++;
  }
  const blocks: SolvedBlock[] = new Array<SolvedBlock>(n);
  for (let i = 0; i < n; i++)
    blocks[i] = {
      index: i,
      count: 0,
      isCallSite: false,
      isCallReturn: false,
      exceptional: false,
      succ: new Array<SolvedArc>(outDeg[i]!),
      pred: new Array<SolvedArc>(inDeg[i]!),
      graph: blocks,
    };
  // Fill positions, reusing the degree arrays.
  outDeg.fill(0, 0, n);
  inDeg.fill(0, 0, n);
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

  const nArcs = gArcs.length / 3;
  const arcs: SolvedArc[] = new Array<SolvedArc>(nArcs);
  const known = w.known;
  let next = 0;
  let hasCatch = false;
  for (let index = 0; index < nArcs; index++) {
    const src = gArcs[3 * index]!;
    const dst = gArcs[3 * index + 1]!;
    const flags = gArcs[3 * index + 2]!;
    const onTree = (flags & ARC_FLAG.ON_TREE) !== 0;
    const arc = new SolvedArc(index, src, dst, flags, !onTree && values ? values[next]! : 0);
    if (flags & ARC_FLAG.FAKE && src !== 0) blocks[src]!.isCallSite = true;
    if (!onTree) {
      next++;
      known[index] = 1;
    }
    arcs[index] = arc;
    blocks[src]!.succ[outDeg[src]!++] = arc;
    blocks[dst]!.pred[inDeg[dst]!++] = arc;
  }
  // Throw arcs: the other exits of a block whose call may not return.
  for (const b of blocks) {
    if (!b.isCallSite) continue;
    for (const a of b.succ)
      if (!a.fake && !a.fallthrough) {
        a.isThrow = true;
        hasCatch = true;
      }
  }
  for (const b of blocks) {
    let only: SolvedArc | undefined;
    let nonFake = 0;
    let sorted = true;
    const succ = b.succ;
    for (let k = 0; k < succ.length; k++) {
      const a = succ[k]!;
      if (!a.fake) {
        nonFake++;
        only = a;
      }
      if (k > 0 && succ[k - 1]!.dst > a.dst) sorted = false;
    }
    if (nonFake === 1) {
      const a = only!;
      a.unconditional = true;
      const dst = blocks[a.dst]!;
      if (b.isCallSite && a.fallthrough && dst.pred.length === 1 && dst.pred[0] === a)
        dst.isCallReturn = true;
    }
    // stable sort by destination
    if (!sorted) succ.sort((x, y) => x.dst - y.dst);
  }

  // Flow conservation, as a worklist: a block is looked at again whenever one of its arcs
  // becomes known, so the work is linear in the arcs.
  const { blockKnown, unknownOut, unknownIn, sumOut, sumIn } = w;
  let safe = true;
  for (let k = 0; k < nArcs; k++) {
    const a = arcs[k]!;
    if (known[k]) {
      if (!Number.isSafeInteger((sumOut[a.src]! += a.count))) safe = false;
      if (!Number.isSafeInteger((sumIn[a.dst]! += a.count))) safe = false;
    } else {
      unknownOut[a.src]!++;
      unknownIn[a.dst]!++;
    }
  }
  // Every block once, then the two ends of every arc that becomes known.
  const queue = w.queue;
  let top = 0;
  for (let i = 0; i < n; i++) queue[top++] = i;
  let solvedArcs = next;
  const setArc = (a: SolvedArc, count: number): void => {
    if (!Number.isSafeInteger(count)) safe = false;
    a.count = count;
    known[a.index] = 1;
    solvedArcs++;
    unknownOut[a.src]!--;
    unknownIn[a.dst]!--;
    if (!Number.isSafeInteger((sumOut[a.src]! += count))) safe = false;
    if (!Number.isSafeInteger((sumIn[a.dst]! += count))) safe = false;
    queue[top++] = a.src;
    queue[top++] = a.dst;
  };
  let solvedBlocks = 0;
  while (top > 0) {
    const i = queue[--top]!;
    const b = blocks[i]!;
    if (!blockKnown[i]) {
      // EXIT has no exits and ENTRY no entries: those sides say nothing about them. Any
      // other block without entries (a setjmp receiver) counts 0, as in gcov.
      if (i !== exitBlock && unknownOut[i] === 0) b.count = sumOut[i]!;
      else if (i !== 0 && unknownIn[i] === 0) b.count = sumIn[i]!;
      else continue;
      if (!Number.isSafeInteger(b.count)) safe = false;
      blockKnown[i] = 1;
      solvedBlocks++;
    }
    if (unknownOut[i] === 1)
      for (const a of b.succ)
        if (!known[a.index]) {
          setArc(a, b.count - sumOut[i]!);
          break;
        }
    if (unknownIn[i] === 1)
      for (const a of b.pred)
        if (!known[a.index]) {
          setArc(a, b.count - sumIn[i]!);
          break;
        }
  }
  // Sums and differences of safe integers are exact while every result stays safe.
  if (!safe) throw countLimitError(file, fn.name);
  const flow =
    solvedBlocks !== n || solvedArcs !== nArcs
      ? [unsolvable(file, fn.name, blocks, blockKnown)]
      : counters
        ? conservation(file, fn.name, blocks, arcs, sumIn, sumOut, exitBlock)
        : NO_FLOW_PROBLEMS;

  if (hasCatch) {
    for (const b of blocks) b.exceptional = b.index !== 0;
    const stack = [blocks[0]!];
    while (stack.length) {
      const b = stack.pop()!;
      for (const a of b.succ) {
        const d = blocks[a.dst]!;
        if (!a.fake && !a.isThrow && d.exceptional) {
          d.exceptional = false;
          stack.push(d);
        }
      }
    }
  }
  return { blocks, arcs, hasCatch, flow };
}

const flowError = (file: string, reason: string): InputError =>
  new InputError(file, undefined, 'flow-conservation', reason);

/** A graph the counters leave open: its unknown counts stay 0 (the blocks are named). */
function unsolvable(file: string, name: string, blocks: SolvedBlock[], blockKnown: Uint8Array): InputError {
  const open: number[] = [];
  for (let i = 0; i < blocks.length; i++) if (!blockKnown[i]) open.push(i);
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
  blocks: SolvedBlock[],
  arcs: SolvedArc[],
  sumIn: number[],
  sumOut: number[],
  exitBlock: number,
): InputError[] {
  // A fake arc (a call that may not return) can solve below 0 in consistent data: a
  // setjmp receiver is entered again by longjmp, so its call "returns" more often than made.
  for (const a of arcs)
    if (a.count < 0 && !a.fake)
      return [
        flowError(
          file,
          `function '${name}': arc from block ${a.src} to block ${a.dst} solves to a negative count (${a.count}): the counters contradict the graph`,
        ),
      ];
  for (let i = 0; i < blocks.length; i++) {
    const c = blocks[i]!.count;
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
  if (blocks[0]!.count !== blocks[exitBlock]!.count)
    return [
      flowError(
        file,
        `function '${name}': ENTRY runs ${blocks[0]!.count} times but EXIT is reached ${blocks[exitBlock]!.count} times`,
      ),
    ];
  return NO_FLOW_PROBLEMS;
}
