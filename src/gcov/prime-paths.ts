/**
 * Prime paths of a function's flow graph (GCC 15 -fpath-coverage), as gcov-15 --prime-paths
 * numbers them: path i is bit i % 64 of word i / 64 of the function's path counters.
 *
 * A simple path repeats no block, except that the first may also be the last (a cycle). A
 * prime path is a simple path that is no part of a longer one. gcov builds the graph from
 * the .gcno (every block, the arcs that are not fake, arcs to EXIT included), takes the
 * prime paths in lexicographic order of their block numbers, then strips ENTRY from the
 * front and EXIT from the end and drops paths left empty or made of one block with no arc.
 *
 * The set and its order are defined by the graph alone, so any complete enumeration gives
 * the same list: this one extends simple paths forward from every block and keeps those
 * that can be extended at neither end. The work is bounded (`limits`); past it the function
 * gets no paths and an InputError (code 'limit'), never a hang.
 */
import { InputError } from './errors';
import { ARC_FLAG, type GcnoArcs } from './gcno';

export interface PrimePathLimits {
  /** Paths kept before giving up (gcc instruments at most about 250000 by default). */
  readonly maxPaths: number;
  /** Extensions of a path tried before giving up. */
  readonly maxSteps: number;
}

export const PRIME_PATH_LIMITS: PrimePathLimits = { maxPaths: 1_000_000, maxSteps: 50_000_000 };

export interface PrimePathGraph {
  readonly blockCount: number;
  /** (source, destination, flags) triples as in the .gcno. */
  readonly arcs: GcnoArcs;
  /** ENTRY and EXIT block numbers (0 and 1 since GCC 8). */
  readonly entry: number;
  readonly exit: number;
}

/** Compressed adjacency: the neighbours of v are list[start[v] .. start[v + 1]). */
interface Adjacency {
  start: Int32Array;
  list: Int32Array;
}

function adjacency(n: number, from: number[], to: number[]): Adjacency {
  const start = new Int32Array(n + 1);
  for (const f of from) start[f + 1]!++;
  for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
  const at = start.slice(0, n);
  const list = new Int32Array(from.length);
  for (let i = 0; i < from.length; i++) list[at[from[i]!]!++] = to[i]!;
  return { start, list };
}

/** Strongly connected component of each vertex (iterative Tarjan). */
function components(n: number, succ: Adjacency): Int32Array {
  const comp = new Int32Array(n).fill(-1);
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const frames: number[] = []; // (vertex, next neighbour position) pairs
  let next = 0;
  let count = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    frames.push(root, succ.start[root]!);
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const v = frames[frames.length - 2]!;
      const p = frames[frames.length - 1]!;
      if (p < succ.start[v + 1]!) {
        frames[frames.length - 1] = p + 1;
        const w = succ.list[p]!;
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = 1;
          frames.push(w, succ.start[w]!);
        } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      frames.length -= 2;
      if (frames.length > 0) {
        const u = frames[frames.length - 2]!;
        low[u] = Math.min(low[u]!, low[v]!);
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp[w] = count;
        } while (w !== v);
        count++;
      }
    }
  }
  return comp;
}

function lexicographic(a: Uint32Array, b: Uint32Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * The prime paths of the graph in gcov's order (ENTRY and EXIT stripped), or an InputError
 * when the limits are reached (`file` and `name` only name it).
 */
export function primePaths(
  g: PrimePathGraph,
  file: string,
  name: string,
  limits: PrimePathLimits = PRIME_PATH_LIMITS,
): Uint32Array[] | InputError {
  const n = g.blockCount;
  const from: number[] = [];
  const to: number[] = [];
  const seen = new Set<number>();
  for (let k = 0; k + 2 < g.arcs.length; k += 3) {
    const s = g.arcs[k]!;
    const d = g.arcs[k + 1]!;
    if (g.arcs[k + 2]! & ARC_FLAG.FAKE || s >= n || d >= n) continue;
    // Two arcs between the same blocks give the same paths.
    const key = s * n + d;
    if (seen.has(key)) continue;
    seen.add(key);
    from.push(s);
    to.push(d);
  }
  const succ = adjacency(n, from, to);
  const pred = adjacency(n, to, from);
  const comp = components(n, succ);

  const found: Uint32Array[] = [];
  const onPath = new Uint8Array(n);
  const path = new Int32Array(n + 1);
  // Per depth: position in the vertex's successors, and whether the path was extended.
  const cursor = new Int32Array(n + 1);
  const extended = new Uint8Array(n + 1);
  let steps = 0;
  const tooMany = (): InputError =>
    new InputError(
      file,
      undefined,
      'limit',
      `${name}: too many prime paths to enumerate (over ${limits.maxPaths} paths or ${limits.maxSteps} steps)`,
    );

  for (let s = 0; s < n; s++) {
    // A path that can be extended at its front is no prime path unless it is a cycle. A
    // predecessor in another component can never be on a path from s, so from such an s
    // only the cycles (within its component) are looked for.
    let open = true;
    for (let p = pred.start[s]!; p < pred.start[s + 1]!; p++)
      if (comp[pred.list[p]!] !== comp[s]) open = false;
    const predsOnPath = (): boolean => {
      for (let p = pred.start[s]!; p < pred.start[s + 1]!; p++) if (!onPath[pred.list[p]!]) return false;
      return true;
    };
    let depth = 0;
    path[0] = s;
    onPath[s] = 1;
    cursor[0] = succ.start[s]!;
    extended[0] = 0;
    while (depth >= 0) {
      if (++steps > limits.maxSteps) return tooMany();
      const v = path[depth]!;
      const c = cursor[depth]!;
      if (c < succ.start[v + 1]!) {
        cursor[depth] = c + 1;
        const w = succ.list[c]!;
        if (w === s) {
          extended[depth] = 1;
          const cycle = new Uint32Array(depth + 2);
          for (let i = 0; i <= depth; i++) cycle[i] = path[i]!;
          cycle[depth + 1] = s;
          found.push(cycle);
          if (found.length > limits.maxPaths) return tooMany();
          continue;
        }
        if (onPath[w]) continue;
        extended[depth] = 1;
        if (comp[w] !== comp[s]) {
          // Leaving s's component for good: only worth it when the front is already closed.
          if (!open || !predsOnPath()) continue;
        }
        depth++;
        path[depth] = w;
        onPath[w] = 1;
        cursor[depth] = succ.start[w]!;
        extended[depth] = 0;
        continue;
      }
      if (open && !extended[depth] && predsOnPath()) {
        found.push(Uint32Array.from(path.subarray(0, depth + 1)));
        if (found.length > limits.maxPaths) return tooMany();
      }
      onPath[v] = 0;
      depth--;
    }
  }

  found.sort(lexicographic);
  const paths: Uint32Array[] = [];
  for (const p of found) {
    let begin = 0;
    let end = p.length;
    if (end > begin && p[end - 1] === g.exit) end--;
    if (end > begin && p[begin] === g.entry) begin++;
    if (end === begin) continue;
    if (end - begin === 1) {
      const v = p[begin]!;
      if (succ.start[v] === succ.start[v + 1] && pred.start[v] === pred.start[v + 1]) continue;
    }
    paths.push(begin === 0 && end === p.length ? p : p.slice(begin, end));
  }
  return paths;
}
