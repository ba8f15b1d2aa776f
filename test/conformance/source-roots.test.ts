/**
 * Where relative source names point, against the peers, on a tree laid out the way real
 * builds are (test/fixtures/roots/): main.c compiled in src/ by its bare name, a parser whose
 * #line directives name "gram.c" and "gram.y" relative to the project's top while the
 * compiler runs in build/ (as bison's output does: gawk's awkgram.c), and a configure probe
 * whose source is gone. gcovr 5.2 is run with the project's top as its root, which is none
 * of the compile folders; lcov 1.16 (and lcov 2's MC/DC records) and gcov's JSON on the same
 * folder. The expected output is what those tools write in this run
 * (scripts/check-cobertura.sh, check-lcov.sh, check-gcov-json.sh).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gccTool } from '../helpers/gcc-tools';

const root = mkdtempSync(join(tmpdir(), 'hvcov-source-roots-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const SRC = join(process.cwd(), 'test/fixtures/roots');

function script(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('bash', args, { cwd: process.cwd(), encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The tree built and run by one GCC: objects in src/ and build/, the probe's source deleted. */
function buildTree(major: number, dir: string): void {
  cpSync(SRC, dir, { recursive: true });
  const gcc = gccTool(major, 'gcc');
  const flags = ['--coverage', '-O0', ...(major >= 14 ? ['-fcondition-coverage'] : [])];
  const build = join(dir, 'build');
  mkdirSync(build);
  execFileSync(gcc, [...flags, '-c', 'main.c'], { cwd: join(dir, 'src') });
  execFileSync(gcc, [...flags, '-c', '../gram.c'], { cwd: build });
  copyFileSync(join(dir, 'lib/conftest.c'), join(build, 'conftest.c'));
  execFileSync(gcc, [...flags, 'conftest.c', '-o', 'conftest'], { cwd: build });
  execFileSync(join(build, 'conftest'), [], { cwd: build });
  rmSync(join(build, 'conftest.c'));
  execFileSync(gcc, ['--coverage', '../src/main.o', 'gram.o', '-o', 'prog'], { cwd: build });
  execFileSync(join(build, 'prog'), [], { cwd: build });
}

describe('relative source names resolve where the peers find them', () => {
  for (const major of [9, 12, 15]) {
    it(`gcc-${major}`, () => {
      const dir = join(root, `gcc${major}`);
      buildTree(major, dir);
      const gcov = gccTool(major, 'gcov');

      const kept = join(root, `gcovr-${major}.xml`);
      const cobertura = script(['scripts/check-cobertura.sh', dir, gcov, dir, 'roots', kept]);
      expect(cobertura.out).toMatch(/roots: Cobertura identical to gcovr's \(38 lines, 6 functions\)/);
      expect(cobertura.status, cobertura.out).toBe(0);
      // gcovr found the parser's files under the root, main.c and its header in src/, and
      // left the probe out (gcov cannot open its source from any folder)
      const xml = readFileSync(kept, 'utf8');
      expect([...xml.matchAll(/filename="([^"]*)"/g)].map((m) => m[1])).toEqual([
        'gram.c',
        'gram.y',
        'src/main.c',
        'src/queue.h',
      ]);

      // the same data from a folder of its own (as `hvcov extract` writes it), which gcovr
      // cannot read: the folders are tried from each .gcno's, so the document is gcovr's
      const gcda = join(root, `gcda-${major}`);
      // (the probe's notes are conftest.gcno, a-conftest.gcno or conftest-conftest.gcno by GCC)
      const data = ['src', 'build'].flatMap((d) =>
        readdirSync(join(dir, d))
          .filter((f) => f.endsWith('.gcda'))
          .map((f) => `${d}/${f}`),
      );
      expect(data).toHaveLength(3);
      for (const rel of data) {
        mkdirSync(dirname(join(gcda, rel)), { recursive: true });
        copyFileSync(join(dir, rel), join(gcda, rel));
      }
      const ours = join(root, `hvcov-${major}.xml`);
      const r = spawnSync(
        process.execPath,
        ['bin/hvcov.cjs', 'report', '--build', dir, '--gcda', gcda, '--cobertura', ours, '--root', dir],
        { cwd: process.cwd(), encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(
        /note: --cobertura leaves build\/[a-z-]*conftest\.gcno out, as gcovr does: gcov cannot open its source conftest\.c from /,
      );
      const norm = (x: string) =>
        x
          .replace(/ timestamp="\d+"/, '')
          .replace(/ version="[^"]*"/, '')
          .replace(/<source>[^<]*<\/source>/, '');
      expect(norm(readFileSync(ours, 'utf8'))).toBe(norm(xml));

      const lcov = script(['scripts/check-lcov.sh', dir, gcov, 'roots', ...(major >= 14 ? ['--mcdc'] : [])]);
      expect(lcov.out).toMatch(/roots: lcov tracefile identical to lcov 1\.16's \(5 files, 40 lines/);
      if (major >= 14)
        expect(lcov.out).toMatch(/roots: MC\/DC records identical to lcov 2's \(18 MCDC lines\)/);
      expect(lcov.status, lcov.out).toBe(0);

      const json = script(['scripts/check-gcov-json.sh', dir, gcov, 'roots']);
      expect(json.out).toMatch(
        /roots: 3 objects, 5 file entries, 7 functions, 40 lines, \d+ conditions compared; 0 differences/,
      );
      expect(json.status, json.out).toBe(0);
    });
  }
});
