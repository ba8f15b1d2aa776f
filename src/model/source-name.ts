/**
 * Source names as gcov prints them. gcov rewrites every source name of a .gcno before it
 * uses it: `.` components and repeated `/` go, and a `dir/..` pair goes only when the file
 * system says so (stat() of the name so far succeeds, following symbolic links; checked
 * from gcov's working directory for a relative name). A `..` that stays marks a floor no
 * later `..` climbs over. Found by experiment with gcov 9, 12, 14 and 15
 * (test/conformance/source-names.test.ts), which all behave alike, quirks included:
 * `/top/../x` becomes the relative `x`.
 */

/**
 * Whether stat() succeeds on an absolute path (a directory, a file, or a symbolic link to
 * one that exists). Undefined where there is no file system (the app): no `..` is elided,
 * as gcov does when the directories are missing.
 */
export type PathExists = (absPath: string) => boolean;

/**
 * gcov's name for a source name read from a .gcno. `cwd` is the directory a relative name
 * is checked from: the compile directory recorded in the .gcno, where gcov is run.
 */
export function gcovSourceName(
  name: string,
  exists: PathExists | undefined,
  cwd: string | undefined,
): string {
  let out = '';
  // no `..` removes anything below this length of `out`
  let floor = 0;
  let sep = false;
  let i = 0;
  while (i < name.length) {
    let j = name.indexOf('/', i);
    if (j < 0) j = name.length;
    const seg = name.slice(i, j);
    if (seg === '.') {
      // dropped
    } else if (seg === '..' && out.length > floor && exists !== undefined && isThere(out, exists, cwd)) {
      let p = out.length;
      while (p !== floor && out[p] !== '/') p--;
      out = out.slice(0, p);
      sep = p !== 0;
    } else {
      if (seg === '..') floor = out.length + (sep ? 3 : 2);
      if (sep) out += '/';
      out += seg;
      sep = true;
    }
    i = j;
    while (name[i] === '/') i++;
  }
  return out;
}

function isThere(path: string, exists: PathExists, cwd: string | undefined): boolean {
  if (path.startsWith('/')) return exists(path);
  if (cwd === undefined || !cwd.startsWith('/')) return false;
  return exists(cwd.endsWith('/') ? cwd + path : `${cwd}/${path}`);
}

/** A memo of gcovSourceName per raw name, for one object (gcov looks each name up once). */
export function sourceNamer(
  exists: PathExists | undefined,
  cwd: string | undefined,
): (name: string) => string {
  const seen = new Map<string, string>();
  return (name) => {
    let n = seen.get(name);
    if (n === undefined) seen.set(name, (n = gcovSourceName(name, exists, cwd)));
    return n;
  };
}
