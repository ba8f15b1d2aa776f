/**
 * The page's view logic on a committed fixture's report: packing, source matching,
 * sorting, filtering, bands, next / previous uncovered line, and the session building the
 * report from .gcda files given directly.
 */
import { relative, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildReport, type Report } from '../../src/model/report';
import { Session } from '../../src/model/session';
import {
  KINDS,
  band,
  fileRows,
  filterRows,
  formatHash,
  groupByDirectory,
  lineIndex,
  lineState,
  matchSource,
  nextUncovered,
  packFile,
  parseHash,
  ratio,
  sortRows,
  summarise,
  uncoveredLines,
  visibleRange,
  type FileRow,
  type SortKey,
} from '../../src/ui/report-view';
import { listFixtures, loadFixture, walkFiles } from '../helpers/fixtures';

const fx = loadFixture(listFixtures().find((c) => c.includes('armhf'))!);
const gcnoDir = join(fx.dir, 'gcno');
const srcDir = join(fx.dir, 'src');
const notes = walkFiles(gcnoDir).map((f) => ({
  name: `gcno/${relative(gcnoDir, f)}`,
  bytes: new Uint8Array(readFileSync(f)),
}));
const data = [...fx.ref].map(([name, bytes]) => ({ name, bytes }));
const sources = walkFiles(srcDir).map((f) => `src/${relative(srcDir, f)}`);
const report: Report = buildReport(notes, data);
const summary = summarise(report, sources, data.length);
const rows = fileRows(summary);

describe('the packed summary', () => {
  it('carries the report’s totals per file and directory', () => {
    expect(summary.files).toEqual(report.files.map((f) => f.path));
    expect(rows.map((r) => r.totals)).toEqual(report.files.map((f) => f.totals));
    expect(summary.totals).toEqual(report.totals);
    expect(summary.matched).toBe(fx.ref.size);
    expect(summary.unmatchedNotes).toEqual([]);
    for (const r of rows) expect(summary.root + '/' + r.name).toBe(r.path);
  });

  it('matches every source file to the dropped source with the same path ending', () => {
    for (const r of rows) {
      expect(r.source).not.toBe('');
      expect(r.path.endsWith('/' + r.source)).toBe(true);
    }
  });
});

describe('source matching by path suffix', () => {
  it('takes the longest shared ending, and nothing when two share it equally', () => {
    const path = report.files.find((f) => f.path.endsWith('/hv/cell.h'))!.path;
    expect(matchSource(path, ['a/cell.h', 'include/hv/cell.h', 'hv.h'])).toBe('include/hv/cell.h');
    expect(matchSource(path, ['x/cell.h', 'y/cell.h'])).toBeUndefined();
    expect(matchSource(path, ['cell.c'])).toBeUndefined();
  });
});

describe('sorting and filtering the file table', () => {
  const keys: SortKey[] = [
    'name',
    ...KINDS.flatMap((k) => [`${k}.ratio`, `${k}.hit`, `${k}.found`] as SortKey[]),
  ];
  const value = (r: FileRow, key: SortKey) => {
    if (key === 'name') return r.name;
    const [kind, what] = key.split('.') as [(typeof KINDS)[number], 'ratio' | 'hit' | 'found'];
    return what === 'ratio' ? ratio(r.totals[kind]) : r.totals[kind][what];
  };
  for (const key of keys)
    for (const descending of [false, true])
      it(`sorts by ${key} ${descending ? 'descending' : 'ascending'}`, () => {
        const sorted = sortRows(rows, { key, descending });
        expect([...sorted].sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual(
          [...rows].sort((a, b) => (a.path < b.path ? -1 : 1)),
        );
        for (let i = 1; i < sorted.length; i++) {
          const x = value(sorted[i - 1]!, key);
          const y = value(sorted[i]!, key);
          if (descending) expect(x >= y).toBe(true);
          else expect(x <= y).toBe(true);
          if (x === y) expect(sorted[i - 1]!.name < sorted[i]!.name).toBe(true);
        }
      });

  it('filters by name, case-insensitively', () => {
    const part = rows[0]!.name.slice(0, 2).toUpperCase();
    const got = filterRows(rows, { text: part });
    expect(got).toEqual(rows.filter((r) => r.name.toLowerCase().includes(part.toLowerCase())));
    expect(got.length).toBeGreaterThan(0);
    expect(filterRows(rows, { text: '' })).toEqual(rows);
  });

  it('keeps only files below a line coverage', () => {
    const ratios = rows.map((r) => ratio(r.totals.lines)).sort((a, b) => a - b);
    const limit = ratios[Math.floor(ratios.length / 2)]!;
    const got = filterRows(rows, { text: '', below: limit });
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(rows.length);
    for (const r of rows)
      expect(got.includes(r)).toBe(r.totals.lines.found > 0 && ratio(r.totals.lines) < limit);
  });

  it('groups by directory, each file once', () => {
    const groups = groupByDirectory(rows);
    expect(groups.flatMap((g) => g.rows)).toHaveLength(rows.length);
    for (const g of groups) for (const r of g.rows) expect(r.dir).toBe(g.dir);
    expect(new Set(groups.map((g) => g.dir)).size).toBe(groups.length);
  });
});

describe('genhtml’s bands', () => {
  it('are hi from 90 %, med from 75 %, lo below, none without anything to cover', () => {
    expect(band({ found: 100, hit: 90 })).toBe('hi');
    expect(band({ found: 100, hit: 89 })).toBe('med');
    expect(band({ found: 100, hit: 75 })).toBe('med');
    expect(band({ found: 100, hit: 74 })).toBe('lo');
    expect(band({ found: 0, hit: 0 })).toBe('none');
    for (const r of rows) expect(band(r.totals.lines)).not.toBe('none');
  });
});

describe('a file’s lines', () => {
  for (const f of report.files)
    it(`${f.path}: states, uncovered lines and n / p`, () => {
      const d = packFile(f);
      expect([...d.lines]).toEqual(f.lines.map((l) => l.lineNumber));
      const idx = lineIndex(d, f.lines.at(-1)!.lineNumber);
      const zero = f.lines.filter((l) => l.count === 0).map((l) => l.lineNumber);
      expect(uncoveredLines(d)).toEqual(zero);
      f.lines.forEach((l, i) => {
        expect(idx[l.lineNumber]).toBe(i);
        const s = lineState(d, i);
        if (l.count === 0) expect(s).toBe('uncovered');
        else if (l.unexecutedBlock || l.branches.some((b) => !(b.count! > 0))) expect(s).toBe('partial');
        else expect(s).toBe('covered');
      });
      // n from the top visits every uncovered line in order, p from the bottom in reverse
      const forward: number[] = [];
      for (let l = nextUncovered(zero, undefined, 1); l !== undefined; l = nextUncovered(zero, l, 1))
        forward.push(l);
      expect(forward).toEqual(zero);
      const back: number[] = [];
      for (let l = nextUncovered(zero, undefined, -1); l !== undefined; l = nextUncovered(zero, l, -1))
        back.push(l);
      expect(back).toEqual([...zero].reverse());
    });
});

describe('deep links and the virtual list', () => {
  it('round-trips #file=PATH&line=N', () => {
    const path = report.files[0]!.path;
    expect(parseHash(formatHash(path, 12))).toEqual({ file: path, line: 12 });
    expect(parseHash(formatHash(path))).toEqual({ file: path });
    expect(parseHash('#line=x')).toEqual({});
  });

  it('renders only the rows in view, with overscan, within bounds', () => {
    expect(visibleRange(0, 400, 20, 50_000, 10)).toEqual({ first: 0, last: 30 });
    expect(visibleRange(20 * 25_000, 400, 20, 50_000, 10)).toEqual({ first: 24_990, last: 25_030 });
    expect(visibleRange(20 * 49_990, 400, 20, 50_000, 10)).toEqual({ first: 49_980, last: 49_999 });
  });
});

describe('the session builds the report', () => {
  it('from .gcda files given directly, and lists a .gcda without .gcno as a problem', async () => {
    const s = new Session();
    const orphan = data[0]!;
    const sum = await s.add(
      [
        ...notes,
        ...data.map((d) => ({ name: `gcda${d.name}`, bytes: d.bytes })),
        { name: 'other/nothing.gcda', bytes: orphan.bytes },
      ].map(({ name, bytes }) => ({ path: name, bytes: bytes.slice() })),
    );
    expect(sum.report).toBe(true);
    const built = s.report()!;
    expect(built.report.totals).toEqual(report.totals);
    expect(sum.problems.filter((p) => p.file === 'other/nothing.gcda')).toHaveLength(1);
  });

  it('from the image', async () => {
    const s = new Session();
    const stages = new Set<string>();
    const sum = await s.add(
      [
        { path: 'image.bin', bytes: fx.image.slice() },
        ...notes.map((n) => ({ path: n.name, bytes: n.bytes.slice() })),
      ],
      (p) => stages.add(p.stage),
    );
    expect(sum.report).toBe(true);
    expect(s.report()!.report.totals).toEqual(report.totals);
    expect([...stages]).toEqual(['unpack', 'classify', 'extract', 'match', 'solve', 'index']);
  });
});
