/**
 * A function's prime path coverage as gcov-15 --prime-paths prints it in its JSON: the
 * number of paths, the bits set in the path counters, and each path not covered with its
 * blocks, their source lines and the kind of arc taken to the next block.
 */
import type { InputError } from '../gcov/errors';
import { ARC_FLAG } from '../gcov/gcno';
import { PRIME_PATH_LIMITS, primePaths, type PrimePathLimits, type PrimePathPool } from '../gcov/prime-paths';
import { ARC_STATE } from '../gcov/solve';
import type { FunctionCoverage } from './coverage';

export interface GcovJsonPathLocation {
  file: string;
  line_numbers: number[];
}

export interface GcovJsonPathStep {
  block_id: number;
  locations: GcovJsonPathLocation[];
  edge_kind: string;
}

export interface GcovJsonPrimePath {
  id: number;
  sequence: GcovJsonPathStep[];
}

export interface PrimePathJson {
  total_prime_paths: number;
  covered_prime_paths: number;
  prime_path_coverage: GcovJsonPrimePath[];
}

const popcount = (v: bigint): number => {
  let n = 0;
  for (; v > 0n; v >>= 1n) if (v & 1n) n++;
  return n;
};

/** Bits set in the path counters (gcov counts every bit of every word, as read). */
export const coveredPaths = (words: readonly bigint[]): number => words.reduce((n, v) => n + popcount(v), 0);

/**
 * gcov's word for the arc from `src` to `dst` (the first such arc in .gcno order). gcov-15
 * tests the false flag where it means the true one, so a false arc shows "true" and a true
 * arc shows nothing (or "fallthru"); this mirrors it.
 */
function edgeKind(f: FunctionCoverage, src: number, dst: number): string {
  const { arcs, arcState, succ, succStart } = f.solved;
  let first = -1;
  for (let p = succStart[src]!; p < succStart[src + 1]!; p++) {
    const k = succ[p]!;
    if (arcs[3 * k + 1] === dst && (first < 0 || k < first)) first = k;
  }
  if (first < 0) return '';
  const flags = arcs[3 * first + 2]!;
  if (flags & ARC_FLAG.FALSE) return 'true';
  if (flags & ARC_FLAG.FALLTHROUGH) return 'fallthru';
  if (arcState[first]! & ARC_STATE.THROW) return 'throw';
  return '';
}

function locations(
  f: FunctionCoverage,
  b: number,
  sourceName: (name: string) => string,
): GcovJsonPathLocation[] {
  const { lineStart, lineTable, lineFiles } = f.gcno;
  const out: GcovJsonPathLocation[] = [];
  for (let p = lineStart[b]!, end = lineStart[b + 1]!; p < end;) {
    const file = sourceName(lineFiles[lineTable[p]!]!);
    const k = lineTable[p + 1]!;
    // gcov sorts each location's lines
    if (k > 0) out.push({ file, line_numbers: Array.from(lineTable.slice(p + 2, p + 2 + k).sort()) });
    p += 2 + k;
  }
  return out;
}

/**
 * The prime path fields of one function. `words` are its path counters (empty without
 * data). A function gcc did not instrument for paths has none; one whose paths pass the
 * limits gets none either, and the problem is pushed to `problems`.
 */
export function primePathJson(
  f: FunctionCoverage,
  words: readonly bigint[],
  exitBlock: number,
  notesFile: string,
  problems: InputError[] | undefined,
  pool?: PrimePathPool,
  limits: PrimePathLimits = PRIME_PATH_LIMITS,
  /** gcov's name of a source name in the notes (ObjectCoverage.sourceName). */
  sourceName: (name: string) => string = (name) => name,
): PrimePathJson {
  const covered = coveredPaths(words);
  const none = { total_prime_paths: 0, covered_prime_paths: covered, prime_path_coverage: [] };
  if (f.gcno.paths === 0) return none;
  const paths = primePaths(
    { blockCount: f.gcno.blockCount, arcs: f.gcno.arcs, entry: 0, exit: exitBlock },
    notesFile,
    f.name,
    limits,
    pool,
  );
  if (!Array.isArray(paths)) {
    problems?.push(paths);
    return none;
  }
  const uncovered: GcovJsonPrimePath[] = [];
  paths.forEach((path, id) => {
    const word = words[Math.floor(id / 64)] ?? 0n;
    if ((word >> BigInt(id % 64)) & 1n) return;
    uncovered.push({
      id,
      sequence: Array.from(path, (b, i) => ({
        block_id: b,
        locations: locations(f, b, sourceName),
        edge_kind: i + 1 < path.length ? edgeKind(f, b, path[i + 1]!) : '',
      })),
    });
  });
  return { total_prime_paths: paths.length, covered_prime_paths: covered, prime_path_coverage: uncovered };
}
