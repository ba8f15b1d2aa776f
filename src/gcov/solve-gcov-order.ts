/**
 * Solving a flow graph in gcov's own order. On counters that agree with the graph every
 * order gives the same counts (solve.ts uses a faster one); on counters that contradict
 * it, the counts depend on which block is looked at first, and gcov still prints them
 * (with no more than a warning). So for such a function the counts are solved again here,
 * visiting blocks and arcs as gcov does, so that the numbers printed are gcov's:
 *
 * - every measured arc gets its counter; a block knows how many of its exits (entries) are
 *   still unknown; ENTRY's entries and EXIT's exits count as never known, unless the graph
 *   has arcs into ENTRY (out of EXIT): then they count like any other block's;
 * - a stack of blocks to try: all of them to start with, the last one on top. A block
 *   taken from it whose exits (else entries) are all known gets their sum as count and
 *   goes on a second stack; one with unknowns left is dropped (until an arc of it is
 *   solved and it is pushed again);
 * - the first stack is emptied before the second is taken from. A block of the second
 *   stack with one unknown exit solves it (count minus the known exits; the unknown one is
 *   the last of its exits in destination order), then likewise for one unknown entry (in
 *   arc order); the other end of a solved arc is pushed on the first stack if its count is
 *   unknown and all its entries or exits became known, on the second if its count is known
 *   and one of its entries or exits is left unknown;
 * - what is never solved counts 0.
 */
import { ARC_FLAG } from './gcno';
import type { SolvedFunction } from './solve';

/** gcov's ~0U: a count of unknown arcs that never reaches 0 or 1. */
const NEVER = 0xffffffff;

/**
 * Solves s again in gcov's order, from the measured arcs' counts in s.arcCounts (left as
 * they are): block counts and the other arcs' counts are overwritten. Returns false when
 * gcov would look for an unknown arc that is not there (it crashes there).
 */
export function solveInGcovOrder(s: SolvedFunction, exitBlock: number): boolean {
  const { arcs, counts, arcCounts, succStart, succ, predStart, pred } = s;
  const n = s.blockCount;
  const m = arcCounts.length;
  const valid = new Uint8Array(m);
  const numSucc = new Float64Array(n);
  const numPred = new Float64Array(n);
  const blockValid = new Uint8Array(n);
  const onInvalid = new Uint8Array(n);
  const onValid = new Uint8Array(n);
  for (let b = 0; b < n; b++) {
    counts[b] = 0;
    numSucc[b] = succStart[b + 1]! - succStart[b]!;
    numPred[b] = predStart[b + 1]! - predStart[b]!;
  }
  if (n >= 2) {
    if (numPred[0] === 0) numPred[0] = NEVER;
    if (numSucc[exitBlock] === 0) numSucc[exitBlock] = NEVER;
  }
  for (let k = 0; k < m; k++) {
    if (arcs[3 * k + 2]! & ARC_FLAG.ON_TREE) arcCounts[k] = 0;
    else {
      valid[k] = 1;
      numSucc[arcs[3 * k]!]!--;
      numPred[arcs[3 * k + 1]!]!--;
    }
  }
  const invalid: number[] = [];
  const validStack: number[] = [];
  for (let b = 0; b < n; b++) {
    invalid.push(b);
    onInvalid[b] = 1;
  }
  while (invalid.length > 0 || validStack.length > 0) {
    while (invalid.length > 0) {
      const b = invalid.pop()!;
      onInvalid[b] = 0;
      let total = 0;
      if (numSucc[b] === 0)
        for (let p = succStart[b]!; p < succStart[b + 1]!; p++) total += arcCounts[succ[p]!]!;
      else if (numPred[b] === 0)
        for (let p = predStart[b]!; p < predStart[b + 1]!; p++) total += arcCounts[pred[p]!]!;
      else continue;
      counts[b] = total;
      blockValid[b] = 1;
      validStack.push(b);
      onValid[b] = 1;
    }
    while (validStack.length > 0) {
      const b = validStack.pop()!;
      onValid[b] = 0;
      for (let side = 0; side < 2; side++) {
        const out = side === 0;
        if ((out ? numSucc[b] : numPred[b]) !== 1) continue;
        const list = out ? succ : pred;
        const start = out ? succStart : predStart;
        let total = counts[b]!;
        let unknown = -1;
        for (let p = start[b]!; p < start[b + 1]!; p++) {
          const k = list[p]!;
          total -= arcCounts[k]!;
          if (!valid[k]) unknown = k;
        }
        if (unknown < 0) return false;
        valid[unknown] = 1;
        arcCounts[unknown] = total;
        const other = arcs[3 * unknown + (out ? 1 : 0)]!;
        if (out) {
          numSucc[b]!--;
          numPred[other]!--;
        } else {
          numPred[b]!--;
          numSucc[other]!--;
        }
        const left = out ? numPred[other] : numSucc[other];
        if (blockValid[other]) {
          if (left === 1 && !onValid[other]) {
            validStack.push(other);
            onValid[other] = 1;
          }
        } else if (left === 0 && !onInvalid[other]) {
          invalid.push(other);
          onInvalid[other] = 1;
        }
      }
    }
  }
  return true;
}
