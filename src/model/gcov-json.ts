/**
 * The `files` part of `gcov --json-format --branch-probabilities` output for one object,
 * in the format_version of the compiler that wrote the notes file.
 */
import { demangle } from '../gcov/demangle';
import { outputFactsFor } from './gcov-output';
import type {
  ConditionCoverage,
  FileCoverage,
  FunctionCoverage,
  LineCoverage,
  ObjectCoverage,
} from './coverage';

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
  prime_path_coverage?: unknown[];
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

/** Counts as JSON numbers (gcov prints int64; beyond 2^53 a JS number rounds). */
const num = (v: bigint): number => Number(v);

/** What the output looks like for this release and these options. */
interface Ctx {
  v2: boolean;
  conditions: boolean;
  demangle: (name: string) => string;
  /** Index of the path counter kind, -1 before GCC 15. */
  pathsKind: number;
  namesEnd: boolean;
}

function lineJson(line: LineCoverage, fnName: string | undefined, ctx: Ctx): GcovJsonLine {
  const { v2 } = ctx;
  const out: GcovJsonLine = {
    line_number: line.lineNumber,
    ...(fnName !== undefined ? { function_name: fnName } : {}),
    count: num(line.count),
    unexecuted_block: line.unexecutedBlock,
    ...(v2 ? { block_ids: line.blocks.map((b) => b.index) } : {}),
    branches: [],
  };
  const calls: GcovJsonCall[] = [];
  for (const a of line.arcs) {
    if (!a.unconditional && !a.callNonReturn) {
      const b: GcovJsonBranch = { count: num(a.count), throw: a.isThrow, fallthrough: a.fallthrough };
      if (v2) {
        b.source_block_id = a.src;
        b.destination_block_id = a.dst;
      }
      out.branches.push(b);
    } else if (v2 && a.callNonReturn) {
      const src = line.blocks.find((b) => b.index === a.src);
      calls.push({
        source_block_id: a.src,
        destination_block_id: a.dst,
        returned: num((src?.count ?? 0n) - a.count),
      });
    }
  }
  if (v2) {
    out.calls = calls;
    out.conditions = ctx.conditions ? line.conditions.map(conditionJson) : [];
  }
  return out;
}

const popcount = (v: bigint): number => {
  let n = 0;
  for (; v > 0n; v >>= 1n) if (v & 1n) n++;
  return n;
};

function functionJson(f: FunctionCoverage, { demangle, pathsKind }: Ctx): GcovJsonFunction {
  const paths =
    pathsKind < 0
      ? {}
      : {
          // Without --prime-paths gcov does not enumerate the paths (total 0) but still
          // counts the bits set in the path counters.
          total_prime_paths: 0,
          covered_prime_paths: (f.counters.get(pathsKind) ?? []).reduce((n, v) => n + popcount(v), 0),
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
    execution_count: num(f.executionCount),
    ...paths,
  };
}

function fileJson(file: FileCoverage, ctx: Ctx): GcovJsonFile {
  const lines: GcovJsonLine[] = [];
  const startsAt = new Map<number, FunctionCoverage[]>();
  for (const f of file.functions) {
    const list = startsAt.get(f.gcno.startLine) ?? [];
    list.push(f);
    startsAt.set(f.gcno.startLine, list);
  }
  // Only lines where something happens, in order (a line number can be any 32-bit value).
  const numbers = [...new Set([...startsAt.keys(), ...file.lines.keys()])].sort((x, y) => x - y);
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
    for (const f of startsAt.get(n) ?? []) {
      if (!f.group) {
        open.push(f);
        continue;
      }
      for (const i of [...f.lines.keys()].sort((x, y) => x - y)) {
        const l = f.lines.get(i)!;
        if (l.exists) lines.push(lineJson(l, f.name, ctx));
      }
    }
    const l = file.lines.get(n);
    const last = open.at(-1);
    if (l?.exists) lines.push(lineJson(l, last?.name, ctx));
    if (ctx.namesEnd && last && last.gcno.endLine === n) open.pop();
    next = n + 1;
  }
  return {
    file: file.file,
    functions: file.functions.map((f) => functionJson(f, ctx)),
    lines,
  };
}

export function gcovJsonFiles(cov: ObjectCoverage, opts: GcovJsonOptions = {}): GcovJsonFile[] {
  const ctx: Ctx = {
    v2: cov.gcno.format.jsonFormat === '2',
    conditions: opts.conditions ?? false,
    demangle: opts.demangle ?? ((n: string) => demangle(n) ?? n),
    pathsKind: cov.gcno.format.counters.findIndex((k) => k.name === 'paths'),
    namesEnd: outputFactsFor(cov.gcno.version).namesEndAtEndLine,
  };
  return cov.files.map((f) => fileJson(f, ctx));
}
