/**
 * lcov tracefiles from the report, in the two forms lcov 1.16 writes:
 *
 * - `lcovTracefile`: one record per source file, merged over all objects, with the
 *   FNF/FNH, BRF/BRH and LF/LH summaries: what lcov writes whenever it has read
 *   tracefiles (`lcov -a`, `-e`, `-r`, …) and what genhtml reads;
 * - `lcovCaptureTracefile`: what `lcov --capture` (geninfo over gcov's JSON) writes: one
 *   `TN:` block per .gcda, one record per file of that object, no summaries.
 *
 * With `mcdc`, the merged form also carries lcov 2's MC/DC records where lcov 2 writes
 * them (after BRF/BRH), see lcov-mcdc.ts.
 */
import { branchesExcluded, lineExcluded, toolExclusion, totalsAfter } from './apply-exclusions';
import { lcovMcdcRecords } from './lcov-mcdc';
import { lcovFiles, lcovJsonFiles } from './lcov-printf-g';
import { normalisePath, type Report, type ReportFile } from './report';

/** lcov drops what its own markers (and the justifications) exclude, not gcovr's markers. */
const lcovUse = toolExclusion('lcov');

export interface LcovOptions {
  /** Test name (TN:); lcov's default is empty. */
  testName?: string;
  /** lcov 2's MC/DC records (`lcov --mcdc-coverage`); off, as in lcov. */
  mcdc?: boolean;
}

/** lcov's merged form: files by path; FN by line; BRDA and DA by line. */
export function lcovTracefile(report: Report, opts: LcovOptions = {}): string {
  const out: string[] = [];
  const mcdc = opts.mcdc ? lcovMcdcRecords(report) : undefined;
  for (const f of lcovFiles(report)) {
    const ex = f.excluded !== undefined;
    const t = ex ? totalsAfter(f, lcovUse) : f.totals;
    const fns = ex ? f.functions.filter((fn) => !lineExcluded(f, fn.startLine, lcovUse)) : f.functions;
    const lines = ex ? f.lines.filter((l) => !lineExcluded(f, l.lineNumber, lcovUse)) : f.lines;
    out.push(`TN:${opts.testName ?? ''}`, `SF:${f.path}`);
    for (const fn of fns) out.push(`FN:${fn.startLine},${fn.name}`);
    for (const fn of fns) out.push(`FNDA:${fn.executionCount},${fn.name}`);
    out.push(`FNF:${t.functions.found}`, `FNH:${t.functions.hit}`);
    for (const l of lines)
      if (!ex || !branchesExcluded(f, l.lineNumber, lcovUse))
        l.branches.forEach((b, i) => out.push(`BRDA:${l.lineNumber},0,${i},${b.count ?? '-'}`));
    if (t.branches.found > 0) out.push(`BRF:${t.branches.found}`, `BRH:${t.branches.hit}`);
    for (const r of mcdc?.get(f.path) ?? []) out.push(r);
    for (const l of lines) out.push(`DA:${l.lineNumber},${l.count}`);
    out.push(`LF:${t.lines.found}`, `LH:${t.lines.hit}`, 'end_of_record');
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
  const excluded = new Map<string, ReportFile>();
  for (const f of report.files) if (f.excluded) excluded.set(f.path, f);
  for (const o of report.objects) {
    if (o.data === undefined) continue;
    const files = lcovJsonFiles(o);
    if (files.length === 0) continue;
    out.push(`TN:${opts.testName ?? ''}`);
    for (const f of files) {
      const path = normalisePath(f.file, o.sourceRoot);
      const rf = excluded.get(path);
      out.push(`SF:${path}`);
      for (const fn of f.functions)
        if (!rf || !lineExcluded(rf, fn.start_line, lcovUse))
          out.push(`FN:${fn.start_line},${fn.name}`, `FNDA:${fn.execution_count},${fn.name}`);
      for (const l of f.lines) {
        if (rf && lineExcluded(rf, l.line_number, lcovUse)) continue;
        out.push(`DA:${l.line_number},${l.count}`);
        if (rf && branchesExcluded(rf, l.line_number, lcovUse)) continue;
        const unreached = l.unexecuted_block && l.count === 0;
        l.branches.forEach((b, i) => out.push(`BRDA:${l.line_number},0,${i},${unreached ? '-' : b.count}`));
      }
      out.push('end_of_record');
    }
  }
  return out.map((l) => l + '\n').join('');
}
