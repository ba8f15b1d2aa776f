/**
 * A small C program whose .gcno records source names with `..` in every situation gcov
 * treats differently (see src/model/source-name.ts), built with a real GCC and run:
 *
 * - `obj/../src/x.c`, the main source given so on the command line;
 * - `obj/../src/../inc/h.h`: `#include "../inc/h.h"` from it;
 * - `inc/../inc2/h2.h`: a plain directory before `..` (`-Iinc/../inc2`);
 * - `lnk/../inc3/h3.h`: `lnk` a symbolic link to `deep/sub` (the header is `deep/inc3/h3.h`);
 * - `gone/../inc4/h4.h`: `gone` removed after the build;
 * - `dang/../inc5/h5.h`: `dang` a link whose target is removed after the build;
 * - `/abs/build/../src/y.c`: an absolute name;
 * - `/<top>/../<top>/…/src/z.c`: a `..` right below the root;
 * - `../src/w.c` and `../src/../inc/h.h`, compiled in `obj/`: a leading `..`.
 *
 * x, y and z are compiled in the tree's root, w in obj/ (so gcov runs there for it).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gccTool } from './gcc-tools';

export function run(cmd: string, args: string[], cwd: string): { stdout: string; stderr: string } {
  const p = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (p.error) throw p.error;
  if (p.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${p.status}:\n${p.stderr}`);
  return { stdout: p.stdout, stderr: p.stderr };
}

const header = (name: string, k: number) =>
  `static inline int ${name}(int x) { if (x > ${k}) return x * ${k}; return x; }\n`;

const FILES: Record<string, string> = {
  'inc/h.h': header('h', 1),
  'inc2/h2.h': header('h2', 2),
  'deep/inc3/h3.h': header('h3', 3),
  'inc4/h4.h': header('h4', 4),
  'deep/inc5/h5.h': header('h5', 5),
  'src/x.c': [
    '#include "../inc/h.h"',
    '#include "h2.h"',
    '#include "h3.h"',
    '#include "h4.h"',
    '#include "h5.h"',
    'int y(int);',
    'int z(int);',
    'int w(int);',
    'int main(int argc, char **argv) {',
    '  (void)argv;',
    '  int s = h(argc) + h2(argc) + h3(argc) + h4(argc) + h5(argc);',
    '  return s + y(argc) + z(argc) + w(argc) == 0;',
    '}',
    '',
  ].join('\n'),
  'src/y.c': 'int y(int a) { return a > 2 ? a : a + 1; }\n',
  'src/z.c': 'int z(int a) { return a > 3 ? a : a + 2; }\n',
  'src/w.c': '#include "../inc/h.h"\nint w(int a) { return h(a) + 1; }\n',
};

export interface SourceNamesBuild {
  /** The tree's root (the compile directory of x, y and z). */
  dir: string;
  /** Each object's .gcda (relative to `dir`) and the directory it was compiled in. */
  objects: { gcda: string; cwd: string }[];
}

/** Builds (with gcc-`major` and `flags`) and runs the program in a new temporary folder. */
export function buildSourceNames(major: number, flags: string[] = []): SourceNamesBuild {
  const dir = mkdtempSync(join(tmpdir(), 'hvcov-dotdot-'));
  for (const [name, text] of Object.entries(FILES)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  for (const d of ['obj', 'build', 'gone', 'deep/sub', 'deep/gone'])
    mkdirSync(join(dir, d), { recursive: true });
  symlinkSync('deep/sub', join(dir, 'lnk'));
  symlinkSync('deep/gone', join(dir, 'dang'));
  const gcc = gccTool(major, 'gcc');
  const cc = ['--coverage', '-O0', '-g0', ...flags];
  const [, top] = dir.split('/');
  run(
    gcc,
    [
      ...cc,
      '-Iinc/../inc2',
      '-Ilnk/../inc3',
      '-Igone/../inc4',
      '-Idang/../inc5',
      '-c',
      'obj/../src/x.c',
      '-o',
      'obj/x.o',
    ],
    dir,
  );
  run(gcc, [...cc, '-c', join(dir, 'build') + '/../src/y.c', '-o', 'obj/y.o'], dir);
  run(gcc, [...cc, '-c', `/${top}/..${dir}/src/z.c`, '-o', 'obj/z.o'], dir);
  run(gcc, [...cc, '-c', '../src/w.c', '-o', 'w.o'], join(dir, 'obj'));
  run(gcc, ['--coverage', 'obj/x.o', 'obj/y.o', 'obj/z.o', 'obj/w.o', '-o', 'prog'], dir);
  run(join(dir, 'prog'), [], dir);
  rmSync(join(dir, 'gone'), { recursive: true });
  rmSync(join(dir, 'deep/gone'), { recursive: true });
  return {
    dir,
    objects: [
      { gcda: 'obj/x.gcda', cwd: dir },
      { gcda: 'obj/y.gcda', cwd: dir },
      { gcda: 'obj/z.gcda', cwd: dir },
      { gcda: 'obj/w.gcda', cwd: join(dir, 'obj') },
    ],
  };
}
