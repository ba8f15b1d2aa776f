/**
 * Value profiles (GCC 9 single values and indirect-call top-N, GCC 10 TOPN groups, GCC 11+
 * TOPN lists) merged as the real gcov-tool merges them, on
 * test/fixtures/merge/values.c built with each GCC 9-15 and run with three workloads: one
 * fills a 32-value list, so the full-list rule and the negative totals it leaves are hit.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { firstDifference } from '../helpers/compare';
import { gccTool } from '../helpers/gcc-tools';

const SRC = join(process.cwd(), 'test/fixtures/merge/values.c');

const root = mkdtempSync(join(tmpdir(), 'hvcov-merge-values-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Builds values.c with GCC `major` and runs it with each workload (once per major). */
const built = new Map<string, string>();
function build(major: number, extra: string[] = []): string {
  const name = [`gcc${major}`, ...extra].join(' ');
  const have = built.get(name);
  if (have) return have;
  const dir = join(root, name.replace(/[^\w]+/g, '-'));
  const exe = join(dir, 'values');
  execFileSync('mkdir', ['-p', dir]);
  // compiled and linked apart, so every GCC names the data file values.gcda
  const obj = join(dir, 'values.o');
  execFileSync(
    gccTool(major, 'gcc'),
    ['--coverage', '-O2', '-fprofile-values', ...extra, '-c', SRC, '-o', obj],
    {
      cwd: dir,
    },
  );
  execFileSync(gccTool(major, 'gcc'), ['--coverage', obj, '-o', exe], { cwd: dir });
  const runs: Record<string, [string, string]> = { full: ['200', '7'], small: ['50', '3'], one: ['30', '1'] };
  for (const [name, args] of Object.entries(runs))
    execFileSync(exe, args, {
      cwd: dir,
      env: { ...process.env, GCOV_PREFIX: join(dir, name), GCOV_PREFIX_STRIP: '99' },
    });
  built.set(name, dir);
  return dir;
}

// GCC 9: single-value and indirect-call top-N (with the param) kinds; GCC 10: TOPN groups
const BUILDS: [number, string[]][] = [
  [9, []],
  [9, ['--param', 'indir-call-topn-profile=1']],
  [10, []],
  [11, []],
  [12, []],
  [13, []],
  [14, []],
  [15, []],
];

describe.each(BUILDS)('gcc %i -fprofile-values %j', (major, extra) => {
  const dir = build(major, extra);
  const file = (d: string): Uint8Array => new Uint8Array(readFileSync(join(d, 'values.gcda')));

  function gcovTool(inputs: string[], name: string): Uint8Array {
    let acc = join(dir, inputs[0]!);
    for (let i = 1; i < inputs.length; i++) {
      const out = join(dir, `${name}-gt${i}`);
      execFileSync(gccTool(major, 'gcov-tool'), ['merge', '-o', out, acc, join(dir, inputs[i]!)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      acc = out;
    }
    return file(acc);
  }

  async function hvcov(inputs: string[], name: string): Promise<Uint8Array> {
    const out = join(dir, `${name}-hv`);
    const lines: string[] = [];
    const code = await main(['merge', ...inputs.map((i) => join(dir, i)), '--out', out], (s) =>
      lines.push(s),
    );
    expect(code, lines.join('\n')).toBe(0);
    return file(out);
  }

  it.each([
    ['full', 'small'],
    ['small', 'full'],
    ['one', 'full'],
    ['full', 'one'],
    ['full', 'full'],
    ['full', 'small', 'one'],
    ['small', 'full', 'full', 'one'],
    ['full', 'one', 'small', 'one'],
  ])('merges %s + %s (...) byte-identically', async (...inputs) => {
    const name = inputs.join('-');
    const ours = await hvcov(inputs, name);
    const theirs = gcovTool(inputs, name);
    expect(firstDifference(ours, theirs)).toBe(-1);
  });
});

describe.each([11, 12, 13, 14, 15])('gcc %i TOPN lists', (major) => {
  it('fills a 32-value list in one run', () => {
    const dir = build(major);
    const dump = execFileSync(gccTool(major, 'gcov-dump'), ['-l', join(dir, 'full', 'values.gcda')], {
      encoding: 'utf8',
    });
    expect(dump).toMatch(/COUNTERS topn \d+ counts\n.*0: 200 32 /);
  });
});
