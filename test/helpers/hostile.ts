/**
 * A real program whose directory and file names, #line file names, comments, strings and
 * (C++) function names carry HTML and script: built with gcc --coverage and run in the
 * test, so its .gcno/.gcda are real. Each payload, were it ever treated as markup, sets
 * window.__pwned or calls alert(), which the browser tests watch for.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { walkFiles } from './fixtures';

export const PAYLOADS = {
  dir: 'javascript:window.__pwned=1',
  subdir: '"><svg onload=window.__pwned=2>',
  cFile: '<img src=x onerror=window.__pwned=3>.c',
  cppFile: '${window.__pwned=4}<b>.cpp',
  object: "<svg onload=alert('o')>",
  lineFile: '</script><script>window.__pwned=5</script>.h',
} as const;

/** Text planted in comments and strings, and names that appear in the report. */
export const SOURCE_MARKERS = [
  '</script><script>window.__pwned=6</script>',
  '<img src=x onerror=alert(7)>',
  "'><svg/onload=window.__pwned=8>",
  '${alert(9)}',
  '<!-- ]]> <textarea>',
] as const;

const C_SOURCE = `/* ${SOURCE_MARKERS[0]} */
#include <stdio.h>
int cxx_part(int);
// ${SOURCE_MARKERS[1]}
static int shout(int n)
{
  if (n > 2)
    puts("${SOURCE_MARKERS[2]}");
  else
    puts("${SOURCE_MARKERS[3]}");
  return n * 2;
}
#line 1 "${PAYLOADS.lineFile}"
static int from_the_header(int n)
{
  return n + 1;
}
#line 20 "${PAYLOADS.cFile}"
int main(int argc, char **argv)
{
  /* ${SOURCE_MARKERS[4]} */
  (void)argv;
  int s = 0;
  for (int i = 0; i < 4; i++)
    s += shout(i);
  s += from_the_header(argc);
  return cxx_part(s) == 12345 ? 1 : 0;
}
`;

// operator< and a template: demangled names with angle brackets
const CPP_SOURCE = `// ${SOURCE_MARKERS[1]}
template <class T> struct Box { T v; };
template <class T> bool operator<(Box<T> a, Box<T> b) { return a.v < b.v; }
extern "C" int cxx_part(int n)
{
  Box<int> a{n}, b{3};
  return a < b ? 1 : 2;
}
`;

export interface HostileBuild {
  /** The folder a user would drop: the program's directory tree. */
  readonly root: string;
  /** Every file under root, relative paths and bytes (.c, .cpp, .gcno, .gcda). */
  readonly files: { path: string; bytes: Uint8Array }[];
  /** The C++ functions with an angle bracket in their name, as `nm -C` demangles them. */
  readonly angled: string[];
}

/** Builds and runs the program under `work/root`. */
export function buildHostile(work: string, gcc = 'gcc-12', gxx = 'g++-12'): HostileBuild {
  const root = join(work, 'root');
  const dir = join(root, PAYLOADS.dir, PAYLOADS.subdir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, PAYLOADS.cFile), C_SOURCE);
  writeFileSync(join(dir, PAYLOADS.cppFile), CPP_SOURCE);
  const cObj = `${PAYLOADS.object}.o`;
  execFileSync(gcc, ['--coverage', '-O0', '-c', PAYLOADS.cFile, '-o', cObj], { cwd: dir });
  execFileSync(gxx, ['--coverage', '-O0', '-c', PAYLOADS.cppFile, '-o', 'cxx.o'], { cwd: dir });
  execFileSync(gxx, ['--coverage', cObj, 'cxx.o', '-o', 'prog'], { cwd: dir });
  execFileSync(join(dir, 'prog'), [], { cwd: dir });
  const files = walkFiles(root)
    .filter((f) => /\.(c|cpp|gcno|gcda)$/.test(f))
    .map((f) => ({
      path: f.slice(root.length + 1),
      bytes: new Uint8Array(readFileSync(f)),
    }));
  const angled = execFileSync('nm', ['-C', '--defined-only', 'cxx.o'], { cwd: dir, encoding: 'utf8' })
    .split('\n')
    .map((l) => l.replace(/^\S+ \S /, ''))
    .filter((n) => n.includes('<'));
  return { root, files, angled };
}
