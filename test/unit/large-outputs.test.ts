/**
 * Outputs of a very large source file: nothing may pass one argument per line (a spread into
 * push or Math.max), which throws RangeError from about 100,000 arguments. SQLite's
 * 260,000-line amalgamation made `--cobertura` throw so before pushAll.
 */
import { describe, expect, it } from 'vitest';
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
  return {
    objects: [],
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
    const xml = coberturaXml(report, { root: '/', source: () => undefined, timestamp: 0 });
    expect(xml.match(/<line /g)).toHaveLength(report.totals.lines.hit);
  });

  it('makes an lcov tracefile and a summary', () => {
    const info = lcovTracefile(report);
    expect(info.match(/^DA:/gm)).toHaveLength(LINES);
    expect(summaryTable(report)).toMatch(/^Total /m);
  });
});
