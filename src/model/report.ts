/**
 * One coverage model built from many objects: every .gcno of a build, each paired with
 * its .gcda (from files or straight from a core image), computed as gcov does and merged
 * per source file as lcov merges its tracefiles. The UI, the exports and the CLI only
 * read this model.
 */
import { pushAll } from '../gcov/push-all';
import { objectChecksum } from '../gcov/crc32';
import { newPrimePathPool, type PrimePathPool } from '../gcov/prime-paths';
import { InputError, isInputError } from '../gcov/errors';
import { checkGcda, type GcdaStamp } from '../gcov/gcda-reader';
import type { GcovFormat } from '../gcov/format';
import { readGcno, type Gcno } from '../gcov/gcno';
import { versionText } from '../gcov/version';
import { computeCoverageOfData, type ObjectCoverage } from './coverage';
import { pairRefusedData, unpairedData } from './damaged-data';
import { gcovJsonFiles, keepBranchNumbers, keptBranchNumbers, type GcovJsonFile } from './gcov-json';
import { packJson, unpackJson } from './packed-json';
import { sourceNamer, type PathExists } from './source-name';
import type { ExclusionSummary } from './apply-exclusions';
import type { Exclusion } from './exclusions';

export interface NotesInput {
  /** Path of the .gcno in the dropped build tree (relative or absolute). */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** The bytes read again (files on disk): lets streamGcovJson drop a parsed .gcno and parse it later. */
  readonly reload?: () => Uint8Array;
}

export interface DataInput {
  /** The .gcda path: the absolute build path recorded in an image, or a path in a folder. */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Where it came from: the image file name, or undefined for a .gcda file. */
  readonly image?: string;
  /** Target of the image, as the extraction described it (e.g. "32-bit little-endian (arm)"). */
  readonly target?: string;
}

export interface ReportOptions {
  /** gcov's demangled_name of a function (default: hvcov's Itanium demangler, as gcov prints it). */
  demangle?: (name: string) => string;
  /**
   * Directory that relative source names are resolved against (lcov's --base-directory);
   * default: the compile directory recorded in each .gcno.
   */
  sourceRoot?: string;
  /** Enumerate each function's prime paths for the gcov JSON, as gcov-15 --prime-paths. */
  primePaths?: boolean;
  /**
   * stat() on the build machine, for gcov's source names (`dir/..` elided only when `dir`
   * exists, see source-name.ts). The CLI gives it; without it every `..` is kept.
   */
  pathExists?: PathExists;
}

export interface Count {
  found: number;
  hit: number;
}

export interface Totals {
  lines: Count;
  functions: Count;
  branches: Count;
  conditions: Count;
}

export interface ReportFunction {
  readonly name: string;
  readonly demangledName: string;
  readonly startLine: number;
  readonly endLine: number;
  executionCount: number;
  blocks: number;
  blocksExecuted: number;
}

/** A branch outcome; `undefined` count: its block was never reached (lcov's `-`). */
export interface ReportBranch {
  count: number | undefined;
  readonly throw: boolean;
}

export interface ReportCondition {
  /** Outcomes: 2 per term. */
  readonly count: number;
  readonly notCoveredTrue: number[];
  readonly notCoveredFalse: number[];
}

export interface ReportLine {
  readonly lineNumber: number;
  count: number;
  /** Some block of the line was not executed (gcov's unexecuted_block, any object). */
  unexecutedBlock: boolean;
  /** Branches by position on the line, added over objects position by position, as lcov does. */
  readonly branches: ReportBranch[];
  conditions: ReportCondition[];
}

export interface ReportFile {
  /** Absolute, normalised source path. */
  readonly path: string;
  /** By start line, then first seen; one entry per name (lcov's key). */
  readonly functions: ReportFunction[];
  /** By line number. */
  readonly lines: ReportLine[];
  readonly totals: Totals;
  /** Set by applyExclusions: why lines (or their branches) are excluded, by line number. */
  readonly excluded?: ReadonlyMap<number, readonly Exclusion[]>;
  /** Set by applyExclusions: totals without the excluded code (`totals`: all code). */
  readonly afterExclusions?: Totals;
}

export interface ReportDirectory {
  readonly path: string;
  readonly totals: Totals;
  readonly afterExclusions?: Totals;
}

/** One .gcno and what was made of it. */
export interface ReportObject {
  readonly notes: string;
  /** The .gcda used, if one matched. */
  readonly data?: string;
  readonly image?: string;
  readonly target?: string;
  /** e.g. "12.2". */
  readonly gccVersion: string;
  /** Directory the object's relative source names resolve against. */
  readonly sourceRoot: string;
  /**
   * The layout of its GCC's files (how its gcov prints numbers, among others). Not the parsed
   * notes: the report keeps what the outputs need, so that the notes can go once computed.
   */
  readonly format: GcovFormat;
  /**
   * gcov's JSON document for this object, the way `gcov --json-format -b` prints it. Its
   * `files` are kept packed and made anew at each reading: read them once per pass.
   */
  readonly json: GcovJsonDocument;
}

export interface GcovJsonDocument {
  format_version: string;
  gcc_version: string;
  current_working_directory?: string;
  data_file: string;
  files: GcovJsonFile[];
}

export interface Report {
  readonly objects: ReportObject[];
  /** By path. */
  readonly files: ReportFile[];
  /** By path; each holds the totals of the files directly in it. */
  readonly directories: ReportDirectory[];
  readonly totals: Totals;
  /** Per input file: what could not be read or matched; everything else is reported. */
  readonly problems: InputError[];
  /** Set by applyExclusions. */
  readonly afterExclusions?: Totals;
  readonly exclusions?: ExclusionSummary;
  /** Per function: counters that contradict the flow graph (code 'flow-conservation'). */
  readonly flow: InputError[];
}

// ---------------------------------------------------------------------------------------
// Paths

/**
 * Path segments with `.` and empty segments dropped and `..` resolved; a `..` that would
 * climb above the start is kept only for relative paths (it cannot be matched anyway).
 */
export function pathSegments(path: string): string[] {
  const out: string[] = [];
  for (const seg of path.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out.at(-1) !== '..') out.pop();
    else out.push(seg);
  }
  return out;
}

/** An absolute path, normalised the way lcov writes it: `//`, `.` and `..` resolved. */
export function normalisePath(path: string, base = '/'): string {
  const segs = pathSegments(path.startsWith('/') ? path : `${base}/${path}`);
  let i = 0;
  while (segs[i] === '..') i++;
  return '/' + segs.slice(i).join('/');
}

/** File name without its extension and without a kbuild `.tmp_` prefix. */
function stem(name: string): string {
  const n = name.startsWith('.tmp_') ? name.slice(5) : name;
  const dot = n.lastIndexOf('.');
  return dot > 0 ? n.slice(0, dot) : n;
}

/** Number of trailing path segments two object paths share (file names compared by stem). */
export function commonSuffix(a: string, b: string): number {
  const x = pathSegments(a);
  const y = pathSegments(b);
  if (x.length === 0 || y.length === 0 || stem(x.at(-1)!) !== stem(y.at(-1)!)) return 0;
  let n = 1;
  while (n < x.length && n < y.length && x[x.length - 1 - n] === y[y.length - 1 - n]) n++;
  return n;
}

/**
 * The object checksum (GCC >= 12) of the notes: GCC writes 0 in the .gcno header, so it is
 * computed from the functions, as GCC computes the one it stores in gcov_info.
 */
export function notesChecksum(g: Gcno): number | undefined {
  if (g.checksum === undefined) return undefined;
  return g.checksum !== 0 ? g.checksum : objectChecksum(g.functions);
}

/** What pairing needs of a .gcno: its name, stamp and object checksum (GCC >= 12). */
export interface PairingNotes {
  readonly input: NotesInput;
  readonly stamp: number;
  /** notesChecksum of the notes. */
  readonly checksum: number | undefined;
}

/** A .gcno and what it was read from; `G` undefined: parsed, then let go (see readAndPair). */
export interface ReadNotes<G extends Gcno | undefined = Gcno> extends PairingNotes {
  readonly gcno: G;
}

/** A .gcda and what it was read from. */
export interface ReadData {
  readonly input: DataInput;
  /** Its header (the file is read as gcov reads it when its turn comes, objectData). */
  readonly gcda: GcdaStamp;
}

/** What stands for an input once its bytes have been let go. */
const RELEASED = new Uint8Array(0);

export interface Paired<G extends Gcno | undefined = Gcno> {
  /** The notes that could be read, in input order. */
  readonly readNotes: ReadNotes<G>[];
  /** Notes to the data matched by path, stamp and checksum. */
  readonly pairs: Map<ReadNotes<G>, ReadData>;
  /** Notes to data refused or left out above, still theirs for gcov (see damaged-data.ts). */
  readonly damaged: Map<ReadNotes<G>, DataInput>;
}

/**
 * Parsed .gcno kept from pairing to writing, in .gcno bytes. A parsed .gcno takes about 1.5
 * times its file's size, so holding them all made memory grow faster than the build. Builds
 * with up to this much notes (most) are parsed once; larger ones have the rest parsed a second
 * time, each when written: about 20% more time for memory that no longer grows with the build.
 */
export const KEEP_PARSED_NOTES = 16 << 20;

/** How readAndPair reads for a caller that goes object by object (streamGcovJson). */
export interface Streaming {
  /**
   * Parsed .gcno kept, in .gcno bytes, at most: beyond, the notes that can be read again
   * (`reload`) keep only what pairing needs, and are parsed again when their turn comes.
   * Memory then stays bounded however large the build.
   */
  readonly keepBytes: number;
}

/**
 * Reads every .gcno and .gcda (what cannot be read becomes a problem) and pairs each notes
 * file with its data as gcov would. With `stream`, each entry of `notes` and `data` is
 * replaced by one with the same name and no bytes once read, and notes beyond
 * `stream.keepBytes` keep no parsed .gcno: a caller streaming object by object then holds
 * only the data bytes still to be used and a bounded amount of parsed notes.
 */
export function readAndPair(notes: NotesInput[], data: DataInput[], problems: InputError[]): Paired;
export function readAndPair(
  notes: NotesInput[],
  data: DataInput[],
  problems: InputError[],
  stream: Streaming,
): Paired<Gcno | undefined>;
export function readAndPair(
  notes: NotesInput[],
  data: DataInput[],
  problems: InputError[],
  stream?: Streaming,
): Paired<Gcno | undefined> {
  const release = stream !== undefined;
  const readNotes: ReadNotes<Gcno | undefined>[] = [];
  let kept = 0;
  for (let i = 0; i < notes.length; i++) {
    let input = notes[i]!;
    try {
      // read here when the input is a file read on demand, which may fail
      const bytes = input.bytes;
      if (release) notes[i] = input = { name: input.name, bytes: RELEASED, reload: input.reload };
      const gcno = readGcno(bytes, input.name);
      const keep = !stream || input.reload === undefined || (kept += bytes.length) <= stream.keepBytes;
      readNotes.push({
        input,
        gcno: keep ? gcno : undefined,
        stamp: gcno.stamp,
        checksum: notesChecksum(gcno),
      });
    } catch (e) {
      if (!isInputError(e)) throw e;
      problems.push(e);
    }
  }
  const readData: ReadData[] = [];
  const refusedData: DataInput[] = [];
  for (let i = 0; i < data.length; i++) {
    // the bytes stay with the pair: gcov's reading of them is the one used
    const input = data[i]!;
    if (release) data[i] = { ...input, bytes: RELEASED };
    try {
      readData.push({ input, gcda: checkGcda(input.bytes, input.name) });
    } catch (e) {
      if (!isInputError(e)) throw e;
      problems.push(e);
      refusedData.push(input);
    }
  }
  const { pairs, problems: matchProblems } = matchData(readNotes, readData);
  pushAll(problems, matchProblems);
  // read as gcov reads them, not as never executed (see damaged-data.ts)
  const damaged = pairRefusedData(readNotes, pairs, unpairedData(readData, pairs, refusedData));
  return { readNotes, pairs, damaged };
}

/**
 * Notes let go after pairing, parsed again from their file. The file must still be the one
 * paired: another stamp or checksum, or notes that no longer read, are a problem for it.
 */
export function readAgain(n: ReadNotes<Gcno | undefined>, problems: InputError[]): Gcno | undefined {
  const name = n.input.name;
  let bytes: Uint8Array;
  try {
    bytes = n.input.reload!();
  } catch (e) {
    // gone or unreadable: reload says which and why
    if (!isInputError(e)) throw e;
    problems.push(e);
    return undefined;
  }
  let gcno: Gcno;
  try {
    gcno = readGcno(bytes, name);
  } catch (e) {
    if (!isInputError(e)) throw e;
    problems.push(new InputError(name, e.offset, e.code, `changed while the report was made: ${e.reason}`));
    return undefined;
  }
  if (gcno.stamp === n.stamp && notesChecksum(gcno) === n.checksum) return gcno;
  problems.push(
    new InputError(
      name,
      8,
      'checksum',
      'changed while the report was made (another stamp or checksum): left out',
    ),
  );
  return undefined;
}

/**
 * Pairs each .gcda with the .gcno whose path shares the longest suffix with it; among
 * equally good candidates the one with the same stamp (and checksum) wins. A .gcda that
 * matches nothing, or only notes with another stamp, is a problem; the rest go on.
 */
export function matchData<N extends PairingNotes, D extends ReadData>(
  notes: readonly N[],
  data: readonly D[],
): { pairs: Map<N, D>; problems: InputError[] } {
  const byStem = new Map<string, N[]>();
  for (const n of notes) {
    const s = stem(pathSegments(n.input.name).at(-1) ?? '');
    byStem.set(s, [...(byStem.get(s) ?? []), n]);
  }
  const pairs = new Map<N, D>();
  const problems: InputError[] = [];
  const sameBuild = (n: N, d: D) =>
    n.stamp === d.gcda.stamp && (d.gcda.checksum === undefined || n.checksum === d.gcda.checksum);
  for (const d of data) {
    const name = d.input.name;
    let best = 0;
    let top: N[] = [];
    for (const n of byStem.get(stem(pathSegments(name).at(-1) ?? '')) ?? []) {
      const s = commonSuffix(n.input.name, name);
      if (s > best) [best, top] = [s, [n]];
      else if (s === best && s > 0) top.push(n);
    }
    if (top.length === 0) {
      problems.push(
        new InputError(name, undefined, 'not-found', 'no .gcno in the build tree for this .gcda'),
      );
      continue;
    }
    const fitting = top.filter((n) => sameBuild(n, d));
    if (fitting.length === 0) {
      const n = top[0]!;
      const what =
        n.stamp !== d.gcda.stamp
          ? `stamp 0x${d.gcda.stamp.toString(16)}, ${n.input.name} has 0x${n.stamp.toString(16)}`
          : `checksum 0x${d.gcda.checksum!.toString(16)}, ${n.input.name} has 0x${n.checksum!.toString(16)}`;
      problems.push(
        new InputError(
          name,
          8,
          'checksum',
          `not from the same compilation as its notes file (${what}): ignored`,
        ),
      );
      continue;
    }
    if (fitting.length > 1) {
      problems.push(
        new InputError(
          name,
          undefined,
          'bad-argument',
          `matches several notes files equally: ${fitting.map((n) => n.input.name).join(', ')}: ignored`,
        ),
      );
      continue;
    }
    const n = fitting[0]!;
    const other = pairs.get(n);
    if (other) {
      problems.push(
        new InputError(
          name,
          undefined,
          'bad-argument',
          `${n.input.name} already has ${other.input.name}: ignored`,
        ),
      );
      continue;
    }
    pairs.set(n, d);
  }
  return { pairs, problems };
}

// ---------------------------------------------------------------------------------------
// Merging

export const emptyTotals = (): Totals => ({
  lines: { found: 0, hit: 0 },
  functions: { found: 0, hit: 0 },
  branches: { found: 0, hit: 0 },
  conditions: { found: 0, hit: 0 },
});

/** Adds line `l` to `t`: the line, and with `branches` its branches and conditions. */
export function countLine(t: Totals, l: ReportLine, branches: boolean): void {
  t.lines.found++;
  if (l.count > 0) t.lines.hit++;
  if (!branches) return;
  for (const br of l.branches) {
    t.branches.found++;
    if (br.count !== undefined && br.count > 0) t.branches.hit++;
  }
  for (const c of l.conditions) {
    t.conditions.found += c.count;
    t.conditions.hit += c.count - c.notCoveredTrue.length - c.notCoveredFalse.length;
  }
}

export function addTotals(into: Totals, t: Totals): void {
  for (const k of ['lines', 'functions', 'branches', 'conditions'] as const) {
    into[k].found += t[k].found;
    into[k].hit += t[k].hit;
  }
}

interface FileBuilder {
  path: string;
  functions: Map<string, ReportFunction>;
  lines: Map<number, ReportLine>;
}

/** gcov's version string: releases since GCC 5 are major.minor.0. */
export const gcovVersionString = (g: Gcno) => `${versionText(g.version)}.0`;

/** The conditions of every line without any: one frozen array, shared. */
const NO_CONDITIONS: ReportCondition[] = Object.freeze([]) as unknown as ReportCondition[];

/** Adds one object's gcov JSON files into the per-file builders, as lcov adds tracefiles. */
function mergeObject(files: Map<string, FileBuilder>, json: GcovJsonFile[], base: string): void {
  for (const jf of json) {
    const path = normalisePath(jf.file, base);
    let f = files.get(path);
    if (!f) files.set(path, (f = { path, functions: new Map(), lines: new Map() }));
    for (const fn of jf.functions) {
      const have = f.functions.get(fn.name);
      if (have) {
        have.executionCount += fn.execution_count;
        have.blocks = Math.max(have.blocks, fn.blocks);
        have.blocksExecuted = Math.max(have.blocksExecuted, fn.blocks_executed);
      } else
        f.functions.set(fn.name, {
          name: fn.name,
          demangledName: fn.demangled_name,
          startLine: fn.start_line,
          endLine: fn.end_line,
          executionCount: fn.execution_count,
          blocks: fn.blocks,
          blocksExecuted: fn.blocks_executed,
        });
    }
    for (const jl of jf.lines) {
      // lcov (geninfo) writes a branch as not reached ("-") when its line has an
      // unexecuted block and a count of 0; merged position by position, "-" + n = n.
      const unreached = jl.unexecuted_block && jl.count === 0;
      const jb = jl.branches;
      let l = f.lines.get(jl.line_number);
      if (!l) {
        const branches = new Array<ReportBranch>(jb.length);
        for (let i = 0; i < jb.length; i++)
          branches[i] = { count: unreached ? undefined : jb[i]!.count, throw: jb[i]!.throw };
        f.lines.set(
          jl.line_number,
          (l = {
            lineNumber: jl.line_number,
            count: jl.count,
            unexecutedBlock: jl.unexecuted_block,
            branches,
            conditions: NO_CONDITIONS,
          }),
        );
      } else {
        l.count += jl.count;
        l.unexecutedBlock ||= jl.unexecuted_block;
        for (let i = 0; i < jb.length; i++) {
          const b = jb[i]!;
          const have = l.branches[i];
          const count = unreached ? undefined : b.count;
          if (!have) l.branches[i] = { count, throw: b.throw };
          else if (have.count === undefined) have.count = count;
          else if (count !== undefined) have.count += count;
        }
      }
      const lc = l;
      if (lc.conditions === NO_CONDITIONS && jl.conditions && jl.conditions.length > 0) lc.conditions = [];
      if (jl.conditions && jl.conditions.length > 0)
        jl.conditions.forEach((c, i) => {
          const have = lc.conditions[i];
          if (!have || have.count !== c.count)
            lc.conditions[i] = {
              count: c.count,
              notCoveredTrue: [...c.not_covered_true],
              notCoveredFalse: [...c.not_covered_false],
            };
          else {
            // a term seen true (false) in any object is covered
            const t = new Set(c.not_covered_true);
            const f2 = new Set(c.not_covered_false);
            lc.conditions[i] = {
              count: c.count,
              notCoveredTrue: have.notCoveredTrue.filter((x) => t.has(x)),
              notCoveredFalse: have.notCoveredFalse.filter((x) => f2.has(x)),
            };
          }
        });
    }
  }
}

function finishFile(b: FileBuilder): ReportFile {
  const totals = emptyTotals();
  const lines = [...b.lines.values()];
  // Usually met in order already: sort only when not.
  let sorted = true;
  for (let i = 1; i < lines.length && sorted; i++)
    if (lines[i - 1]!.lineNumber > lines[i]!.lineNumber) sorted = false;
  if (!sorted) lines.sort((x, y) => x.lineNumber - y.lineNumber);
  for (const l of lines) countLine(totals, l, true);
  // stable: functions on one line keep the order they were met in
  const functions = [...b.functions.values()].sort((x, y) => x.startLine - y.startLine);
  for (const f of functions) {
    totals.functions.found++;
    if (f.executionCount > 0) totals.functions.hit++;
  }
  return { path: b.path, functions, lines, totals };
}

const dirname = (p: string) => p.slice(0, Math.max(1, p.lastIndexOf('/')));

/** The files of these objects' gcov JSON merged as buildReport merges them, by path. */
export function mergeJsonFiles(
  objects: readonly { files: GcovJsonFile[]; sourceRoot: string }[],
): ReportFile[] {
  const builders = new Map<string, FileBuilder>();
  for (const o of objects) mergeObject(builders, o.files, o.sourceRoot);
  return [...builders.values()].filter((b) => b.lines.size > 0).map(finishFile);
}

/** One notes file with its data, or without (every count 0), as readAndPair paired them. */
export interface ObjectData {
  readonly coverage: ObjectCoverage;
  /** The data file's name (gcov's data_file), the notes' with .gcda when there is none. */
  readonly dataFile: string;
}

/**
 * The coverage of a paired object, its counters read from the data's bytes as gcov reads
 * them (the same as readGcda's for a sound file), its sources named as gcov names them.
 */
export function objectData(n: ReadNotes, dataInput: DataInput | undefined, opts: ReportOptions): ObjectData {
  const dataFile = dataInput?.name ?? n.input.name.replace(/\.gcno$/, '.gcda');
  const coverage = computeCoverageOfData(
    n.gcno,
    dataInput?.bytes,
    dataFile,
    sourceNamer(opts.pathExists, n.gcno.cwd),
  );
  return { coverage, dataFile };
}

/** gcovJsonFiles' options for one object of a report. */
export const gcovJsonOptions = (
  gcno: Gcno,
  opts: ReportOptions,
  problems: InputError[],
  primePathPool: PrimePathPool,
) => ({
  demangle: opts.demangle,
  conditions: gcno.format.counters.some((k) => k.name === 'conditions'),
  primePaths: opts.primePaths ?? false,
  problems,
  primePathPool,
});

/**
 * An object's gcov JSON document whose `files` are kept packed (packed-json.ts) and unpacked
 * anew at each reading; a reader that keeps what it read keeps its own copy. As objects, the
 * documents took about four times the size of the build's .gcno files, held to the end for the
 * few outputs that read them (Cobertura, gcov JSON, lcov's capture form), so memory grew with
 * the number of objects. Packed, a line takes about 19 bytes instead of 150 to 250 (Tcl's
 * documents: 1.25 MB against 10.4 MB as JSON text); packing and unpacking cost about a tenth
 * of the time of a report that reads them (bench/README.md).
 */
function packedDocument(head: Omit<GcovJsonDocument, 'files'>, files: GcovJsonFile[]): GcovJsonDocument {
  const packed = packJson(files, keptBranchNumbers);
  const doc = { ...head } as GcovJsonDocument;
  // an own enumerable property, last: JSON.stringify, spreads and Object.entries see it as a value
  Object.defineProperty(doc, 'files', {
    enumerable: true,
    get: () => unpackJson(packed, keepBranchNumbers) as GcovJsonFile[],
  });
  return doc;
}

/**
 * Builds the report. Unreadable files and unmatched data are problems; a .gcno without
 * data is reported with every count 0 (never executed), as gcov reports it. With `stream`,
 * the inputs are let go as readAndPair lets them go, and notes not kept parsed are read
 * again in their turn (a file that changed meanwhile is a problem for that file).
 */
export function buildReport(
  notes: NotesInput[],
  data: DataInput[],
  opts: ReportOptions = {},
  stream?: Streaming,
): Report {
  const problems: InputError[] = [];
  // one enumeration budget for the prime paths of the whole report
  const primePathPool = newPrimePathPool();
  const paired = stream ? readAndPair(notes, data, problems, stream) : readAndPair(notes, data, problems);
  const { pairs, damaged } = paired;
  // each dropped once computed: the report keeps no parsed notes
  const readNotes: (ReadNotes<Gcno | undefined> | undefined)[] = paired.readNotes;

  const objects: ReportObject[] = [];
  const flow: InputError[] = [];
  const builders = new Map<string, FileBuilder>();
  for (let i = 0; i < readNotes.length; i++) {
    const read = readNotes[i]!;
    readNotes[i] = undefined;
    const d = pairs.get(read);
    const dataInput = d?.input ?? damaged.get(read);
    pairs.delete(read);
    damaged.delete(read);
    const gcno = read.gcno ?? readAgain(read, problems);
    if (gcno === undefined) continue;
    const n: ReadNotes = { ...read, gcno };
    let json: GcovJsonFile[];
    let dataFile: string;
    try {
      const o = objectData(n, dataInput, opts);
      dataFile = o.dataFile;
      pushAll(problems, o.coverage.problems);
      pushAll(flow, o.coverage.flow);
      json = gcovJsonFiles(o.coverage, gcovJsonOptions(n.gcno, opts, problems, primePathPool));
    } catch (e) {
      if (!isInputError(e)) throw e;
      problems.push(e);
      continue;
    }
    const cwd = n.gcno.cwd;
    const sourceRoot = opts.sourceRoot ?? cwd ?? '/';
    const head = {
      format_version: n.gcno.format.jsonFormat,
      gcc_version: gcovVersionString(n.gcno),
      ...(cwd !== undefined ? { current_working_directory: cwd } : {}),
      data_file: dataFile,
    };
    objects.push({
      notes: n.input.name,
      ...(dataInput ? { data: dataInput.name } : {}),
      ...(dataInput?.image !== undefined ? { image: dataInput.image } : {}),
      ...(dataInput?.target !== undefined ? { target: dataInput.target } : {}),
      gccVersion: versionText(n.gcno.version),
      sourceRoot,
      format: n.gcno.format,
      json: packedDocument(head, json),
    });
    mergeObject(builders, json, sourceRoot);
  }

  // lcov leaves out files without any line
  const files = [...builders.values()]
    .filter((b) => b.lines.size > 0)
    .map(finishFile)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const dirs = new Map<string, Totals>();
  const totals = emptyTotals();
  for (const f of files) {
    const d = dirname(f.path);
    let t = dirs.get(d);
    if (!t) dirs.set(d, (t = emptyTotals()));
    addTotals(t, f.totals);
    addTotals(totals, f.totals);
  }
  const directories = [...dirs.entries()]
    .map(([path, t]) => ({ path, totals: t }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { objects, files, directories, totals, problems, flow };
}
