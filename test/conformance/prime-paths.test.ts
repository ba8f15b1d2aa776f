/**
 * Prime path coverage (GCC 15 -fpath-coverage) against gcov-15 run now: the fixture of
 * scripts/gen-paths-fixture.sh is rebuilt (test/fixtures/paths/paths.c at -O0 and -O2),
 * and our JSON with primePaths must equal `gcov-15 --json-format -b --prime-paths`,
 * function by function (each path's number, blocks, lines and arc kinds); the fixture
 * hypervisor's gcc15 objects (built with -fpath-coverage) too.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pathTotals } from '../../src/model/path-summary';
import { buildReport } from '../../src/model/report';
import { fixturesRoot, walkFiles } from '../helpers/fixtures';
import { fixtureComparison, PATHS_CONFIGS, pathsComparison } from '../helpers/paths';

const GCOV = '/opt/debian-gcc/15/bin/gcov-15';
const root = mkdtempSync(join(tmpdir(), 'hvcov-prime-paths-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fresh = join(root, 'paths-gcc15');

describe('prime paths equal gcov-15 --prime-paths', () => {
  for (const config of PATHS_CONFIGS)
    it(`paths.c -${config}`, () => {
      if (config === PATHS_CONFIGS[0])
        execFileSync('bash', ['scripts/gen-paths-fixture.sh', fresh], { stdio: 'pipe' });
      const { ours, ref, problems } = fixtureComparison(fresh, config);
      expect(problems).toEqual([]);
      // Every function, one at a time, so that a difference names it.
      expect(ours.map((f) => f.functions.map((fn) => fn.name))).toEqual(
        ref.map((f) => f.functions.map((fn) => fn.name)),
      );
      for (const [i, f] of ref.entries())
        for (const [j, fn] of f.functions.entries()) expect(ours[i]!.functions[j]).toEqual(fn);
      expect(ours).toEqual(ref);
      // paths covered and not, a function with over 1000 paths, one gcc gave up on
      const all = ref.flatMap((f) => f.functions);
      expect(all.some((fn) => (fn.total_prime_paths ?? 0) > 1000)).toBe(true);
      expect(all.some((fn) => (fn.covered_prime_paths ?? 0) > 0)).toBe(true);
      expect(all.some((fn) => (fn.prime_path_coverage ?? []).length > 0)).toBe(true);
      expect(all.find((fn) => fn.name === 'too_many')?.total_prime_paths).toBe(0);
      // the per-file total of gcov-15's own summary line
      const text = execFileSync(GCOV, ['--prime-paths', '--no-output', 'paths.gcda'], {
        cwd: join(fresh, config),
        encoding: 'utf8',
      });
      const m = /File 'paths\.c'\nLines executed:[^\n]*\nPrime paths covered:[\d.]+% of (\d+)/.exec(text);
      const bytes = (n: string) => new Uint8Array(readFileSync(join(fresh, config, n)));
      const report = buildReport(
        [{ name: 'paths.gcno', bytes: bytes('paths.gcno') }],
        [{ name: 'paths.gcda', bytes: bytes('paths.gcda') }],
        { primePaths: true },
      );
      expect(pathTotals(report).total.found).toBe(Number(m?.[1]));
    });

  // the engine's edge cases: setjmp/longjmp, noreturn calls, loops on one line, inlined code
  for (const opt of ['-O0', '-O2'])
    it(`test/fixtures/engine/edge.c ${opt}`, () => {
      const dir = join(root, `edge${opt}`);
      mkdirSync(dir);
      for (const f of ['edge.c', 'edge.h']) copyFileSync(join('test/fixtures/engine', f), join(dir, f));
      const gcc = '/opt/debian-gcc/15/bin/gcc-15';
      execFileSync(gcc, ['--coverage', '-g0', opt, '-fpath-coverage', '-c', 'edge.c', '-o', 'edge.o'], {
        cwd: dir,
      });
      execFileSync(gcc, ['--coverage', 'edge.o', '-o', 'edge'], { cwd: dir });
      execFileSync(join(dir, 'edge'), [], { cwd: dir });
      const gcov = execFileSync(
        GCOV,
        ['--json-format', '--stdout', '--branch-probabilities', '--prime-paths', 'edge.gcda'],
        { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 },
      );
      const { ours, ref, problems } = pathsComparison(dir, 'edge', gcov);
      expect(problems).toEqual([]);
      expect(ref.flatMap((f) => f.functions).some((fn) => (fn.total_prime_paths ?? 0) > 0)).toBe(true);
      expect(ours).toEqual(ref);
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
      const gcov = execFileSync(
        GCOV,
        ['--json-format', '--stdout', '--branch-probabilities', '--prime-paths', `${stem}.gcno`],
        { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 },
      );
      const { ours, ref, problems } = pathsComparison(dir, stem, gcov);
      expect(problems).toEqual([]);
      expect(ours).toEqual(ref);
    }
  });
});
