/**
 * Prime paths of a function's flow graph (GCC 15 -fpath-coverage), as gcov-15 --prime-paths
 * lists them: path i is bit i % 64 of word i / 64 of the function's path counters.
 *
 * A simple path repeats no block, except that the first may also be the last (a cycle); a
 * prime path is a simple path that is no part of another. gcc and gcov find them with the
 * same compositional search (Fazli & Afsharchi: the paths inside each strongly connected
 * component, then through the graph of components) over a trie that drops subpaths. That
 * search does not always drop every subpath (some non-prime paths stay, and get a bit), so
 * the list is not the mathematical set: this is the same search, step for step, on the same
 * graph in the same edge order. gcov's graph: every block of the .gcno, an edge per arc that
 * is not fake (in .gcno order, listed last-added first); the paths come sorted by block
 * numbers, then ENTRY is stripped from the front and EXIT from the end, and paths left
 * empty or made of one block without arcs are dropped.
 *
 * The work is bounded (`limits`); past it the function gets no paths and an InputError
 * (code 'limit'), never a hang (gcov itself has no limit).
 */
import { InputError } from './errors';
import { ARC_FLAG, type GcnoArcs } from './gcno';
import { Budget, Exhausted, PathBuf, Trie, TrieIter } from './prime-trie';

export interface PrimePathLimits {
  /** Paths in any one trie of the search before giving up (gcc instruments ≤ ~250000). */
  readonly maxPaths: number;
  /** Elementary steps (trie nodes walked or made, graph edges followed) before giving up. */
  readonly maxSteps: number;
}

/**
 * About 15 s of work for one function: gcc's default -fpath-coverage-limit (250,000 paths)
 * needs ~150M steps. The steps of a whole report are bounded too (PrimePathPool).
 */
export const PRIME_PATH_LIMITS: PrimePathLimits = { maxPaths: 1_000_000, maxSteps: 200_000_000 };

/**
 * Steps charged per block before the search: what making its graph vertices, component and
 * tries costs in time, measured as steps (about 7 µs a block on a fuzzer input of 262,153
 * blocks, at the ~75 ns a step of the estimate above).
 */
const SETUP_STEPS_PER_BLOCK = 100;

/** Steps left for all the functions of one report; each takes what it used. */
export interface PrimePathPool {
  steps: number;
}

/** About a minute of work for a whole report (a hostile build cannot make it hang). */
export const newPrimePathPool = (): PrimePathPool => ({ steps: 1_000_000_000 });

export interface PrimePathGraph {
  readonly blockCount: number;
  /** (source, destination, flags) triples as in the .gcno. */
  readonly arcs: GcnoArcs;
  /** ENTRY and EXIT block numbers (0 and 1 since GCC 8). */
  readonly entry: number;
  readonly exit: number;
}

/** A graph as gcc's graphds keeps it: each list holds the last-added edge first. */
class Graph {
  readonly succ: number[][];
  readonly pred: number[][];
  constructor(readonly n: number) {
    this.succ = Array.from({ length: n }, () => []);
    this.pred = Array.from({ length: n }, () => []);
  }
  addEdge(f: number, t: number): void {
    this.succ[f]!.unshift(t);
    this.pred[t]!.unshift(f);
  }
  hasEdge(f: number, t: number): boolean {
    return this.succ[f]!.includes(t);
  }
}

/**
 * Depth-first search in queue order over successors (or predecessors), as graphds_dfs:
 * the component number of each vertex is the restart that reached it; `post` collects the
 * vertices in postorder.
 */
function dfs(g: Graph, queue: number[], forward: boolean, post: number[], budget: Budget): Int32Array {
  const component = new Int32Array(g.n).fill(-1);
  const done = new Uint8Array(g.n);
  const lists = forward ? g.succ : g.pred;
  let comp = 0;
  const stack: number[] = []; // (vertex, position) pairs
  for (const start of queue) {
    if (done[start]) continue;
    let v = start;
    component[v] = comp++;
    let i = 0;
    for (;;) {
      budget.tick();
      const list = lists[v]!;
      while (i < list.length && component[list[i]!] !== -1) i++;
      if (i >= list.length) {
        post.push(v);
        done[v] = 1;
        if (stack.length === 0) break;
        i = stack.pop()! + 1;
        v = stack.pop()!;
        continue;
      }
      stack.push(v, i);
      v = list[i]!;
      i = 0;
      component[v] = comp - 1;
    }
  }
  return component;
}

/** Strongly connected components as graphds_scc numbers them (Kosaraju). */
function scc(g: Graph, budget: Budget): { component: Int32Array; count: number } {
  const all = Array.from({ length: g.n }, (_, i) => i);
  const post: number[] = [];
  dfs(g, all, false, post, budget);
  const component = dfs(g, post.reverse(), true, [], budget);
  let count = 0;
  for (const c of component) count = Math.max(count, c + 1);
  return { component, count };
}

/**
 * The simple paths from `root`, each as far as it goes (closed into a cycle when it comes
 * back to `root`), inserted into `out` as gcc's simple_paths does.
 */
function simplePaths(g: Graph, root: number, out: Trie, budget: Budget): void {
  const path: number[] = [];
  // one zeroed array for every call (a fresh one per block is quadratic in a large graph):
  // a block is marked while on the path, so the path is what to clear if the budget runs out
  if (seenScratch.length < g.n) seenScratch = new Uint8Array(g.n);
  const seen = seenScratch;
  try {
    simplePathsFrom(g, root, out, budget, path, seen);
  } catch (e) {
    for (const v of path) seen[v] = 0;
    throw e;
  }
}

/** Blocks on the current path of simplePaths (all 0 between calls). */
let seenScratch = new Uint8Array(0);

function simplePathsFrom(
  g: Graph,
  root: number,
  out: Trie,
  budget: Budget,
  path: number[],
  seen: Uint8Array,
): void {
  // Frames: (vertex, next successor position).
  const stack: number[] = [];
  const visit = (node: number): void => {
    budget.tick();
    if (seen[node]) {
      if (path[0] === node) {
        path.push(node);
        out.insert(path);
        path.pop();
      } else out.insert(path);
      return;
    }
    seen[node] = 1;
    path.push(node);
    if (g.succ[node]!.length === 0) {
      out.insert(path);
      seen[node] = 0;
      path.pop();
      return;
    }
    stack.push(node, 0);
  };
  visit(root);
  while (stack.length > 0) {
    const node = stack[stack.length - 2]!;
    const i = stack[stack.length - 1]!;
    const succ = g.succ[node]!;
    if (i < succ.length) {
      stack[stack.length - 1] = i + 1;
      visit(succ[i]!);
      continue;
    }
    stack.length -= 2;
    seen[node] = 0;
    path.pop();
  }
}

const indexOf = (v: number, p: readonly number[]): number => p.indexOf(v);
const isCycle = (p: readonly number[], v: number): boolean => p[0] === v && p[p.length - 1] === v;

/** The search of gcc's prime_paths (gcc/prime-paths.cc) on `cfg`, paths in trie order. */
function search(cfg: Graph, budget: Budget, maxPaths: number): number[][] {
  const n = cfg.n;
  const { component, count: nscc } = scc(cfg, budget);
  const check = (t: Trie): void => {
    if (t.size > maxPaths) throw new Exhausted('too many paths');
  };

  // The edges inside components, and the graph of components.
  const inner = new Graph(n);
  const ccfg = new Graph(nscc);
  for (let i = 0; i < n; i++)
    for (const d of cfg.succ[i]!) {
      budget.tick();
      if (component[i] === component[d]) inner.addEdge(i, d);
      else if (!ccfg.hasEdge(component[i]!, component[d]!)) ccfg.addEdge(component[i]!, component[d]!);
    }
  const members: number[][] = Array.from({ length: nscc }, () => []);
  for (let i = 0; i < n; i++) members[component[i]!]!.push(i);
  const isEntry = (v: number): boolean =>
    cfg.pred[v]!.length === 0 || cfg.pred[v]!.some((u) => component[u] !== component[v]);
  const isExit = (v: number): boolean =>
    cfg.succ[v]!.length === 0 || cfg.succ[v]!.some((w) => component[w] !== component[v]);

  // Inside each component: every simple path from each of its blocks.
  const internal: number[][][] = [];
  for (let c = 0; c < nscc; c++) {
    const t = new Trie(budget);
    for (const v of members[c]!) simplePaths(inner, v, t, budget);
    check(t);
    internal.push(t.paths());
  }

  // Per component, the paths from an entry block to an exit block.
  const enexTries = Array.from({ length: nscc }, () => new Trie(budget));
  for (let c = 0; c < nscc; c++)
    for (const ven of members[c]!) {
      if (!isEntry(ven)) continue;
      for (const vex of members[c]!) {
        if (!isExit(vex)) continue;
        if (ven === vex) {
          enexTries[c]!.hardInsert([ven]);
          continue;
        }
        for (const p of internal[c]!) {
          const a = indexOf(ven, p);
          const b = indexOf(vex, p);
          if (a < 0 || b < 0 || b <= a) continue;
          enexTries[c]!.hardInsert(p, a, b + 1);
        }
      }
    }

  // Paths into a component from its entry, and out of it to its exit.
  const entryPaths = new Trie(budget);
  const exitPaths = new Trie(budget);
  for (let v = 0; v < n; v++) {
    const pp = internal[component[v]!]!;
    if (isEntry(v))
      for (const p of pp) {
        const a = indexOf(v, p);
        if (a < 0 || isCycle(p, v)) continue;
        entryPaths.insert(p, a, p.length);
      }
    if (isExit(v)) {
      const local = new Trie(budget);
      for (const p of pp) {
        const b = indexOf(v, p);
        if (b < 0 || isCycle(p, v)) continue;
        local.insertWithSuffix(p, 0, b + 1);
      }
      for (const p of local.paths()) exitPaths.hardInsert(p);
    }
  }

  // The paths through the graph of components, from each component without predecessors.
  const ccfgPaths = new Trie(budget);
  for (let c = 0; c < nscc; c++) if (ccfg.pred[c]!.length === 0) simplePaths(ccfg, c, ccfgPaths, budget);
  check(ccfgPaths);

  // Complete paths: a component path with an entry-exit path through each component.
  const enex = enexTries.map((t) => t.paths());
  const complete = new Trie(budget);
  const path: number[] = [];
  const extend = (cs: number[], k: number): void => {
    if (k === cs.length) {
      complete.insertWithSuffix(path);
      return;
    }
    const last = path[path.length - 1]!;
    const len = path.length;
    for (const e of enex[cs[k]!]!) {
      budget.tick();
      if (!cfg.hasEdge(last, e[0]!)) continue;
      path.push(...e);
      extend(cs, k + 1);
      path.length = len;
      check(complete);
    }
  };
  for (const cs of ccfgPaths.paths())
    for (const e of enex[cs[0]!]!) {
      path.length = 0;
      path.push(...e);
      extend(cs, 1);
    }
  check(complete);

  // Paths that start inside a component and run to the end.
  const exitPrime = new Trie(budget);
  {
    const q = new PathBuf();
    const r = new PathBuf();
    const qs = new TrieIter(exitPaths, q);
    while (qs.next()) {
      const vex = q.last();
      const rs = new TrieIter(complete, r, vex);
      while (rs.nextLeaf()) {
        // r[0] of an empty r is whatever the buffer last held, as in gcc
        if (component[vex] === component[r.buf[0]!]) continue;
        exitPrime.insert([...q.copy(), ...r.copy()]);
        check(exitPrime);
      }
    }
  }

  // Paths that come from the start (or a component) and end inside a component.
  const entryPrime = new Trie(budget);
  for (const from of [complete, exitPrime]) {
    const q = new PathBuf();
    const p = new PathBuf();
    const qs = new TrieIter(entryPaths, q);
    while (qs.next()) {
      const ven = q.buf[0]!;
      const ps = new TrieIter(from, p, undefined);
      while (ps.nextBefore(ven)) {
        const last = p.last();
        if (component[last] === component[ven] || !cfg.hasEdge(last, ven)) continue;
        entryPrime.insertWithSuffix([...p.copy(), ...q.copy()]);
        check(entryPrime);
      }
    }
  }

  // Everything into the largest trie, then the paths inside components.
  const [a, b, c] = [complete, entryPrime, exitPrime];
  let dst: Trie;
  if (a.size >= b.size && a.size >= c.size) {
    dst = a;
    a.merge(b);
    a.merge(c);
  } else if (b.size >= a.size && b.size >= c.size) {
    dst = b;
    b.merge(a);
    b.merge(c);
  } else {
    dst = c;
    c.merge(a);
    c.merge(b);
  }
  for (const pp of internal) for (const p of pp) dst.insertWithSuffix(p);
  check(dst);
  return dst.paths();
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
  pool?: PrimePathPool,
): Uint32Array[] | InputError {
  const n = g.blockCount;
  let cfg: Graph;
  let found: number[][];
  const allowed = Math.max(0, Math.min(limits.maxSteps, pool?.steps ?? Infinity));
  const budget = new Budget(allowed);
  try {
    // the graphs, components and tries made per block, whatever the paths: charged up front,
    // so that a hostile block count is refused before the work (a fuzzer input of 262,153
    // blocks took 2 s of allocation while taking few steps)
    budget.charge(SETUP_STEPS_PER_BLOCK * n);
    cfg = new Graph(n);
    for (let k = 0; k + 2 < g.arcs.length; k += 3) {
      const s = g.arcs[k]!;
      const d = g.arcs[k + 1]!;
      if (g.arcs[k + 2]! & ARC_FLAG.FAKE || s >= n || d >= n) continue;
      cfg.addEdge(s, d);
    }
    found = search(cfg, budget, limits.maxPaths);
  } catch (e) {
    if (!(e instanceof Exhausted)) throw e;
    if (pool) pool.steps -= allowed;
    return new InputError(
      file,
      undefined,
      'limit',
      allowed < limits.maxSteps
        ? `${name}: prime paths not enumerated: the report's enumeration budget is spent`
        : `${name}: too many prime paths to enumerate (over ${limits.maxPaths} paths or ${limits.maxSteps} steps)`,
    );
  }
  if (pool) pool.steps -= allowed - Math.max(0, budget.steps);
  const paths: Uint32Array[] = [];
  for (const p of found) {
    let begin = 0;
    let end = p.length;
    if (end > begin && p[end - 1] === g.exit) end--;
    if (end > begin && p[begin] === g.entry) begin++;
    if (end === begin) continue;
    if (end - begin === 1) {
      const v = p[begin]!;
      if (cfg.succ[v]!.length === 0 && cfg.pred[v]!.length === 0) continue;
    }
    paths.push(Uint32Array.from(p.slice(begin, end)));
  }
  return paths;
}
