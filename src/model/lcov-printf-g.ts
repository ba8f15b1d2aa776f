/**
 * lcov 1.16's geninfo reads gcov's JSON (GCC 9+). gcov 9 printed its numbers with C's %g
 * (see printf-g.ts), so lcov's counts and line numbers for GCC 9 notes are those rounded
 * values (1869698 → 1869700; lines that round to one number are added up as one line).
 * This gives the lcov writers the numbers lcov sees; the report itself stays exact.
 */
import type { GcovJsonFile } from './gcov-json';
import { printfGValue as g } from './printf-g';
import { mergeJsonFiles, type Report, type ReportFile, type ReportObject } from './report';

const rounds = (o: ReportObject) => o.format.jsonNumbers === 'printf-g';

/**
 * The object's gcov JSON files with the values lcov reads from gcov's text. Made anew at each
 * call, as the report's documents are (not kept: they would hold every object's lines).
 */
export function lcovJsonFiles(o: ReportObject): GcovJsonFile[] {
  if (!rounds(o)) return o.json.files;
  return o.json.files.map((f) => ({
    file: f.file,
    functions: f.functions.map((fn) => ({
      ...fn,
      start_line: g(fn.start_line),
      start_column: g(fn.start_column),
      end_line: g(fn.end_line),
      end_column: g(fn.end_column),
      blocks: g(fn.blocks),
      blocks_executed: g(fn.blocks_executed),
      execution_count: g(fn.execution_count),
    })),
    lines: f.lines.map((l) => ({
      ...l,
      line_number: g(l.line_number),
      count: g(l.count),
      branches: l.branches.map((b) => ({ ...b, count: g(b.count) })),
    })),
  }));
}

/**
 * The report's files as lcov merges them: `report.files` unless an object's gcov printed
 * %g; then merged again from the rounded values (same files, same order, same exclusions).
 */
export function lcovFiles(report: Report): readonly ReportFile[] {
  if (!report.objects.some(rounds)) return report.files;
  const merged = new Map(
    mergeJsonFiles(report.objects.map((o) => ({ files: lcovJsonFiles(o), sourceRoot: o.sourceRoot }))).map(
      (f) => [f.path, f],
    ),
  );
  const out: ReportFile[] = [];
  for (const f of report.files) {
    const m = merged.get(f.path);
    if (m) out.push(f.excluded ? { ...m, excluded: f.excluded } : m);
  }
  return out;
}
