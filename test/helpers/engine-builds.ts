/**
 * The engine test programs (test/fixtures/engine/) as built by every x86-64 GCC: gcc for
 * edge.c, g++ for edge.cpp and flow.cpp, each at -O0 and -O2, -fcondition-coverage from
 * GCC 14 and -fpath-coverage from 15. Shared by the gcov JSON test (engine-programs) and
 * the lcov / gcovr one (engine-peers).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { gccTool } from './gcc-tools';

export const ENGINE_SRC = join(process.cwd(), 'test/fixtures/engine');

export interface EngineBuild {
  name: string;
  major: number;
  compiler: string;
  gcov: string;
  flags: string[];
  source: string;
}

export const engineBuilds: EngineBuild[] = [];
for (const [tool, source] of [
  ['gcc', 'edge.c'],
  ['g++', 'edge.cpp'],
  ['g++', 'flow.cpp'],
] as const)
  for (const major of [9, 10, 11, 12, 13, 14, 15])
    for (const opt of ['-O0', '-O2']) {
      const extra =
        major >= 15
          ? ['-fcondition-coverage', '-fpath-coverage']
          : major === 14
            ? ['-fcondition-coverage']
            : [];
      engineBuilds.push({
        name: `${tool}${major} ${opt} ${source}`,
        major,
        compiler: gccTool(major, tool),
        gcov: gccTool(major, 'gcov'),
        flags: [opt, ...extra, ...(tool === 'g++' ? ['-std=gnu++17'] : [])],
        source,
      });
    }

/** Compiles, links and runs the build in `dir`: prog.gcno and prog.gcda there, beside the source. */
export function buildAndRun(b: EngineBuild, dir: string): void {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(ENGINE_SRC, b.source), join(dir, b.source));
  for (const h of ['edge.h', 'flow.h']) copyFileSync(join(ENGINE_SRC, h), join(dir, h));
  execFileSync(b.compiler, ['--coverage', '-g0', ...b.flags, '-c', b.source, '-o', 'prog.o'], { cwd: dir });
  execFileSync(b.compiler, ['--coverage', 'prog.o', '-o', 'prog'], { cwd: dir });
  execFileSync(join(dir, 'prog'), [], { cwd: dir });
}
