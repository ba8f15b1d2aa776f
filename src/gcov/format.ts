/**
 * The facts of each GCC release's coverage format, as data. Everything that differs
 * between versions is looked up here; no other module compares version numbers.
 */
import { atLeast, decodeVersion, type GccVersion } from './version';

/** How libgcov combines a counter kind across runs; also how it is written. */
export type MergeKind = 'add' | 'single' | 'delta' | 'ior' | 'time_profile' | 'icall_topn' | 'topn';

export interface CounterKind {
  /** gcov's name for the kind (gcov-dump prints it). */
  readonly name: string;
  readonly merge: MergeKind;
}

export type SummaryForm = 'program' | 'program-histogram' | 'object';

export interface GcovFormat {
  readonly firstMajor: number;
  readonly firstMinor: number;
  /** Counter kinds in merge[] order; their count is GCOV_COUNTERS for the release. */
  readonly counters: readonly CounterKind[];
  /** gcov_info has a checksum word after the stamp, and .gcda/.gcno headers carry it. */
  readonly infoChecksum: boolean;
  /** Record lengths count bytes (GCC >= 12) instead of 32-bit words. */
  readonly lengthInBytes: boolean;
  readonly summary: SummaryForm;
  /** An all-zero counter record is written as a negative length and no payload. */
  readonly zeroCompaction: boolean;
  /** TOPN and indirect-call counters are (total, n, list pointer) with gcov_kvp lists in memory. */
  readonly kvpLists: boolean;
  /** .gcno strings carry their byte length (with the NUL) and no padding. */
  readonly byteStrings: boolean;
  /** EXIT is block 1 (GCC >= 4.8) rather than the last block. */
  readonly exitBlockOne: boolean;
  /** .gcno header: unexecuted-blocks flag (8+), cwd string (9+). */
  readonly gcnoUnexecutedFlag: boolean;
  readonly gcnoCwd: boolean;
  /** .gcno FUNCTION record: artificial, start column, end line (8+), end column (9+). */
  readonly fnArtificialAndRange: boolean;
  readonly fnEndColumn: boolean;
  /** gcov JSON format_version. */
  readonly jsonFormat: '1' | '2';
  /**
   * How gcov prints JSON numbers: 'printf-g' as C's %g, 6 significant digits (gcov 9:
   * every JSON number a double); 'integer' exactly (GCC 10+, and before 9, which has no JSON).
   */
  readonly jsonNumbers: 'printf-g' | 'integer';
  /**
   * gcov's line function_name is the innermost function whose range holds the line (11+);
   * before, the last function that started above it, even past that function's end.
   */
  readonly namesEndAtEndLine: boolean;
  /**
   * The object summary `gcov-tool merge` writes: 'add' sums runs and sum_max (GCC 11+);
   * 'recompute' writes runs = 1 and sum_max = the largest arcs counter of the whole merged
   * profile, as on a first run (GCC 9 and 10).
   */
  readonly mergedSummary: 'add' | 'recompute';
  /**
   * gcov reads the files through stdio and a read past the end is an error (13+): the notes
   * are "corrupted" there. Before, its own buffer reads zeros past the end, with no error.
   */
  readonly overreadIsError: boolean;
  /**
   * gcov's table of a source's lines reaches every function's end_line (15+), not only the
   * last line with code: text mode then treats a closing line without code (`}` of a function
   * returning a reference) like any other, so a group of functions ending there still gets
   * its sections printed. Before, lines past the last with code are printed bare, and such a
   * group gets none.
   */
  readonly linesToFunctionEnd: boolean;
  /**
   * gcov's demangler (libiberty) made a closure type a substitution of its own (up to GCC 10;
   * checked with 9 and 10, assumed for 4.7-8), so it prints other names for the later S<n>_
   * of names with lambdas (see DemangleOptions).
   */
  readonly demanglerClosureSubstitution: boolean;
}

const k = (name: string, merge: MergeKind): CounterKind => ({ name, merge });
const ARCS = k('arcs', 'add');
const INTERVAL = k('interval', 'add');
const POW2 = k('pow2', 'add');
const SINGLE = k('single', 'single');
const DELTA = k('delta', 'delta');
const INDIRECT_SINGLE = k('indirect_call', 'single');
const AVERAGE = k('average', 'add');
const IOR = k('ior', 'ior');
const TIME = k('time_profiler', 'time_profile');
const ICALL_TOPN = k('indirect_call_topn', 'icall_topn');
const TOPN = k('topn', 'topn');
const INDIRECT_TOPN = k('indirect_call', 'topn');
const CONDITIONS = k('conditions', 'ior');
const PATHS = k('paths', 'ior');

const KINDS_47 = [ARCS, INTERVAL, POW2, SINGLE, DELTA, INDIRECT_SINGLE, AVERAGE, IOR];
const KINDS_49 = [...KINDS_47, TIME];
const KINDS_5 = [...KINDS_49, ICALL_TOPN];
const KINDS_7 = [ARCS, INTERVAL, POW2, SINGLE, INDIRECT_SINGLE, AVERAGE, IOR, TIME, ICALL_TOPN];
const KINDS_10 = [ARCS, INTERVAL, POW2, TOPN, INDIRECT_TOPN, AVERAGE, IOR, TIME];
const KINDS_14 = [...KINDS_10, CONDITIONS];
const KINDS_15 = [...KINDS_14, PATHS];

const base = {
  infoChecksum: false,
  lengthInBytes: false,
  summary: 'program-histogram',
  zeroCompaction: false,
  kvpLists: false,
  byteStrings: false,
  exitBlockOne: true,
  gcnoUnexecutedFlag: false,
  gcnoCwd: false,
  fnArtificialAndRange: false,
  fnEndColumn: false,
  jsonFormat: '1',
  jsonNumbers: 'integer',
  mergedSummary: 'recompute',
  namesEndAtEndLine: false,
  overreadIsError: false,
  linesToFunctionEnd: false,
  demanglerClosureSubstitution: true,
} as const;

/** Ordered by first release; the last entry whose first release is <= the version applies. */
const ERAS: readonly GcovFormat[] = [
  { ...base, firstMajor: 4, firstMinor: 7, counters: KINDS_47, summary: 'program', exitBlockOne: false },
  { ...base, firstMajor: 4, firstMinor: 8, counters: KINDS_47 },
  { ...base, firstMajor: 4, firstMinor: 9, counters: KINDS_49 },
  { ...base, firstMajor: 5, firstMinor: 0, counters: KINDS_5 },
  { ...base, firstMajor: 7, firstMinor: 0, counters: KINDS_7 },
  {
    ...base,
    firstMajor: 8,
    firstMinor: 0,
    counters: KINDS_7,
    gcnoUnexecutedFlag: true,
    fnArtificialAndRange: true,
  },
  {
    ...base,
    firstMajor: 9,
    firstMinor: 0,
    counters: KINDS_7,
    summary: 'object',
    gcnoUnexecutedFlag: true,
    gcnoCwd: true,
    fnArtificialAndRange: true,
    fnEndColumn: true,
    jsonNumbers: 'printf-g',
  },
];
const MODERN = ERAS[ERAS.length - 1]!;
const ERAS_ALL: readonly GcovFormat[] = [
  ...ERAS,
  { ...MODERN, firstMajor: 10, firstMinor: 0, counters: KINDS_10, jsonNumbers: 'integer' },
  {
    ...MODERN,
    firstMajor: 11,
    firstMinor: 0,
    counters: KINDS_10,
    jsonNumbers: 'integer',
    zeroCompaction: true,
    kvpLists: true,
    mergedSummary: 'add',
    namesEndAtEndLine: true,
    demanglerClosureSubstitution: false,
  },
  {
    ...MODERN,
    firstMajor: 12,
    firstMinor: 0,
    counters: KINDS_10,
    jsonNumbers: 'integer',
    zeroCompaction: true,
    kvpLists: true,
    infoChecksum: true,
    lengthInBytes: true,
    byteStrings: true,
    mergedSummary: 'add',
    namesEndAtEndLine: true,
    demanglerClosureSubstitution: false,
  },
];
const V12 = ERAS_ALL[ERAS_ALL.length - 1]!;
const FORMATS: readonly GcovFormat[] = [
  ...ERAS_ALL,
  { ...V12, firstMajor: 13, firstMinor: 0, overreadIsError: true },
  { ...V12, firstMajor: 14, firstMinor: 0, counters: KINDS_14, jsonFormat: '2', overreadIsError: true },
  {
    ...V12,
    firstMajor: 15,
    firstMinor: 0,
    counters: KINDS_15,
    jsonFormat: '2',
    overreadIsError: true,
    linesToFunctionEnd: true,
  },
];

/** The newest release whose format we know; a later version word is refused, not guessed. */
export const NEWEST_KNOWN_MAJOR = 15;

export function formatFor(v: GccVersion): GcovFormat | undefined {
  if (v.major > NEWEST_KNOWN_MAJOR || !atLeast(v, 4, 7)) return undefined;
  let found: GcovFormat | undefined;
  for (const f of FORMATS) if (atLeast(v, f.firstMajor, f.firstMinor)) found = f;
  return found;
}

/** A version word as decodeVersion and formatFor read it. */
export interface Release {
  readonly version: GccVersion | undefined;
  readonly format: GcovFormat | undefined;
}

/** Known version words, decoded once: extraction and its self-check meet one word thousands of times. */
const RELEASES = new Map<number, Release>();

/**
 * decodeVersion and formatFor of a version word. Only words of a known format are kept (so
 * damaged or hostile input cannot grow the cache).
 */
export function releaseOf(word: number): Release {
  const known = RELEASES.get(word);
  if (known !== undefined) return known;
  const version = decodeVersion(word);
  const release = { version, format: version ? formatFor(version) : undefined };
  if (release.format) RELEASES.set(word, release);
  return release;
}

/** Tags shared by .gcno and .gcda. */
export const TAG = {
  FUNCTION: 0x01000000,
  BLOCKS: 0x01410000,
  ARCS: 0x01430000,
  LINES: 0x01450000,
  CONDS: 0x01470000,
  PATHS: 0x01490000,
  COUNTER_BASE: 0x01a10000,
  OBJECT_SUMMARY: 0xa1000000,
  PROGRAM_SUMMARY: 0xa3000000,
} as const;

export const MAGIC = { GCDA: 0x67636461, GCNO: 0x67636e6f } as const;

export const counterTag = (kindIndex: number): number => (TAG.COUNTER_BASE + (kindIndex << 17)) >>> 0;
