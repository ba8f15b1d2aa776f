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

function conditionJson(c: ConditionCoverage): GcovJsonCondition {
  const out: GcovJsonCondition = {
    count: 2 * c.terms,
    covered: 0,
    not_covered_true: [],
    not_covered_false: [],
  };
  for (let i = 0; i < c.terms; i++) {
    const bit = 1n << BigInt(i);
    if (c.trueBits & bit) out.covered++;
    else out.not_covered_true.push(i);
    if (c.falseBits & bit) out.covered++;
    else out.not_covered_false.push(i);
  }
  return out;
}

/** What the output looks like for this release and these options. */
interface Ctx {
  v2: boolean;
  conditions: boolean;
  demangle: (name: string) => string;
  /** Index of the path counter kind, -1 before GCC 15. */
  pathsKind: number;
  namesEnd: boolean;
  primePaths: boolean;
  exitBlock: number;
  notesFile: string;
  problems: InputError[] | undefined;
  pool: PrimePathPool;
}

/** The empty `calls` and `conditions` of every line: one frozen array, shared. */
const NONE = Object.freeze([]) as unknown as never[];

/**
 * The count of the line's block `b` as the calls list shows it: that of the first of the
 * line's blocks with this index.
 */
function blockCountOnLine(line: LineCoverage, b: number): number {
  const ids = line.blocks;
  for (let i = 0; i < ids.length; i++) if (ids[i] === b) return blockFunction(line, i).counts[b]!;
  return 0;
}

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

function lineJson(line: LineCoverage, fnName: string | undefined, ctx: Ctx): GcovJsonLine {
  const { v2 } = ctx;
  const branches: GcovJsonBranch[] = [];
  let calls: GcovJsonCall[] | undefined;
  const ids = line.blocks;
  for (let i = 0; i < ids.length; i++) {
    const b = ids[i]!;
    const { arcs, arcCounts, arcState, succ, succStart } = blockFunction(line, i);
    for (let p = succStart[b]!, end = succStart[b + 1]!; p < end; p++) {
      const k = succ[p]!;
      const kind = arcKind(arcs, arcState, k);
      const count = arcCounts[k]!;
      if (kind === BRANCH) {
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
          returned: blockCountOnLine(line, arcs[3 * k]!) - count,
        });
    }
  }
  // The keys in gcov's order (JSON.stringify keeps insertion order).
  if (!v2)
    return fnName !== undefined
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
  const blockIds = line.blocks.slice();
  const conditions = ctx.conditions && line.conditions.length > 0 ? line.conditions.map(conditionJson) : NONE;
  return fnName !== undefined
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

function functionJson(f: FunctionCoverage, ctx: Ctx): GcovJsonFunction {
  const { demangle, pathsKind } = ctx;
  const words = pathsKind < 0 ? [] : (f.counters.get(pathsKind) ?? []);
  const paths =
    pathsKind < 0
      ? {}
      : ctx.primePaths
        ? primePathJson(f, words, ctx.exitBlock, ctx.notesFile, ctx.problems, ctx.pool)
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
  const startsAt = new Map<number, FunctionCoverage[]>();
  for (const f of file.functions) {
    const list = startsAt.get(f.gcno.startLine);
    if (list) list.push(f);
    else startsAt.set(f.gcno.startLine, [f]);
  }
  // Only lines where something happens, in order (a line number can be any 32-bit value).
  const all = new Float64Array(startsAt.size + file.lines.size);
  let k = 0;
  for (const n of startsAt.keys()) all[k++] = n;
  for (const l of file.lines.lines) if (!startsAt.has(l.lineNumber)) all[k++] = l.lineNumber;
  const numbers = all.subarray(0, k).sort();
  const open: FunctionCoverage[] = [];
  let next = 1;
  for (const n of numbers) {
    // gcov 11+ walks every line and drops the innermost function at its end line; replay
    // that for the lines skipped since the last one looked at.
    if (ctx.namesEnd)
      for (
        let top = open.at(-1);
        top && top.gcno.endLine >= next && top.gcno.endLine < n;
        top = open.at(-1)
      ) {
        next = top.gcno.endLine + 1;
        open.pop();
      }
    const starting = startsAt.get(n);
    if (starting)
      for (const f of starting) {
        if (!f.group) {
          open.push(f);
          continue;
        }
        for (const l of f.lines.sorted()) if (l.exists) emit(l, f.name);
      }
    const l = file.lines.get(n);
    const last = open.at(-1);
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

const contextOf = (cov: ObjectCoverage, opts: GcovJsonOptions): Ctx => ({
  v2: cov.gcno.format.jsonFormat === '2',
  conditions: opts.conditions ?? false,
  demangle: opts.demangle ?? ((n: string) => demangle(n) ?? n),
  pathsKind: cov.gcno.format.counters.findIndex((k) => k.name === 'paths'),
  namesEnd: cov.gcno.format.namesEndAtEndLine,
  primePaths: opts.primePaths ?? false,
  exitBlock: cov.gcno.format.exitBlockOne ? 1 : -1,
  notesFile: cov.gcno.file,
  problems: opts.problems,
  pool: opts.primePathPool ?? newPrimePathPool(),
});

export function gcovJsonFiles(cov: ObjectCoverage, opts: GcovJsonOptions = {}): GcovJsonFile[] {
  const ctx = contextOf(cov, opts);
  return cov.files.map((f) => fileJson(f, ctx));
}

/**
 * The same `files` array as JSON text, written in pieces to `write` without building the
 * objects: the text equals JSON.stringify(gcovJsonFiles(cov, opts)), key order included.
 */
export function writeGcovJsonFiles(
  cov: ObjectCoverage,
  opts: GcovJsonOptions,
  write: (text: string) => void,
): void {
  const ctx = contextOf(cov, opts);
  const out = new TextSink(write);
  out.add('[');
  cov.files.forEach((f, i) => {
    if (i > 0) out.add(',');
    writeFile(f, ctx, out);
  });
  out.add(']');
  out.flush();
}

// ---------------------------------------------------------------------------------------
// Text writer: the JSON of a large object is written in pieces instead of being built as
// objects and stringified whole (less memory, less garbage).

/** Collects text and hands it on in pieces of about 64 KiB. */
class TextSink {
  private text = '';
  constructor(private readonly write: (text: string) => void) {}
  add(s: string): void {
    this.text += s;
    if (this.text.length >= 1 << 16) this.flush();
  }
  flush(): void {
    if (this.text.length > 0) this.write(this.text);
    this.text = '';
  }
}

/** JSON text of names, cached: a function name is repeated on each of its lines. */
const quoted = new Map<string, string>();
function quote(s: string): string {
  let q = quoted.get(s);
  if (q === undefined) {
    if (quoted.size >= 1 << 16) quoted.clear();
    quoted.set(s, (q = JSON.stringify(s)));
  }
  return q;
}

/** lineJson as text, the keys in the same order. */
function lineText(line: LineCoverage, fnName: string | undefined, ctx: Ctx): string {
  const { v2 } = ctx;
  let t = '{"line_number":' + line.lineNumber;
  if (fnName !== undefined) t += ',"function_name":' + quote(fnName);
  t += ',"count":' + line.count + ',"unexecuted_block":' + line.unexecutedBlock;
  const ids = line.blocks;
  if (v2) t += ',"block_ids":[' + ids.join(',') + ']';
  t += ',"branches":[';
  let branches = 0;
  let calls = '';
  for (let i = 0; i < ids.length; i++) {
    const b = ids[i]!;
    const { arcs, arcCounts, arcState, succ, succStart } = blockFunction(line, i);
    for (let p = succStart[b]!, end = succStart[b + 1]!; p < end; p++) {
      const k = succ[p]!;
      const kind = arcKind(arcs, arcState, k);
      if (kind === BRANCH) {
        t +=
          (branches++ > 0 ? ',{"count":' : '{"count":') +
          arcCounts[k]! +
          (arcState[k]! & ARC_STATE.THROW ? ',"throw":true' : ',"throw":false') +
          (arcs[3 * k + 2]! & ARC_FLAG.FALLTHROUGH ? ',"fallthrough":true' : ',"fallthrough":false') +
          (v2
            ? ',"source_block_id":' + arcs[3 * k]! + ',"destination_block_id":' + arcs[3 * k + 1]! + '}'
            : '}');
      } else if (v2 && kind === CALL_NON_RETURN) {
        calls +=
          (calls.length > 0 ? ',{"source_block_id":' : '{"source_block_id":') +
          arcs[3 * k]! +
          ',"destination_block_id":' +
          arcs[3 * k + 1]! +
          ',"returned":' +
          (blockCountOnLine(line, arcs[3 * k]!) - arcCounts[k]!) +
          '}';
      }
    }
  }
  t += ']';
  if (v2)
    t +=
      ',"calls":[' +
      calls +
      '],"conditions":' +
      (ctx.conditions && line.conditions.length > 0
        ? JSON.stringify(line.conditions.map(conditionJson))
        : '[]');
  return t + '}';
}

function writeFile(file: FileCoverage, ctx: Ctx, out: TextSink): void {
  out.add('{"file":' + JSON.stringify(file.file) + ',"functions":[');
  file.functions.forEach((f, i) => out.add((i > 0 ? ',' : '') + JSON.stringify(functionJson(f, ctx))));
  out.add('],"lines":[');
  let first = true;
  visitLines(file, ctx, (l, name) => {
    out.add(first ? lineText(l, name, ctx) : ',' + lineText(l, name, ctx));
    first = false;
  });
  out.add(']}');
}
