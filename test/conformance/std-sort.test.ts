/**
 * stdSort (src/gcov/std-sort.ts), which orders a file's functions as gcov does, against
 * libstdc++ itself: a small C++ program built with g++-12 sorts the same (key, id) pairs with
 * std::sort and with std::partial_sort(first, last, last) (introsort's heap-sort fallback),
 * comparing keys only, and prints the ids in the order it left them. Keys are drawn with
 * many ties, where an unstable sort shows its order; sizes from 0 to 5,000.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stdHeapSort, stdSort } from '../../src/gcov/std-sort';

const ORACLE = `#include <algorithm>
#include <iostream>
#include <utility>
#include <vector>
int main() {
  int n;
  auto less = [](const std::pair<int, int> &a, const std::pair<int, int> &b) { return a.first < b.first; };
  while (std::cin >> n) {
    std::vector<std::pair<int, int>> v(n);
    for (int i = 0; i < n; i++) { std::cin >> v[i].first; v[i].second = i; }
    auto h = v;
    std::sort(v.begin(), v.end(), less);
    std::partial_sort(h.begin(), h.end(), h.end(), less);
    for (auto &p : v) std::cout << p.second << ' ';
    std::cout << '\\n';
    for (auto &p : h) std::cout << p.second << ' ';
    std::cout << '\\n';
  }
}
`;

const dir = mkdtempSync(join(tmpdir(), 'hvcov-std-sort-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A seeded generator (mulberry32): the same cases in every run. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Key sequences: random with few or many distinct keys, sorted, reversed, organ pipe, all equal. */
function cases(): number[][] {
  const r = rng(2026);
  const out: number[][] = [];
  const sizes = [...Array.from({ length: 41 }, (_, i) => i), 47, 64, 95, 128, 200, 333, 1000, 5000];
  for (const n of sizes) {
    for (const distinct of [1, 2, 3, 7, Math.max(1, n >> 2), Math.max(1, n)])
      out.push(Array.from({ length: n }, () => Math.floor(r() * distinct)));
    const k = Math.max(1, n >> 3);
    out.push(Array.from({ length: n }, (_, i) => Math.floor(i / k)));
    out.push(Array.from({ length: n }, (_, i) => Math.floor((n - i) / k)));
    out.push(Array.from({ length: n }, (_, i) => Math.min(i, n - i) % 5));
  }
  return out;
}

describe("stdSort orders as libstdc++'s std::sort", () => {
  const all = cases();
  const exe = join(dir, 'oracle');
  writeFileSync(`${exe}.cpp`, ORACLE);
  const build = spawnSync('g++-12', ['-O2', '-o', exe, `${exe}.cpp`], { encoding: 'utf8' });
  const run = spawnSync(exe, [], {
    encoding: 'utf8',
    input: all.map((keys) => `${keys.length} ${keys.join(' ')}\n`).join(''),
    maxBuffer: 64 << 20,
  });
  const lines = run.stdout.split('\n');

  it('builds and runs the oracle', () => {
    expect(build.status, build.stderr).toBe(0);
    expect(run.status, run.stderr).toBe(0);
    expect(lines.length).toBe(2 * all.length + 1);
  });

  const order = (keys: number[], sort: (a: number[], less: (x: number, y: number) => boolean) => void) => {
    const ids = keys.map((_, i) => i);
    sort(ids, (x, y) => keys[x]! < keys[y]!);
    return ids.map((i) => `${i} `).join('');
  };

  it(`std::sort: the same order of ids in all ${all.length} cases`, () => {
    let unstable = 0;
    all.forEach((keys, c) => {
      const got = order(keys, stdSort);
      expect(got, `case ${c}: ${keys.length} keys`).toBe(lines[2 * c]);
      // cases where the order differs from a stable sort's: what the emulation is for
      if (got !== order(keys, (a, less) => a.sort((x, y) => (less(x, y) ? -1 : less(y, x) ? 1 : 0))))
        unstable++;
    });
    expect(unstable).toBeGreaterThan(100);
  });

  it(`std::partial_sort over the whole range: the same order in all ${all.length} cases`, () => {
    all.forEach((keys, c) => {
      expect(order(keys, stdHeapSort), `case ${c}: ${keys.length} keys`).toBe(lines[2 * c + 1]);
    });
  });
});
