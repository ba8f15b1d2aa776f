/**
 * The engine test programs (test/helpers/engine-builds.ts: edge.c, edge.cpp and flow.cpp by
 * every x86-64 GCC at -O0 and -O2) through the peers: `hvcov report --lcov` against Debian's
 * lcov 1.16 (and, with -fcondition-coverage, its MC/DC records against lcov 2's), and
 * `hvcov report --cobertura` against gcovr 5.2, with scripts/check-lcov.sh and
 * scripts/check-cobertura.sh on the build folder. The expected output is what those tools
 * write in this run; each script exits 1 and prints the first differences.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAndRun, engineBuilds } from '../helpers/engine-builds';

const root = mkdtempSync(join(tmpdir(), 'hvcov-engine-peers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function script(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('bash', args, { cwd: process.cwd(), encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('engine test programs: lcov and Cobertura equal the peers', () => {
  for (const [i, b] of engineBuilds.entries()) {
    it(b.name, () => {
      const dir = join(root, String(i));
      buildAndRun(b, dir);
      const mcdc = b.flags.includes('-fcondition-coverage');
      const lcov = script(['scripts/check-lcov.sh', dir, b.gcov, 'prog', ...(mcdc ? ['--mcdc'] : [])]);
      expect(lcov.out).toMatch(/prog: lcov tracefile identical to lcov 1\.16's \(\d+ files, [1-9]\d* lines/);
      if (mcdc)
        expect(lcov.out).toMatch(/prog: MC\/DC records identical to lcov 2's \([1-9]\d* MCDC lines\)/);
      expect(lcov.status, lcov.out).toBe(0);
      const cobertura = script(['scripts/check-cobertura.sh', dir, b.gcov, dir, 'prog']);
      expect(cobertura.out).toMatch(
        /prog: Cobertura identical to gcovr's \([1-9]\d* lines, [1-9]\d* functions\)/,
      );
      expect(cobertura.status, cobertura.out).toBe(0);
    });
  }
});
