/**
 * The path trie of gcc's prime path search (gcc/prime-paths.cc), behaviour for behaviour:
 * gcov-15 numbers the paths by their order in such a trie, and which paths end up in it
 * depends on its exact rules (a suffix stops the suffix insertion as soon as it is already
 * there; hard insertion marks paths that are prefixes of others; an iterator can yield a
 * path twice), so they are reproduced rather than replaced by a plain set.
 *
 * Node 0 is the root. A node's children are kept sorted by key (block or component number),
 * which makes every walk lexicographic.
 */

/** Thrown when the work budget runs out (caught by primePaths). */
export class Exhausted extends Error {}

/** Work left, shared by everything one enumeration does. */
export class Budget {
  constructor(public steps: number) {}
  tick(): void {
    if (--this.steps < 0) throw new Exhausted('prime path budget');
  }
  /** k steps at once, for work not counted step by step. */
  charge(k: number): void {
    this.steps -= k;
    if (this.steps < 0) throw new Exhausted('prime path budget');
  }
}

/** A growable path buffer whose stale words stay readable (gcc reads r[0] of an empty one). */
export class PathBuf {
  buf: number[] = [];
  len = 0;
  push(k: number): void {
    this.buf[this.len++] = k;
  }
  pop(): void {
    this.len--;
  }
  last(): number {
    return this.buf[this.len - 1]!;
  }
  copy(): number[] {
    return this.buf.slice(0, this.len);
  }
}

export class Trie {
  keys: number[][] = [[]];
  vals: number[][] = [[]];
  /** endofpath: the path from the root to this node is a path of the set. */
  end: number[] = [0];
  /** inserted: part of an inserted path (not only of a suffix); walks skip the others. */
  ins: number[] = [1];
  /** Paths created by insert and hardInsert (gcc's len: it decides which trie merges into which). */
  size = 0;

  constructor(readonly budget: Budget) {}

  child(node: number, key: number): number {
    const ks = this.keys[node]!;
    let lo = 0;
    let hi = ks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ks[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo < ks.length && ks[lo] === key ? this.vals[node]![lo]! : -1;
  }

  private put(node: number, key: number, val: number): void {
    const ks = this.keys[node]!;
    let i = ks.length;
    while (i > 0 && ks[i - 1]! > key) i--;
    ks.splice(i, 0, key);
    this.vals[node]!.splice(i, 0, val);
  }

  private node(): number {
    this.keys.push([]);
    this.vals.push([]);
    this.end.push(0);
    this.ins.push(0);
    return this.keys.length - 1;
  }

  /** Appends p[from..to) below `at` as new nodes; returns the last one. */
  private chain(at: number, p: ArrayLike<number>, from: number, to: number, inserted: boolean): number {
    let cur = at;
    for (let i = from; i < to; i++) {
      this.budget.tick();
      const next = this.node();
      this.put(cur, p[i]!, next);
      if (inserted) this.ins[cur] = 1;
      cur = next;
    }
    return cur;
  }

  /**
   * Adds p[from..to); a path that is a prefix of the new one stops being one. Nothing
   * happens (false) when the nodes are all there already.
   */
  insert(p: ArrayLike<number>, from = 0, to = p.length): boolean {
    return this.add(p, from, to, false);
  }

  /** Like insert, but keeps prefixes and marks p even when it is a prefix of another path. */
  hardInsert(p: ArrayLike<number>, from = 0, to = p.length): boolean {
    return this.add(p, from, to, true);
  }

  private add(p: ArrayLike<number>, from: number, to: number, hard: boolean): boolean {
    let idx = 0;
    for (let i = from; i < to; i++) {
      this.budget.tick();
      const cur = idx;
      this.ins[cur] = 1;
      const c = this.child(cur, p[i]!);
      if (c >= 0) {
        idx = c;
        continue;
      }
      if (!hard) this.end[cur] = 0;
      const last = this.chain(cur, p, i, to, true);
      this.end[last] = 1;
      this.ins[last] = 1;
      this.size++;
      return true;
    }
    if (hard) this.end[idx] = 1;
    return false;
  }

  /** A suffix of an inserted path: unmarks every path it starts with; new nodes stay hidden. */
  private insertSuffix(p: ArrayLike<number>, from: number, to: number): boolean {
    let idx = 0;
    for (let i = from; i < to; i++) {
      this.budget.tick();
      const cur = idx;
      this.end[cur] = 0;
      const c = this.child(cur, p[i]!);
      if (c >= 0) {
        idx = c;
        continue;
      }
      this.chain(cur, p, i, to, false);
      return true;
    }
    this.end[idx] = 0;
    return false;
  }

  /** Inserts p and then its suffixes, until one suffix was already there. */
  insertWithSuffix(p: ArrayLike<number>, from = 0, to = p.length): boolean {
    let inserted = this.insert(p, from, to);
    for (let s = from + 1; inserted && s < to; s++) inserted = this.insertSuffix(p, s, to);
    return inserted;
  }

  /** Every path of `other` (in its order), inserted with its suffixes. */
  merge(other: Trie): void {
    const p = new PathBuf();
    const it = new TrieIter(other, p);
    while (it.next()) this.insertWithSuffix(p.buf, 0, p.len);
  }

  paths(): number[][] {
    const p = new PathBuf();
    const it = new TrieIter(this, p);
    const all: number[][] = [];
    while (it.next()) all.push(p.copy());
    return all;
  }
}

interface Frame {
  ix: number;
  itr: number;
  end: number;
}

/**
 * gcc's trie iterator: an explicit depth-first walk filling `path`. Without `from` it walks
 * from the root; with it, from the root's child `from`, which is left out of `path`.
 */
export class TrieIter {
  private readonly stack: Frame[];
  private yieldOk = true;

  constructor(
    private readonly t: Trie,
    private readonly path: PathBuf,
    from?: number,
  ) {
    path.len = 0;
    let ix = 0;
    if (from !== undefined) {
      ix = t.child(0, from);
      if (ix < 0) {
        this.stack = [{ ix: 0, itr: 0, end: 0 }];
        return;
      }
    }
    this.stack = [{ ix, itr: 0, end: t.keys[ix]!.length }];
  }

  private descend(top: Frame): void {
    const { t } = this;
    const val = t.vals[top.ix]![top.itr]!;
    this.path.push(t.keys[top.ix]![top.itr]!);
    top.itr++;
    this.stack.push({ ix: val, itr: 0, end: t.keys[val]!.length });
  }

  /** The next marked path reached through inserted nodes (a node with children may come twice). */
  next(): boolean {
    const { t, stack } = this;
    for (;;) {
      t.budget.tick();
      const top = stack[stack.length - 1]!;
      if (t.end[top.ix] && this.yieldOk && (top.itr !== top.end || t.keys[top.ix]!.length === 0)) {
        this.yieldOk = false;
        return true;
      }
      this.yieldOk = true;
      if (top.itr !== top.end) {
        if (!t.ins[t.vals[top.ix]![top.itr]!]) {
          top.itr++;
          continue;
        }
        this.descend(top);
      } else {
        stack.pop();
        if (stack.length === 0) return false;
        this.path.pop();
      }
    }
  }

  /**
   * The next prefix (through inserted nodes, not empty) that continues with `limit`; the
   * rest of that node's children are skipped afterwards, as in gcc.
   */
  nextBefore(limit: number): boolean {
    const { t, stack } = this;
    for (;;) {
      t.budget.tick();
      const top = stack[stack.length - 1]!;
      if (this.yieldOk && top.itr !== top.end) {
        const key = t.keys[top.ix]![top.itr]!;
        if (!t.ins[t.vals[top.ix]![top.itr]!]) {
          top.itr++;
          continue;
        }
        if (key === limit) {
          top.itr++;
          if (this.path.len === 0) continue;
          this.yieldOk = false;
          return true;
        }
        this.descend(top);
      } else {
        this.yieldOk = true;
        stack.pop();
        if (stack.length === 0) return false;
        this.path.pop();
      }
    }
  }

  /** The next leaf, hidden nodes included (every path and suffix). */
  nextLeaf(): boolean {
    const { t, stack } = this;
    for (;;) {
      t.budget.tick();
      const top = stack[stack.length - 1]!;
      if (this.yieldOk && t.keys[top.ix]!.length === 0) {
        this.yieldOk = false;
        return true;
      }
      this.yieldOk = true;
      if (top.itr !== top.end) this.descend(top);
      else {
        stack.pop();
        if (stack.length === 0) return false;
        this.path.pop();
      }
    }
  }
}
