/**
 * Prime path coverage (GCC 15 -fpath-coverage): test/fixtures/paths/paths.c is built with
 * gcc-15 at -O0 and -O2, run, and our JSON with primePaths must equal what
 * `gcov-15 --json-format --stdout --prime-paths` prints, function by function (every
 * path's number, blocks, lines and arc kinds); the fixture hypervisor's gcc15 objects too.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGcda } from '../../src/gcov/gcda-reader';
import { readGcno } from '../../src/gcov/gcno';
import { computeCoverage } from '../../src/model/coverage';
import { gcovJsonFiles, type GcovJsonFile } from '../../src/model/gcov-json';
import { fixturesRoot, walkFiles } from '../helpers/fixtures';
import { PATHS_CFLAGS } from '../helpers/paths';

const GCC = '/opt/debian-gcc/15/bin/gcc-15';
const GCOV = '/opt/debian-gcc/15/bin/gcov-15';
const root = mkdtempSync(join(tmpdir(), 'hvcov-prime-paths-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Our files and gcov's for one object in `dir` (the .gcda may be absent). */
function compare(dir: string, stem: string): { ours: GcovJsonFile[]; ref: GcovJsonFile[] } {
  const gcno = readGcno(new Uint8Array(readFileSync(join(dir, `${stem}.gcno`))), `${stem}.gcno`);
  let gcda;
  try {
    gcda = readGcda(new Uint8Array(readFileSync(join(dir, `${stem}.gcda`))), `${stem}.gcda`);
  } catch {
    gcda = undefined;
  }
  const ref = JSON.parse(
    execFileSync(
      GCOV,
      ['--json-format', '--stdout', '--branch-probabilities', '--prime-paths', `${stem}.gcno`],
      {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      },
    ),
  ) as { files: GcovJsonFile[] };
  const demangled = new Map<string, string>();
  for (const f of ref.files) for (const fn of f.functions) demangled.set(fn.name, fn.demangled_name);
  const problems: unknown[] = [];
  const cov = computeCoverage(gcno, gcda, `${stem}.gcda`);
  const ours = gcovJsonFiles(cov, {
    demangle: (n) => demangled.get(n) ?? n,
    primePaths: true,
    problems: problems as never,
  });
  expect(problems).toEqual([]);
  return { ours, ref: ref.files };
}

describe('prime paths equal gcov-15 --prime-paths', () => {
  for (const opt of ['-O0', '-O2'])
    it(`paths.c ${opt}`, () => {
      const dir = join(root, opt);
      mkdirSync(dir);
      copyFileSync(join(process.cwd(), 'test/fixtures/paths/paths.c'), join(dir, 'paths.c'));
      execFileSync(GCC, [...PATHS_CFLAGS, opt, '-c', 'paths.c', '-o', 'paths.o'], {
        cwd: dir,
        stdio: 'pipe',
      });
      execFileSync(GCC, ['--coverage', 'paths.o', '-o', 'paths'], { cwd: dir });
      execFileSync(join(dir, 'paths'), [], { cwd: dir });
      const { ours, ref } = compare(dir, 'paths');
      // Every function, one at a time, so that a difference names it.
      expect(ours.map((f) => f.functions.map((fn) => fn.name))).toEqual(
        ref.map((f) => f.functions.map((fn) => fn.name)),
      );
      for (const [i, f] of ref.entries())
        for (const [j, fn] of f.functions.entries()) expect(ours[i]!.functions[j]).toEqual(fn);
      expect(ours).toEqual(ref);
      // the fixture has paths, covered and not, and a function gcc gave up on
      const all = ref.flatMap((f) => f.functions);
      expect(all.some((fn) => (fn.total_prime_paths ?? 0) > 100)).toBe(true);
      expect(all.some((fn) => (fn.prime_path_coverage ?? []).length > 0)).toBe(true);
      expect(all.some((fn) => fn.name === 'too_many' && fn.total_prime_paths === 0)).toBe(true);
    });

  it('the fixture hypervisor (gcc15-x86_64-O2)', () => {
    const fixture = join(fixturesRoot(), 'gcc15-x86_64-O2');
    const dir = join(root, 'hv');
    mkdirSync(dir);
    for (const f of walkFiles(join(fixture, 'gcno'))) copyFileSync(f, join(dir, f.split('/').pop()!));
    for (const f of walkFiles(join(fixture, 'ref')))
      if (f.endsWith('.gcda')) copyFileSync(f, join(dir, f.split('/').pop()!));
    const stems = readdirSync(dir)
      .filter((n) => n.endsWith('.gcno'))
      .map((n) => n.slice(0, -5));
    expect(stems.length).toBeGreaterThan(5);
    for (const stem of stems) {
      const { ours, ref } = compare(dir, stem);
      expect(ours).toEqual(ref);
    }
  });
});
