/**
 * lcov 2's MC/DC records (`lcov --mcdc-coverage`) from gcov's condition data (GCC 14+,
 * -fcondition-coverage), as geninfo 2 builds them from `gcov --json-format --conditions`:
 *
 * - per line, one group per expression size (terms); two expressions of the same size on
 *   one line, or the same line in several objects, share that group and add up;
 * - per term, `t` then `f`; taken is how many of those expressions saw the outcome (so 0
 *   or 1 for one object), the expression text is the term's index (gcov names none);
 * - groups in lcov's order (sizes compared as text), lines by number;
 * - MCF/MCH: outcomes found (two per term) and hit, when there are any.
 */
import { branchesExcluded, toolExclusion, type ExclusionFilter } from './apply-exclusions';
import { normalisePath, type Report, type ReportFile } from './report';

const lcovUse = toolExclusion('lcov');
/**
 * lcov 2 drops a line's MC/DC with its branches (LCOV_EXCL_LINE, _BR_LINE, the regions, a
 * justification), but the exception markers drop only exception branches, never MC/DC.
 */
const mcdcUse: ExclusionFilter = (e) => lcovUse(e) && !e.marker?.startsWith('LCOV_EXCL_EXCEPTION_BR');

/** Per group size: times each term was seen true, and false. */
type Groups = Map<number, { t: number[]; f: number[] }>;

/** The MCDC/MCF/MCH lines of every file that has conditions, by path. */
export function lcovMcdcRecords(report: Report): Map<string, string[]> {
  const byFile = new Map<string, Map<number, Groups>>();
  const excluded = new Map<string, ReportFile>();
  for (const f of report.files) if (f.excluded) excluded.set(f.path, f);
  for (const o of report.objects) {
    for (const jf of o.json.files) {
      const path = normalisePath(jf.file, o.sourceRoot);
      const rf = excluded.get(path);
      for (const jl of jf.lines) {
        if (!jl.conditions || jl.conditions.length === 0) continue;
        if (rf && branchesExcluded(rf, jl.line_number, mcdcUse)) continue;
        let lines = byFile.get(path);
        if (!lines) byFile.set(path, (lines = new Map()));
        let groups = lines.get(jl.line_number);
        if (!groups) lines.set(jl.line_number, (groups = new Map()));
        for (const c of jl.conditions) {
          const terms = c.count / 2;
          let g = groups.get(terms);
          if (!g)
            groups.set(
              terms,
              (g = { t: new Array<number>(terms).fill(0), f: new Array<number>(terms).fill(0) }),
            );
          const notTrue = new Set(c.not_covered_true);
          const notFalse = new Set(c.not_covered_false);
          for (let i = 0; i < terms; i++) {
            if (!notTrue.has(i)) g.t[i]!++;
            if (!notFalse.has(i)) g.f[i]!++;
          }
        }
      }
    }
  }
  const out = new Map<string, string[]>();
  for (const [path, lines] of byFile) {
    const rec: string[] = [];
    let found = 0,
      hit = 0;
    for (const line of [...lines.keys()].sort((a, b) => a - b)) {
      const groups = lines.get(line)!;
      const sizes = [...groups.keys()].sort((a, b) =>
        String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0,
      );
      for (const size of sizes) {
        const g = groups.get(size)!;
        for (let i = 0; i < size; i++) {
          rec.push(
            `MCDC:${line},${size},t,${g.t[i]},${i},${i}`,
            `MCDC:${line},${size},f,${g.f[i]},${i},${i}`,
          );
          found += 2;
          hit += (g.t[i]! > 0 ? 1 : 0) + (g.f[i]! > 0 ? 1 : 0);
        }
      }
    }
    if (found > 0) rec.push(`MCF:${found}`, `MCH:${hit}`);
    out.set(path, rec);
  }
  return out;
}
