/**
 * Outputs of a very large source file: nothing may pass one argument per line (a spread into
 * push or Math.max), which throws RangeError from about 100,000 arguments. SQLite's
 * 260,000-line amalgamation made `--cobertura` throw so before pushAll.
 */
import { describe, expect, it } from 'vitest';
import { formatFor } from '../../src/gcov/format';
import { decodeVersion } from '../../src/gcov/version';
import { coberturaXml } from '../../src/model/cobertura';
import { lcovTracefile } from '../../src/model/lcov';
import { emptyTotals, type Report, type ReportLine } from '../../src/model/report';
import { summaryTable } from '../../src/model/summary';

const LINES = 300_000;

function bigReport(): Report {
  const lines: ReportLine[] = [];
  for (let n = 1; n <= LINES; n++)
    lines.push({ lineNumber: n, count: n % 3, unexecutedBlock: false, branches: [], conditions: [] });
  const totals = emptyTotals();
  totals.lines = { found: LINES, hit: lines.filter((l) => l.count > 0).length };
  const file = { path: '/src/big.c', functions: [], lines, totals };
  // the object's gcov JSON, which Cobertura reads (gcovr adds up each object's gcov output)
  const format = formatFor(decodeVersion(0x4232322a)!)!; // "B22*", GCC 12.2
  const json = {
    format_version: '1',
    gcc_version: '12.2.0',
    data_file: 'big.gcda',
    files: [
      {
        file: '/src/big.c',
        functions: [],
        lines: lines.map((l) => ({
          line_number: l.lineNumber,
          count: l.count,
          unexecuted_block: false,
          branches: [],
        })),
      },
    ],
  };
  return {
    objects: [{ notes: 'big.gcno', data: 'big.gcda', gccVersion: '12.2', sourceRoot: '/', format, json }],
    files: [file],
    directories: [{ path: '/src', totals }],
    totals,
    problems: [],
    flow: [],
  };
}

describe('a 300,000-line source file', () => {
  const report = bigReport();

  it('makes Cobertura XML with every line', () => {
    // a line of code on each line (without its source gcov prints no line, and gcovr has none)
    const text = 'x++;\n'.repeat(LINES);
    const xml = coberturaXml(report, { root: '/', source: () => text, timestamp: 0 });
    expect(xml.match(/<line /g)).toHaveLength(report.totals.lines.found);
  });

  it('makes an lcov tracefile and a summary', () => {
    const info = lcovTracefile(report);
    expect(info.match(/^DA:/gm)).toHaveLength(LINES);
    expect(summaryTable(report)).toMatch(/^Total /m);
  });
});
