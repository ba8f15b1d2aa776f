/**
 * The `files` part of `gcov --json-format --branch-probabilities` output for one object,
 * in the format_version of the compiler that wrote the notes file.
 */
import { demangle } from '../gcov/demangle';
import type { InputError } from '../gcov/errors';
import { newPrimePathPool, type PrimePathPool } from '../gcov/prime-paths';
import { ARC_FLAG } from '../gcov/gcno';
import { ARC_STATE } from '../gcov/solve';
import {
  blockFunction,
  type ConditionCoverage,
  type FileCoverage,
  type FunctionCoverage,
  type LineCoverage,
  type ObjectCoverage,
} from './coverage';
import { asciiBytes, NUMBER_MAX, put, putNumber, type JsonBytes } from './json-bytes';
import { stringifyPrintfG } from './gcov-json-text';
import { printfG } from './printf-g';
import { coveredPaths, primePathJson, type GcovJsonPrimePath } from './prime-path-json';

export interface GcovJsonBranch {
  count: number;
  throw: boolean;
  fallthrough: boolean;
  source_block_id?: number;
  destination_block_id?: number;
}

export interface GcovJsonCall {
  source_block_id: number;
  destination_block_id: number;
  returned: number;
}

export interface GcovJsonLine {
  line_number: number;
  function_name?: string;
  count: number;
  unexecuted_block: boolean;
  block_ids?: number[];
  branches: GcovJsonBranch[];
  calls?: GcovJsonCall[];
  conditions?: GcovJsonCondition[];
}

export interface GcovJsonCondition {
  count: number;
  covered: number;
  not_covered_true: number[];
  not_covered_false: number[];
}

export interface GcovJsonFunction {
  name: string;
  demangled_name: string;
  start_line: number;
  start_column: number;
  end_line: number;
  end_column: number;
  blocks: number;
  blocks_executed: number;
  execution_count: number;
  /** Releases with path coverage (GCC 15): always printed; totals need --prime-paths. */
  total_prime_paths?: number;
  covered_prime_paths?: number;
  prime_path_coverage?: GcovJsonPrimePath[];
}

export interface GcovJsonFile {
  file: string;
  functions: GcovJsonFunction[];
  lines: GcovJsonLine[];
}

export interface GcovJsonOptions {
  /** Turns a mangled name into gcov's demangled_name (default: our Itanium demangler, gcov's form). */
  demangle?: (name: string) => string;
  /** Condition coverage per line, as with gcov's --conditions (-g, GCC 14+). */
  conditions?: boolean;
  /** Prime paths enumerated, as with gcov's --prime-paths (-e, GCC 15+). */
  primePaths?: boolean;
  /** Where functions whose paths pass the enumeration limits are reported. */
  problems?: InputError[];
  /** Enumeration steps shared with the other objects of a report (default: this call's own). */
  primePathPool?: PrimePathPool;
}

/** Bits set in a 64-bit counter. */
function popcount64(v: bigint): number {
  let n = 0;
  for (let x = BigInt.asUintN(64, v); x !== 0n; x &= x - 1n) n++;
  return n;
}

function conditionJson(c: ConditionCoverage): GcovJsonCondition {
  // gcov counts every bit set in the two counters, also bits past the terms (only damaged
  // data has them), and lists the terms not covered only when that count is not the
  // number of outcomes
  const out: GcovJsonCondition = {
    count: 2 * c.terms,
    covered: popcount64(c.trueBits) + popcount64(c.falseBits),
    not_covered_true: [],
    not_covered_false: [],
  };
  if (out.covered === out.count) return out;
  for (let i = 0; i < c.terms; i++) {
    const bit = 1n << BigInt(i);
    if (!(c.trueBits & bit)) out.not_covered_true.push(i);
    if (!(c.falseBits & bit)) out.not_covered_false.push(i);
  }
  return out;
}

/** What the output looks like for this release and these options. */
interface Ctx {
  /** writeLine's last function name, and its `"function_name":` field as bytes. */
  lastName: string | undefined;
  lastNameBytes: Uint8Array;
  v2: boolean;
  /** Numbers printed as C's %g (gcov 9), see printf-g.ts. */
  printfG: boolean;
  conditions: boolean;
  demangle: (name: string) => string;
  /** Index of the path counter kind, -1 before GCC 15. */
  pathsKind: number;
  namesEnd: boolean;
  primePaths: boolean;
  exitBlock: number;
  notesFile: string;
  sourceName: (name: string) => string;
  problems: InputError[] | undefined;
  pool: PrimePathPool;
}

/** The empty `calls` and `conditions` of every line: one frozen array, shared. */
const NONE = Object.freeze([]) as unknown as never[];

/** A branch: neither the sole exit of its block nor a call that may not return. */
const BRANCH = 0;
/** A fake arc from a block other than ENTRY: the call in its source block may not return. */
const CALL_NON_RETURN = 1;
const OTHER = 2;
function arcKind(arcs: Uint32Array, arcState: Uint8Array, k: number): number {
  const callNonReturn = (arcs[3 * k + 2]! & ARC_FLAG.FAKE) !== 0 && arcs[3 * k] !== 0;
  if (callNonReturn) return CALL_NON_RETURN;
  return arcState[k]! & ARC_STATE.UNCONDITIONAL ? OTHER : BRANCH;
}

/**
 * Per line document whose branches are not numbered 0, 1, … in gcov's text output (a call
 * before or between them takes a number too): the numbers gcov prints for its branches.
 * Kept beside the document, not in it: gcov's JSON has no such field (gcovr-view.ts reads it).
 */
const textNumbers = new WeakMap<GcovJsonLine, readonly number[]>();

/** The numbers gcov's text output gives the branches of `line` (calls numbered too), in order. */
export const textBranchNumbers = (line: GcovJsonLine): readonly number[] =>
  textNumbers.get(line) ?? line.branches.map((_, i) => i);

/** The numbers kept beside a line, if any (for packing a document, see packed-json.ts). */
export const keptBranchNumbers = (o: object): readonly number[] | undefined =>
  textNumbers.get(o as GcovJsonLine);

/** Keeps `numbers` beside a line again (an unpacked document's). */
export const keepBranchNumbers = (o: object, numbers: readonly number[]): void => {
  textNumbers.set(o as GcovJsonLine, numbers);
};

function lineJson(line: LineCoverage, fnName: string | undefined, ctx: Ctx): GcovJsonLine {
  const json = lineDocument(line, fnName, ctx);
  if (json.numbers) textNumbers.set(json.line, json.numbers);
  return json.line;
}

/** The line's document, and its branches' numbers in gcov's text when they are not 0, 1, …. */
function lineDocument(
  line: LineCoverage,
  fnName: string | undefined,
  ctx: Ctx,
): { line: GcovJsonLine; numbers?: number[] } {
  const { v2 } = ctx;
  const branches: GcovJsonBranch[] = [];
  let calls: GcovJsonCall[] | undefined;
  // gcov's text output numbers the calls and the branches of a line together
  let printed = 0;
  let shifted = false;
  const numbers: number[] = [];
  const ids = line.blocks;
  for (let i = 0; i < ids.length; i++) {
    const b = ids[i]!;
    const { arcs, arcCounts, arcState, succ, succStart, counts } = blockFunction(line, i);
    for (let p = succStart[b]!, end = succStart[b + 1]!; p < end; p++) {
      const k = succ[p]!;
      const kind = arcKind(arcs, arcState, k);
      const count = arcCounts[k]!;
      if (kind === CALL_NON_RETURN) printed++;
      if (kind === BRANCH) {
        if (printed !== numbers.length) shifted = true;
        numbers.push(printed++);
        const isThrow = (arcState[k]! & ARC_STATE.THROW) !== 0;
        const fallthrough = (arcs[3 * k + 2]! & ARC_FLAG.FALLTHROUGH) !== 0;
        branches.push(
          v2
            ? {
                count,
                throw: isThrow,
                fallthrough,
                source_block_id: arcs[3 * k]!,
                destination_block_id: arcs[3 * k + 1]!,
              }
            : { count, throw: isThrow, fallthrough },
        );
      } else if (v2 && kind === CALL_NON_RETURN)
        (calls ??= []).push({
          source_block_id: arcs[3 * k]!,
          destination_block_id: arcs[3 * k + 1]!,
          // the call's own block (another function may have a block of that number here)
          returned: counts[b]! - count,
        });
    }
  }
  // The keys in gcov's order (JSON.stringify keeps insertion order).
  let doc: GcovJsonLine;
  if (!v2)
    doc =
      fnName !== undefined
        ? {
            line_number: line.lineNumber,
            function_name: fnName,
            count: line.count,
            unexecuted_block: line.unexecutedBlock,
            branches,
          }
        : {
            line_number: line.lineNumber,
            count: line.count,
            unexecuted_block: line.unexecutedBlock,
            branches,
          };
  else {
    const blockIds = line.blocks.slice();
    const conditions =
      ctx.conditions && line.conditions.length > 0 ? line.conditions.map(conditionJson) : NONE;
    doc =
      fnName !== undefined
        ? {
            line_number: line.lineNumber,
            function_name: fnName,
            count: line.count,
            unexecuted_block: line.unexecutedBlock,
            block_ids: blockIds,
            branches,
            calls: calls ?? NONE,
            conditions,
          }
        : {
            line_number: line.lineNumber,
            count: line.count,
            unexecuted_block: line.unexecutedBlock,
            block_ids: blockIds,
            branches,
            calls: calls ?? NONE,
            conditions,
          };
  }
  return shifted ? { line: doc, numbers } : { line: doc };
}

function functionJson(f: FunctionCoverage, ctx: Ctx): GcovJsonFunction {
  const { demangle, pathsKind } = ctx;
  // a bit set: bigints
  const words = pathsKind < 0 ? [] : ((f.counters.get(pathsKind) as readonly bigint[] | undefined) ?? []);
  const paths =
    pathsKind < 0
      ? {}
      : ctx.primePaths
        ? primePathJson(
            f,
            words,
            ctx.exitBlock,
            ctx.notesFile,
            ctx.problems,
            ctx.pool,
            undefined,
            ctx.sourceName,
          )
        : {
            // Without --prime-paths gcov does not enumerate the paths (total 0) but still
            // counts the bits set in the path counters.
            total_prime_paths: 0,
            covered_prime_paths: coveredPaths(words),
            prime_path_coverage: [],
          };
  return {
    name: f.name,
    demangled_name: demangle(f.name),
    start_line: f.gcno.startLine,
    start_column: f.gcno.startColumn,
    end_line: f.gcno.endLine,
    end_column: f.gcno.endColumn,
    blocks: f.blocks,
    blocks_executed: f.blocksExecuted,
    execution_count: f.executionCount,
    ...paths,
  };
}

/**
 * Calls `emit` for every line of the file gcov prints, in its order, with the name of the
 * function gcov shows it in (group functions' own lines first, at their start line).
 */
function visitLines(
  file: FileCoverage,
  ctx: Ctx,
  emit: (line: LineCoverage, fnName: string | undefined) => void,
): void {
  const startsAt = file.startsAt;
  const table = file.lines;
  // Only lines where something happens, in order (a line number can be any 32-bit value).
  // Index loops and the start lines apart: iterators and a Map lookup per line cost more
  // than the rest of the walk.
  const starts = new Float64Array(startsAt.size);
  let s = 0;
  startsAt.forEach((_, n) => (starts[s++] = n));
  starts.sort();
  const all = new Float64Array(startsAt.size + table.size);
  let k = 0;
  for (let i = 0; i < starts.length; i++) if (table.get(starts[i]!) === undefined) all[k++] = starts[i]!;
  const lines = table.lines;
  for (let i = 0; i < lines.length; i++) all[k++] = lines[i]!.lineNumber;
  const numbers = all.subarray(0, k).sort();
  const open: FunctionCoverage[] = [];
  let next = 1;
  let nextStart = 0;
  for (let i = 0; i < numbers.length; i++) {
    const n = numbers[i]!;
    // gcov 11+ walks every line and drops the innermost function at its end line; replay
    // that for the lines skipped since the last one looked at.
    if (ctx.namesEnd)
      for (
        let top = open[open.length - 1];
        top && top.gcno.endLine >= next && top.gcno.endLine < n;
        top = open[open.length - 1]
      ) {
        next = top.gcno.endLine + 1;
        open.pop();
      }
    if (nextStart < starts.length && starts[nextStart] === n) {
      nextStart++;
      const starting = startsAt.get(n)!;
      for (let j = 0; j < starting.length; j++) {
        const f = starting[j]!;
        if (!f.group) {
          open.push(f);
          continue;
        }
        for (const l of f.lines.sorted()) if (l.exists) emit(l, f.name);
      }
    }
    const l = table.get(n);
    const last = open.length > 0 ? open[open.length - 1] : undefined;
    if (l?.exists) emit(l, last?.name);
    if (ctx.namesEnd && last && last.gcno.endLine === n) open.pop();
    next = n + 1;
  }
}

function fileJson(file: FileCoverage, ctx: Ctx): GcovJsonFile {
  const lines: GcovJsonLine[] = [];
  visitLines(file, ctx, (l, name) => lines.push(lineJson(l, name, ctx)));
  return {
    file: file.file,
    functions: file.functions.map((f) => functionJson(f, ctx)),
    lines,
  };
}

/** A key's bytes followed by a JSON string, as bytes. */
function jsonField(key: Uint8Array, text: string): Uint8Array {
  const quoted = utf8.encode(JSON.stringify(text));
  const out = new Uint8Array(key.length + quoted.length);
  out.set(key);
  out.set(quoted, key.length);
  return out;
}
const utf8 = new TextEncoder();

const contextOf = (cov: ObjectCoverage, opts: GcovJsonOptions): Ctx => ({
  lastName: undefined,
  lastNameBytes: new Uint8Array(0),
  v2: cov.gcno.format.jsonFormat === '2',
  printfG: cov.gcno.format.jsonNumbers === 'printf-g',
  conditions: opts.conditions ?? false,
  demangle:
    opts.demangle ??
    ((n: string) => demangle(n, { closureSubstitution: cov.gcno.format.demanglerClosureSubstitution }) ?? n),
  pathsKind: cov.gcno.format.counters.findIndex((k) => k.name === 'paths'),
  namesEnd: cov.gcno.format.namesEndAtEndLine,
  primePaths: opts.primePaths ?? false,
  exitBlock: cov.gcno.format.exitBlockOne ? 1 : -1,
  notesFile: cov.gcno.file,
  sourceName: cov.sourceName,
  problems: opts.problems,
  pool: opts.primePathPool ?? newPrimePathPool(),
});

export function gcovJsonFiles(cov: ObjectCoverage, opts: GcovJsonOptions = {}): GcovJsonFile[] {
  const ctx = contextOf(cov, opts);
  return cov.files.map((f) => fileJson(f, ctx));
}

/**
 * The document's fixed text, encoded once: copied as bytes, it costs less than text() would
 * (the largest share of writing SQLite's gcov JSON was copying these characters one by one).
 */
const K = asciiBytes({
  open: '[',
  comma: ',',
  close: ']',
  lineNumber: '{"line_number":',
  functionName: ',"function_name":',
  count: ',"count":',
  sourceBlockId: ',"source_block_id":',
  destinationBlockId: ',"destination_block_id":',
  end: '}',
  returned: ',"returned":',
  conditions: '],"conditions":',
  noConditions: '],"conditions":[]}',
  closeCalls: '],"calls":[',
  file: '{"file":',
  functions: ',"functions":[',
  lines: '],"lines":[',
  closeEnd: ']}',
  nextBranch: ',{"count":',
  firstBranch: '{"count":',
  throwTrue: ',"throw":true',
  throwFalse: ',"throw":false',
  fallthroughTrue: ',"fallthrough":true',
  fallthroughFalse: ',"fallthrough":false',
  nextCall: ',{"source_block_id":',
  firstCall: '{"source_block_id":',
  unexecutedTrueIds: ',"unexecuted_block":true,"block_ids":[',
  unexecutedFalseIds: ',"unexecuted_block":false,"block_ids":[',
  unexecutedTrueBranches: ',"unexecuted_block":true,"branches":[',
  unexecutedFalseBranches: ',"unexecuted_block":false,"branches":[',
  closeBranches: '],"branches":[',
  noCallsNoConditions: '],"calls":[],"conditions":[]}',
  fnName: '{"name":',
  fnDemangled: ',"demangled_name":',
  fnStartLine: ',"start_line":',
  fnStartColumn: ',"start_column":',
  fnEndLine: ',"end_line":',
  fnEndColumn: ',"end_column":',
  fnBlocks: ',"blocks":',
  fnBlocksExecuted: ',"blocks_executed":',
  fnExecutionCount: ',"execution_count":',
});

/**
 * The same `files` array as JSON text, written into `out` without building the objects:
 * the text equals JSON.stringify(gcovJsonFiles(cov, opts)), key order included.
 */
export function writeGcovJsonFiles(cov: ObjectCoverage, opts: GcovJsonOptions, out: JsonBytes): void {
  const ctx = contextOf(cov, opts);
  out.bytes(K.open);
  cov.files.forEach((f, i) => {
    if (i > 0) out.bytes(K.comma);
    writeFile(f, ctx, out);
  });
  out.bytes(K.close);
}

/** A part of the document built as objects, as text. */
const stringify = (v: unknown, ctx: Ctx): string => (ctx.printfG ? stringifyPrintfG(v) : JSON.stringify(v));

/** A number of the document as the notes' gcov prints it, into `buf` from `at` (NUMBER_MAX bytes). */
function putNum(buf: Uint8Array, at: number, v: number, ctx: Ctx): number {
  if (!ctx.printfG) return putNumber(buf, at, v);
  const s = printfG(v);
  for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
  return at;
}

/** Room for a branch or a call: its keys and three numbers. */
const ARC_MAX = 112 + 3 * NUMBER_MAX;

/**
 * lineJson as text, the keys in the same order. The line is written in a few runs of pieces,
 * each into room reserved for it at once (the pieces of a run are put with local positions:
 * a call on `out` per piece took most of the time of writing the document).
 */
function writeLine(line: LineCoverage, fnName: string | undefined, ctx: Ctx, out: JsonBytes): void {
  const { v2 } = ctx;
  let buf = out.reserve(16 + NUMBER_MAX);
  let at = put(buf, out.at, K.lineNumber);
  at = putNum(buf, at, line.lineNumber, ctx);
  out.at = at;
  if (fnName !== undefined) {
    // consecutive lines mostly have the same function: its key and name encoded once
    if (fnName !== ctx.lastName) {
      ctx.lastName = fnName;
      ctx.lastNameBytes = jsonField(K.functionName, fnName);
    }
    out.bytes(ctx.lastNameBytes);
  }
  const ids = line.blocks;
  // the count, the flag and (format 2) the block ids in one run
  buf = out.reserve(80 + NUMBER_MAX + ids.length * (1 + NUMBER_MAX));
  at = put(buf, out.at, K.count);
  at = putNum(buf, at, line.count, ctx);
  if (v2) {
    at = put(buf, at, line.unexecutedBlock ? K.unexecutedTrueIds : K.unexecutedFalseIds);
    for (let i = 0; i < ids.length; i++) {
      if (i > 0) buf[at++] = 0x2c;
      at = putNum(buf, at, ids[i]!, ctx);
    }
    at = put(buf, at, K.closeBranches);
  } else at = put(buf, at, line.unexecutedBlock ? K.unexecutedTrueBranches : K.unexecutedFalseBranches);
  out.at = at;
  let branches = 0;
  let calls = 0;
  for (let i = 0; i < ids.length; i++) {
    const b = ids[i]!;
    const { arcs, arcCounts, arcState, succ, succStart } = blockFunction(line, i);
    for (let p = succStart[b]!, end = succStart[b + 1]!; p < end; p++) {
      const k = succ[p]!;
      const kind = arcKind(arcs, arcState, k);
      if (kind === CALL_NON_RETURN) calls++;
      if (kind !== BRANCH) continue;
      buf = out.reserve(ARC_MAX);
      at = put(buf, out.at, branches++ > 0 ? K.nextBranch : K.firstBranch);
      at = putNum(buf, at, arcCounts[k]!, ctx);
      at = put(buf, at, arcState[k]! & ARC_STATE.THROW ? K.throwTrue : K.throwFalse);
      at = put(buf, at, arcs[3 * k + 2]! & ARC_FLAG.FALLTHROUGH ? K.fallthroughTrue : K.fallthroughFalse);
      if (v2) {
        at = put(buf, at, K.sourceBlockId);
        at = putNum(buf, at, arcs[3 * k]!, ctx);
        at = put(buf, at, K.destinationBlockId);
        at = putNum(buf, at, arcs[3 * k + 1]!, ctx);
      }
      buf[at++] = 0x7d;
      out.at = at;
    }
  }
  if (!v2) {
    out.bytes(K.closeEnd);
    return;
  }
  const conditions = ctx.conditions && line.conditions.length > 0;
  if (calls === 0 && !conditions) {
    out.bytes(K.noCallsNoConditions);
    return;
  }
  out.bytes(K.closeCalls);
  if (calls > 0) {
    let written = 0;
    for (let i = 0; i < ids.length; i++) {
      const b = ids[i]!;
      const { arcs, arcCounts, arcState, succ, succStart, counts } = blockFunction(line, i);
      for (let p = succStart[b]!, end = succStart[b + 1]!; p < end; p++) {
        const k = succ[p]!;
        if (arcKind(arcs, arcState, k) !== CALL_NON_RETURN) continue;
        buf = out.reserve(ARC_MAX);
        at = put(buf, out.at, written++ > 0 ? K.nextCall : K.firstCall);
        at = putNum(buf, at, arcs[3 * k]!, ctx);
        at = put(buf, at, K.destinationBlockId);
        at = putNum(buf, at, arcs[3 * k + 1]!, ctx);
        at = put(buf, at, K.returned);
        at = putNum(buf, at, counts[b]! - arcCounts[k]!, ctx);
        buf[at++] = 0x7d;
        out.at = at;
      }
    }
  }
  if (conditions) {
    out.bytes(K.conditions);
    out.utf8(stringify(line.conditions.map(conditionJson), ctx));
    out.bytes(K.end);
  } else out.bytes(K.noConditions);
}

/** functionJson as text before GCC 15 (no path fields), the keys in the same order. */
function writeFunction(f: FunctionCoverage, ctx: Ctx, out: JsonBytes): void {
  out.bytes(K.fnName);
  out.string(f.name);
  out.bytes(K.fnDemangled);
  out.string(ctx.demangle(f.name));
  const { startLine, startColumn, endLine, endColumn } = f.gcno;
  const buf = out.reserve(160 + 7 * NUMBER_MAX);
  let at = put(buf, out.at, K.fnStartLine);
  at = putNum(buf, at, startLine, ctx);
  at = put(buf, at, K.fnStartColumn);
  at = putNum(buf, at, startColumn, ctx);
  at = put(buf, at, K.fnEndLine);
  at = putNum(buf, at, endLine, ctx);
  at = put(buf, at, K.fnEndColumn);
  at = putNum(buf, at, endColumn, ctx);
  at = put(buf, at, K.fnBlocks);
  at = putNum(buf, at, f.blocks, ctx);
  at = put(buf, at, K.fnBlocksExecuted);
  at = putNum(buf, at, f.blocksExecuted, ctx);
  at = put(buf, at, K.fnExecutionCount);
  at = putNum(buf, at, f.executionCount, ctx);
  buf[at++] = 0x7d;
  out.at = at;
}

function writeFile(file: FileCoverage, ctx: Ctx, out: JsonBytes): void {
  out.bytes(K.file);
  out.string(file.file);
  out.bytes(K.functions);
  file.functions.forEach((f, i) => {
    if (i > 0) out.bytes(K.comma);
    if (ctx.pathsKind < 0) writeFunction(f, ctx, out);
    else out.utf8(stringify(functionJson(f, ctx), ctx));
  });
  out.bytes(K.lines);
  let first = true;
  visitLines(file, ctx, (l, name) => {
    if (!first) out.bytes(K.comma);
    writeLine(l, name, ctx, out);
    first = false;
  });
  out.bytes(K.closeEnd);
}
