/**
 * The coverage engine on control flow the fixture hypervisor lacks (loops on one line,
 * functions sharing a line, setjmp/longjmp, noreturn, switch fall-through, inlined
 * header code, C++ exceptions, templates, destructors on every way out, conditions in
 * C++, library code counted in libstdc++'s headers): each program in test/fixtures/engine/ is
 * built with every x86-64 GCC (gcc for edge.c, g++ for edge.cpp and flow.cpp) at -O0 and -O2, with
 * -fcondition-coverage from GCC 14 and -fpath-coverage from 15, run, and our JSON must
 * equal what that compiler's `gcov --json-format --stdout --branch-probabilities` prints
 * (and with `--conditions`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGcda } from '../../src/gcov/gcda-reader';
import { readGcno } from '../../src/gcov/gcno';
import { computeCoverage } from '../../src/model/coverage';
import { gcovJsonFiles, type GcovJsonFile } from '../../src/model/gcov-json';
import { buildAndRun, engineBuilds } from '../helpers/engine-builds';

const root = mkdtempSync(join(tmpdir(), 'hvcov-engine-programs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('coverage engine on compiled edge cases', () => {
  for (const [i, b] of engineBuilds.entries()) {
    it(b.name, () => {
      const dir = join(root, String(i));
      buildAndRun(b, dir);
      const gcno = readGcno(new Uint8Array(readFileSync(join(dir, 'prog.gcno'))), 'prog.gcno');
      const gcda = readGcda(new Uint8Array(readFileSync(join(dir, 'prog.gcda'))), 'prog.gcda');
      const cov = computeCoverage(gcno, gcda, 'prog.gcda');
      // with -fcondition-coverage, also gcov's --conditions output
      for (const conditions of b.flags.includes('-fcondition-coverage') ? [false, true] : [false]) {
        const ref = JSON.parse(
          execFileSync(
            b.gcov,
            [
              '--json-format',
              '--stdout',
              '--branch-probabilities',
              ...(conditions ? ['--conditions'] : []),
              'prog.gcda',
            ],
            { cwd: dir, encoding: 'utf8' },
          ),
        ) as { format_version: string; files: GcovJsonFile[] };
        const demangled = new Map<string, string>();
        for (const f of ref.files) for (const fn of f.functions) demangled.set(fn.name, fn.demangled_name);
        const files = gcovJsonFiles(cov, { demangle: (n) => demangled.get(n) ?? n, conditions });
        expect(gcno.format.jsonFormat).toBe(ref.format_version);
        expect(files).toEqual(ref.files);
      }
    });
  }
});
