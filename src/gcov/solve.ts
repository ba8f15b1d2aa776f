/**
 * Arc and block counts of one function's flow graph from the measured (non-tree) arc
 * counters, the way gcov derives them: counters go to the arcs that are not on the
 * spanning tree, and every other count follows from flow conservation.
 */
import { InputError } from './errors';
import { ARC_FLAG, type GcnoFunction } from './gcno';

export interface SolvedArc {
  readonly index: number;
  readonly src: number;
  readonly dst: number;
  readonly flags: number;
  count: bigint;
  readonly fake: boolean;
  readonly fallthrough: boolean;
  /** The sole non-fake exit of its block. */
  unconditional: boolean;
  /** A fake arc from a block other than ENTRY: the call in the source block may not return. */
  readonly callNonReturn: boolean;
  /** A non-fake, non-fallthrough exit of a call site block. */
  isThrow: boolean;
}

export interface SolvedBlock {
  readonly index: number;
  count: bigint;
  isCallSite: boolean;
  isCallReturn: boolean;
  exceptional: boolean;
  /** Outgoing arcs, stably sorted by destination block. */
  readonly succ: SolvedArc[];
  readonly pred: SolvedArc[];
}

export interface SolvedFunction {
  readonly blocks: SolvedBlock[];
  readonly arcs: SolvedArc[];
  readonly hasCatch: boolean;
}

/** Number of counters (arcs not on the spanning tree) the function has. */
export const measuredArcCount = (fn: GcnoFunction): number =>
  fn.arcs.reduce((n, a) => n + (a.flags & ARC_FLAG.ON_TREE ? 0 : 1), 0);

/**
 * Solves the graph. `counters` are the function's arc counters (undefined: no data, all
 * zero); `exitBlock` is EXIT's index (1 since GCC 4.8, see format.exitBlockOne). Throws
 * InputError when the counter count does not fit or the graph is unsolvable.
 */
export function solveFunction(
  fn: GcnoFunction,
  counters: readonly bigint[] | undefined,
  file: string,
  exitBlock = 1,
): SolvedFunction {
  const n = fn.blockCount;
  if (n < 2) throw new InputError(file, undefined, 'bad-record', `${fn.name} has fewer than 2 blocks`);
  const blocks: SolvedBlock[] = [];
  for (let i = 0; i < n; i++)
    blocks.push({
      index: i,
      count: 0n,
      isCallSite: false,
      isCallReturn: false,
      exceptional: false,
      succ: [],
      pred: [],
    });
  const measured = measuredArcCount(fn);
  if (counters && counters.length !== measured)
    throw new InputError(
      file,
      undefined,
      'bad-record',
      `${fn.name}: ${counters.length} arc counters, graph has ${measured}`,
    );

  const arcs: SolvedArc[] = [];
  const known: boolean[] = [];
  let next = 0;
  let hasCatch = false;
  for (const [index, a] of fn.arcs.entries()) {
    if (a.src >= n || a.dst >= n)
      throw new InputError(
        file,
        undefined,
        'bad-record',
        `${fn.name}: arc ${a.src}->${a.dst} outside ${n} blocks`,
      );
    const fake = (a.flags & ARC_FLAG.FAKE) !== 0;
    const arc: SolvedArc = {
      index,
      src: a.src,
      dst: a.dst,
      flags: a.flags,
      count: 0n,
      fake,
      fallthrough: (a.flags & ARC_FLAG.FALLTHROUGH) !== 0,
      unconditional: false,
      callNonReturn: fake && a.src !== 0,
      isThrow: false,
    };
    if (arc.callNonReturn) blocks[a.src]!.isCallSite = true;
    const onTree = (a.flags & ARC_FLAG.ON_TREE) !== 0;
    if (!onTree) arc.count = counters ? counters[next]! : 0n;
    if (!onTree) next++;
    known.push(!onTree);
    arcs.push(arc);
    blocks[a.src]!.succ.push(arc);
    blocks[a.dst]!.pred.push(arc);
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
    const nonFake = b.succ.filter((a) => !a.fake);
    if (nonFake.length === 1) {
      const a = nonFake[0]!;
      a.unconditional = true;
      const dst = blocks[a.dst]!;
      if (b.isCallSite && a.fallthrough && dst.pred.length === 1 && dst.pred[0] === a)
        dst.isCallReturn = true;
    }
    // stable sort by destination
    b.succ.sort((x, y) => x.dst - y.dst);
  }

  // Flow conservation, as a worklist: a block is looked at again whenever one of its arcs
  // becomes known, so the work is linear in the arcs.
  const blockKnown = new Array<boolean>(n).fill(false);
  const unknownOut = new Array<number>(n).fill(0);
  const unknownIn = new Array<number>(n).fill(0);
  const sumOut = new Array<bigint>(n).fill(0n);
  const sumIn = new Array<bigint>(n).fill(0n);
  for (const a of arcs) {
    if (known[a.index]) {
      sumOut[a.src]! += a.count;
      sumIn[a.dst]! += a.count;
    } else {
      unknownOut[a.src]!++;
      unknownIn[a.dst]!++;
    }
  }
  const queue: number[] = blocks.map((b) => b.index);
  const setArc = (a: SolvedArc, count: bigint): void => {
    a.count = count;
    known[a.index] = true;
    unknownOut[a.src]!--;
    unknownIn[a.dst]!--;
    sumOut[a.src]! += count;
    sumIn[a.dst]! += count;
    queue.push(a.src, a.dst);
  };
  while (queue.length > 0) {
    const i = queue.pop()!;
    const b = blocks[i]!;
    if (!blockKnown[i]) {
      // EXIT has no exits and ENTRY no entries: those sides say nothing about them. Any
      // other block without entries (a setjmp receiver) counts 0, as in gcov.
      if (i !== exitBlock && unknownOut[i] === 0) b.count = sumOut[i]!;
      else if (i !== 0 && unknownIn[i] === 0) b.count = sumIn[i]!;
      else continue;
      blockKnown[i] = true;
    }
    if (unknownOut[i] === 1)
      setArc(
        b.succ.find((a) => !known[a.index])!,
        b.count - sumOut[i]!,
      );
    if (unknownIn[i] === 1)
      setArc(
        b.pred.find((a) => !known[a.index])!,
        b.count - sumIn[i]!,
      );
  }
  if (blockKnown.some((k) => !k) || known.some((k) => !k))
    throw new InputError(file, undefined, 'bad-record', `${fn.name}: graph is unsolvable`);

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
  return { blocks, arcs, hasCatch };
}
