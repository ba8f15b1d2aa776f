/** The build machine's file system for gcov's source names (see src/model/source-name.ts). */
import { statSync } from 'node:fs';
import type { PathExists } from '../model/source-name';

/** stat() succeeds (following symbolic links), as gcov checks it; memoised per path. */
export function fileSystemPathExists(): PathExists {
  const seen = new Map<string, boolean>();
  return (path) => {
    let there = seen.get(path);
    if (there === undefined) {
      try {
        there = statSync(path, { throwIfNoEntry: false }) !== undefined;
      } catch {
        // EACCES, ENOTDIR, ELOOP...: gcov's stat() fails, so the name stays
        there = false;
      }
      seen.set(path, there);
    }
    return there;
  };
}
