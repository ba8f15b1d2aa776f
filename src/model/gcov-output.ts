/**
 * Facts about what each release's gcov prints, as data (the file formats' facts are in
 * gcov/format.ts; these belong there once that file is free to change). The last entry
 * whose first release is <= the version applies.
 */
import { atLeast, type GccVersion } from '../gcov/version';

export interface GcovOutputFacts {
  readonly firstMajor: number;
  /**
   * A line's function_name is the innermost function whose range contains it (gcov 11+);
   * before, the last function that started above it, even after that function's end
   * (lines of a function inlined everywhere and dropped keep the name of the one before).
   */
  readonly namesEndAtEndLine: boolean;
}

const OUTPUT: readonly GcovOutputFacts[] = [
  { firstMajor: 0, namesEndAtEndLine: false },
  { firstMajor: 11, namesEndAtEndLine: true },
];

export function outputFactsFor(v: GccVersion): GcovOutputFacts {
  let found = OUTPUT[0]!;
  for (const f of OUTPUT) if (atLeast(v, f.firstMajor)) found = f;
  return found;
}
