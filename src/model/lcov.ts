/**
 * lcov tracefiles from the report, in the two forms lcov 1.16 writes:
 *
 * - `lcovTracefile`: one record per source file, merged over all objects, with the
 *   FNF/FNH, BRF/BRH and LF/LH summaries: what lcov writes whenever it has read
 *   tracefiles (`lcov -a`, `-e`, `-r`, …) and what genhtml reads;
 * - `lcovCaptureTracefile`: what `lcov --capture` (geninfo over gcov's JSON) writes: one
 *   `TN:` block per .gcda, one record per file of that object, no summaries.
 */
import { normalisePath, type Report } from './report';

export interface LcovOptions {
  /** Test name (TN:); lcov's default is empty. */
  testName?: string;
}

/** lcov's merged form: files by path; FN by line; BRDA and DA by line. */
export function lcovTracefile(report: Report, opts: LcovOptions = {}): string {
  const out: string[] = [];
  for (const f of report.files) {
    out.push(`TN:${opts.testName ?? ''}`, `SF:${f.path}`);
    for (const fn of f.functions) out.push(`FN:${fn.startLine},${fn.name}`);
    for (const fn of f.functions) out.push(`FNDA:${fn.executionCount},${fn.name}`);
    out.push(`FNF:${f.totals.functions.found}`, `FNH:${f.totals.functions.hit}`);
    for (const l of f.lines)
      l.branches.forEach((b, i) => out.push(`BRDA:${l.lineNumber},0,${i},${b.count ?? '-'}`));
    if (f.totals.branches.found > 0)
      out.push(`BRF:${f.totals.branches.found}`, `BRH:${f.totals.branches.hit}`);
    for (const l of f.lines) out.push(`DA:${l.lineNumber},${l.count}`);
    out.push(`LF:${f.totals.lines.found}`, `LH:${f.totals.lines.hit}`, 'end_of_record');
  }
  return out.map((l) => l + '\n').join('');
}

/**
 * geninfo's form: per object with data, in input order, gcov's files in gcov's order;
 * per file FN/FNDA pairs, then each DA followed by its line's BRDA (numbered from 0 on
 * every line; `-` when the line has an unexecuted block and a count of 0).
 */
export function lcovCaptureTracefile(report: Report, opts: LcovOptions = {}): string {
  const out: string[] = [];
  for (const o of report.objects) {
    if (o.data === undefined || o.json.files.length === 0) continue;
    out.push(`TN:${opts.testName ?? ''}`);
    for (const f of o.json.files) {
      out.push(`SF:${normalisePath(f.file, o.sourceRoot)}`);
      for (const fn of f.functions)
        out.push(`FN:${fn.start_line},${fn.name}`, `FNDA:${fn.execution_count},${fn.name}`);
      for (const l of f.lines) {
        out.push(`DA:${l.line_number},${l.count}`);
        const unreached = l.unexecuted_block && l.count === 0;
        l.branches.forEach((b, i) => out.push(`BRDA:${l.line_number},0,${i},${unreached ? '-' : b.count}`));
      }
      out.push('end_of_record');
    }
  }
  return out.map((l) => l + '\n').join('');
}
