/**
 * Conformance on two large real programs, built here with the real compilers and compared
 * with the real tools as a whole (the fixtures test the hard cases one by one):
 *
 * - SQLite's amalgamation (~270,000 lines, one object; sources from the better-sqlite3 npm
 *   package) with gcc-12 -O0: the gcov JSON of every function and line against gcov-12's,
 *   the lcov tracefile against lcov 1.16's, the Cobertura XML against gcovr 5.2's
 *   (scripts/check-sqlite-gcov.sh);
 * - Tcl 8.6 (163 objects, headers shared between objects, objects that never ran; Debian's
 *   source package) with gcc-15 -O0 -fcondition-coverage: the gcov JSON of every object
 *   against gcov-15 --conditions (scripts/check-gcov-json.sh), the lcov tracefile against
 *   lcov 1.16's and the MC/DC records against lcov 2's (scripts/check-lcov.sh --mcdc), the
 *   Cobertura XML against gcovr 5.2's;
 * - JsonCpp 1.9.5 (C++17, 6 objects; Debian's source package) with g++-12 -O0, its own tests
 *   run: libstdc++'s templates in many headers, constructor and destructor variants and
 *   template instances at one place (gcov's unstable sort, see std-sort.ts), names for its
 *   demangler: the gcov JSON of every object against gcov-12's, the lcov tracefile against
 *   lcov 1.16's, the Cobertura XML against gcovr 5.2's (scripts/check-cobertura.sh); and
 *   again with g++-15 -O0 -fcondition-coverage: gcov-15's JSON with its conditions, lcov
 *   1.16, lcov 2's MC/DC records, gcovr 5.2 on gcov 15's text;
 * - gawk 5.2.1 (36 objects in two folders; Debian's source package) with gcc-12 -O2: bison's
 *   parsers, whose #line names are relative to the source folder while the compiler runs in
 *   the build folder, and configure's probe notes naming a conftest.c that is gone: the gcov
 *   JSON of every object against gcov-12's, the lcov tracefile against lcov 1.16's, the
 *   Cobertura XML against gcovr 5.2's with the source folder as its root.
 *
 * Each script exits 1 at a difference and prints it; the expected values are what the real
 * tools print in this run.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const GCC15 = '/opt/debian-gcc/15/bin';

function sh(
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; stdout: string; out: string } {
  const r = spawnSync('bash', args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, out: `${r.stdout}${r.stderr}` };
}

/** A count printed before `what` in a script's summary line. */
const count = (out: string, what: RegExp): number =>
  Number(new RegExp(`(\\d+) ${what.source}`).exec(out)?.[1]);

/**
 * Runs a build script (idempotent: it reuses its build), which prints the object folder on its
 * last line; returns the number of .gcda files there (one per object the workload ran).
 */
function build(script: string, out: string, env: Record<string, string>): number {
  const r = sh([script, '--out', out], env);
  expect(r.status, r.out).toBe(0);
  const obj = join(out, 'obj');
  expect(r.stdout.trim().split('\n').at(-1)).toBe(obj);
  return readdirSync(obj).filter((f) => f.endsWith('.gcda')).length;
}

describe('SQLite amalgamation, gcc-12 -O0', () => {
  it("gcov JSON, lcov tracefile and Cobertura equal gcov-12's, lcov 1.16's and gcovr's", () => {
    const r = sh(['scripts/check-sqlite-gcov.sh', '12', '-O0']);
    expect(r.out).toMatch(/gcc-12 -O0: 1 files, \d+ functions, \d+ lines compared; 0 differences/);
    expect(count(r.out, /lines compared/)).toBeGreaterThan(40_000);
    expect(r.out).toMatch(/gcc-12 -O0: lcov tracefile identical to lcov 1\.16's/);
    expect(r.out).toMatch(/gcc-12 -O0: Cobertura identical to gcovr's/);
    expect(r.status, r.out).toBe(0);
  }, 1_800_000);
});

describe('Tcl 8.6, 163 objects, gcc-15 -O0 -fcondition-coverage', () => {
  const out = join(root, 'build/check-tcl/gcc15-O0');
  const obj = join(out, 'obj');

  it('builds (or reuses its build) and has run its workload', () => {
    const gcda = build('bench/large-program-multi.sh', out, {
      CC: `${GCC15}/gcc-15`,
      TCL_OPT: '-O0 -fcondition-coverage -std=gnu17',
    });
    expect(gcda).toBeGreaterThan(150);
  }, 1_800_000);

  it("gcov JSON of every object equals gcov-15's, conditions included", () => {
    const r = sh(['scripts/check-gcov-json.sh', obj, `${GCC15}/gcov-15`, 'tcl']);
    expect(r.out).toMatch(/tcl: 163 objects, .* compared; 0 differences/);
    expect(count(r.out, /conditions compared/)).toBeGreaterThan(20_000);
    expect(r.status, r.out).toBe(0);
  }, 600_000);

  it("lcov tracefile equals lcov 1.16's, MC/DC records lcov 2's", () => {
    const r = sh(['scripts/check-lcov.sh', obj, `${GCC15}/gcov-15`, 'tcl', '--mcdc']);
    expect(r.out).toMatch(/tcl: lcov tracefile identical to lcov 1\.16's \(167 files/);
    expect(r.out).toMatch(/tcl: MC\/DC records identical to lcov 2's/);
    expect(count(r.out, /MCDC lines/)).toBeGreaterThan(40_000);
    expect(r.status, r.out).toBe(0);
  }, 900_000);

  it("Cobertura equals gcovr 5.2's (on gcov 15's text)", () => {
    const src = join(out, 'src/tcl8.6.13');
    const r = sh(['scripts/check-cobertura.sh', obj, `${GCC15}/gcov-15`, src, 'tcl']);
    expect(r.out).toMatch(/tcl: Cobertura identical to gcovr's/);
    expect(count(r.out, /lines,/)).toBeGreaterThan(50_000);
    expect(r.status, r.out).toBe(0);
  }, 600_000);
});

describe('JsonCpp 1.9.5, C++17, g++-12 -O0', () => {
  const obj = join(root, 'build/check-cpp/gxx12-O0/obj');

  it('builds (or reuses its build) and has run its tests', () => {
    const gcda = build('bench/cpp-program.sh', join(root, 'build/check-cpp/gxx12-O0'), {
      CXX: 'g++-12',
      CXX_OPT: '-O0',
    });
    expect(gcda).toBe(6);
  }, 600_000);

  it("gcov JSON of every object equals gcov-12's", () => {
    const r = sh(['scripts/check-gcov-json.sh', obj, 'gcov-12', 'jsoncpp']);
    expect(r.out).toMatch(/jsoncpp: 6 objects, .* compared; 0 differences/);
    expect(count(r.out, /functions/)).toBeGreaterThan(3000);
    expect(r.status, r.out).toBe(0);
  }, 300_000);

  it("lcov tracefile equals lcov 1.16's", () => {
    const r = sh(['scripts/check-lcov.sh', obj, 'gcov-12', 'jsoncpp']);
    expect(r.out).toMatch(/jsoncpp: lcov tracefile identical to lcov 1\.16's/);
    expect(r.status, r.out).toBe(0);
  }, 300_000);

  it("Cobertura equals gcovr 5.2's (template sections and calls counted as gcovr reads gcov's text)", () => {
    const src = join(root, 'build/check-cpp/gxx12-O0/src/jsoncpp-1.9.5');
    const r = sh(['scripts/check-cobertura.sh', obj, 'gcov-12', src, 'jsoncpp']);
    expect(r.out).toMatch(/jsoncpp: Cobertura identical to gcovr's/);
    expect(count(r.out, /functions\)/)).toBeGreaterThan(900);
    expect(r.status, r.out).toBe(0);
  }, 300_000);
});

describe('JsonCpp 1.9.5, C++17, g++-15 -O0 -fcondition-coverage', () => {
  const out = join(root, 'build/check-cpp/gxx15-O0c');
  const obj = join(out, 'obj');
  const gcov = `${GCC15}/gcov-15`;

  it('builds (or reuses its build) and has run its tests', () => {
    const gcda = build('bench/cpp-program.sh', out, {
      CXX: `${GCC15}/g++-15`,
      CXX_OPT: '-O0 -fcondition-coverage',
    });
    expect(gcda).toBe(6);
  }, 600_000);

  it("gcov JSON of every object equals gcov-15's, conditions included", () => {
    const r = sh(['scripts/check-gcov-json.sh', obj, gcov, 'jsoncpp15']);
    expect(r.out).toMatch(/jsoncpp15: 6 objects, .* compared; 0 differences/);
    expect(count(r.out, /conditions compared/)).toBeGreaterThan(2000);
    expect(r.status, r.out).toBe(0);
  }, 300_000);

  it("lcov tracefile equals lcov 1.16's, MC/DC records lcov 2's", () => {
    const r = sh(['scripts/check-lcov.sh', obj, gcov, 'jsoncpp15', '--mcdc']);
    expect(r.out).toMatch(/jsoncpp15: lcov tracefile identical to lcov 1\.16's/);
    expect(count(r.out, /MCDC lines/)).toBeGreaterThan(3000);
    expect(r.status, r.out).toBe(0);
  }, 600_000);

  it("Cobertura equals gcovr 5.2's (gcov 15's text: groups ending on a line without code)", () => {
    const r = sh(['scripts/check-cobertura.sh', obj, gcov, join(out, 'src/jsoncpp-1.9.5'), 'jsoncpp15']);
    expect(r.out).toMatch(/jsoncpp15: Cobertura identical to gcovr's/);
    expect(count(r.out, /functions\)/)).toBeGreaterThan(900);
    expect(r.status, r.out).toBe(0);
  }, 300_000);
});

describe('gawk 5.2.1, gcc-12 -O2: bison output, objects in two folders, a probe without its source', () => {
  const out = join(root, 'build/check-gawk/gcc12-O2');
  const obj = join(out, 'obj');
  const src = join(out, 'src/gawk-5.2.1');

  it('builds (or reuses its build) and has run its workload', () => {
    const gcda = build('bench/gawk-program.sh', out, { CC: 'gcc-12', GAWK_OPT: '-O2' });
    expect(gcda).toBeGreaterThan(20);
  }, 900_000);

  it("gcov JSON of every object (support/ included) equals gcov-12's", () => {
    const r = sh(['scripts/check-gcov-json.sh', obj, 'gcov-12', 'gawk']);
    expect(r.out).toMatch(/gawk: 36 objects, .* compared; 0 differences/);
    expect(count(r.out, /lines,/)).toBeGreaterThan(20_000);
    expect(r.status, r.out).toBe(0);
  }, 300_000);

  it("lcov tracefile equals lcov 1.16's", () => {
    const r = sh(['scripts/check-lcov.sh', obj, 'gcov-12', 'gawk']);
    expect(r.out).toMatch(/gawk: lcov tracefile identical to lcov 1\.16's/);
    expect(count(r.out, /lines,/)).toBeGreaterThan(20_000);
    expect(r.status, r.out).toBe(0);
  }, 300_000);

  it("Cobertura equals gcovr 5.2's (awkgram.y found under the root, the probe left out)", () => {
    const r = sh(['scripts/check-cobertura.sh', obj, 'gcov-12', src, 'gawk']);
    expect(r.out).toMatch(/gawk: Cobertura identical to gcovr's/);
    expect(count(r.out, /lines,/)).toBeGreaterThan(20_000);
    expect(r.status, r.out).toBe(0);
  }, 300_000);
});
