/**
 * Exclusions against the tools: a C driver with markers of every kind lcov 1.16 and gcovr
 * 5.2 read (test/fixtures/exclusions), compiled with gcc-12 --coverage and run here.
 *
 * - lcov: our tracefiles equal `lcov --capture` (and `lcov -a`) with markers, and with
 *   --no-markers;
 * - gcovr: our Cobertura XML equals gcovr's with markers;
 * - the model's totals without excluded code equal gcov's JSON numbers with the lines,
 *   branches and functions removed that lcov or gcovr removed (each tool run with and
 *   without markers tells which);
 * - a justification file gives what lcov gives with LCOV_EXCL_LINE written on the lines
 *   the justification names (found in the source by the test: function extent from gcov's
 *   JSON, anchor text by search).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { applyExclusions } from '../../src/model/apply-exclusions';
import { coberturaXml } from '../../src/model/cobertura';
import { parseJustifications } from '../../src/model/justification';
import { lcovCaptureTracefile, lcovTracefile } from '../../src/model/lcov';
import { buildReport, type Report, type Totals } from '../../src/model/report';
import {
  buildFixture,
  gcdaFiles,
  gcnoFiles,
  gcovJson,
  gcovrJson,
  gcovrXml,
  lcovRun,
  lcovTotalsOf,
  lcovWithEverythingMarked,
  removeBuilds,
  replaceSource,
} from '../helpers/exclusions-build';
import { lcovRecords } from '../helpers/lcov';

const bytes = (p: string) => new Uint8Array(readFileSync(p));

function reportOf(dir: string, markers: boolean, justificationsFrom?: string): Report {
  const r = buildReport(
    gcnoFiles(dir).map((n) => ({ name: n, bytes: bytes(join(dir, n)) })),
    gcdaFiles(dir).map((n) => ({ name: n, bytes: bytes(join(dir, n)) })),
  );
  expect(r.problems.map((p) => p.message)).toEqual([]);
  const j = justificationsFrom
    ? parseJustifications(readFileSync(justificationsFrom, 'utf8'), justificationsFrom)
    : undefined;
  if (j) expect(j.problems).toEqual([]);
  applyExclusions(r, {
    source: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined),
    markers,
    ...(j ? { justifications: j.file } : {}),
  });
  return r;
}

/** FNDA lines in Perl hash order in lcov's merged form: sorted on both sides. */
const fndaSorted = (r: string[]) => {
  const fnda = r.filter((l) => l.startsWith('FNDA:')).sort();
  let i = 0;
  return r.map((l) => (l.startsWith('FNDA:') ? fnda[i++]! : l));
};
const recordSet = (t: string) =>
  lcovRecords(t)
    .map((r) => r.join('\n'))
    .sort();

const dir = buildFixture();
afterAll(removeBuilds);

describe('exclusion markers equal lcov 1.16 and gcovr 5.2', () => {
  it('lcov --capture and lcov -a, with markers and with --no-markers', () => {
    for (const markers of [true, false]) {
      const lcov = lcovRun(dir, markers ? [] : ['--no-markers'], markers ? 'marked' : 'plain');
      const report = reportOf(dir, markers);
      expect(recordSet(lcovCaptureTracefile(report))).toEqual(recordSet(lcov.capture));
      expect(lcovRecords(lcovTracefile(report)).map(fndaSorted)).toEqual(
        lcovRecords(lcov.merged).map(fndaSorted),
      );
    }
    // the markers did take something away
    expect(lcovRun(dir, [], 'a').capture).not.toEqual(lcovRun(dir, ['--no-markers'], 'b').capture);
  });

  it('gcovr --xml-pretty with markers', () => {
    const gcovr = gcovrXml(dir);
    const ours = coberturaXml(reportOf(dir, true), {
      root: dir,
      source: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined),
    });
    const norm = (x: string) =>
      x
        .replace(/ timestamp="\d+"/, '')
        .replace(/ version="[^"]*"/, '')
        .replace(/<source>[^<]*<\/source>/, '')
        .split('\n');
    expect(gcovr).toContain('<line ');
    expect(norm(ours)).toEqual(norm(gcovr));
  });

  it("totals without excluded code equal gcov's JSON less what lcov and gcovr excluded", () => {
    const gcov = gcovJson(dir);
    // per file: lines, branch lines and functions each tool dropped for its markers
    const lcovDrop = (text: string) => {
      const m = new Map<string, { da: Set<number>; br: Set<number>; fn: Set<string> }>();
      for (const r of lcovRecords(text)) {
        const e = { da: new Set<number>(), br: new Set<number>(), fn: new Set<string>() };
        for (const l of r) {
          if (l.startsWith('DA:')) e.da.add(Number(l.slice(3).split(',')[0]));
          if (l.startsWith('BRDA:')) e.br.add(Number(l.slice(5).split(',')[0]));
          if (l.startsWith('FN:')) e.fn.add(l.slice(l.indexOf(',') + 1));
        }
        m.set(r[0]!.slice(3), e);
      }
      return m;
    };
    const lMarked = lcovDrop(lcovRun(dir, [], 'c').capture);
    const lPlain = lcovDrop(lcovRun(dir, ['--no-markers'], 'd').capture);
    const gMarked = gcovrJson(dir);
    const gPlain = gcovrJson(dir, ['--no-markers']);
    const gLine = (j: typeof gMarked, file: string, n: number) =>
      j.files.find((f) => join(dir, f.file) === file)?.lines.find((l) => l.line_number === n);

    const want: Totals = {
      lines: { found: 0, hit: 0 },
      functions: { found: 0, hit: 0 },
      branches: { found: 0, hit: 0 },
      conditions: { found: 0, hit: 0 },
    };
    const dropped = { lcovLine: 0, lcovBranch: 0, lcovFn: 0, gcovrLine: 0, gcovrBranch: 0 };
    const executed: string[] = [];
    for (const f of gcov) {
      const path = join(dir, f.file);
      const lm = lMarked.get(path)!;
      const lp = lPlain.get(path)!;
      for (const l of f.lines) {
        const n = l.line_number;
        const lcovLine = lp.da.has(n) && !lm.da.has(n);
        const lcovBr = !lcovLine && lp.br.has(n) && !lm.br.has(n);
        const gm = gLine(gMarked, path, n);
        const gp = gLine(gPlain, path, n);
        const gcovrLine = !!gm && !!gp && gm['gcovr/noncode'] && !gp['gcovr/noncode'];
        const gcovrBr = !gcovrLine && !!gm && !!gp && gm.branches.length < gp.branches.length;
        dropped.lcovLine += +lcovLine;
        dropped.lcovBranch += +lcovBr;
        dropped.gcovrLine += +gcovrLine;
        dropped.gcovrBranch += +gcovrBr;
        if (lcovLine || gcovrLine) {
          if (l.count > 0) executed.push(`${path}:${n}`);
          continue;
        }
        want.lines.found++;
        if (l.count > 0) want.lines.hit++;
        if (lcovBr || gcovrBr) continue;
        const unreached = l.unexecuted_block && l.count === 0;
        for (const b of l.branches) {
          want.branches.found++;
          if (!unreached && b.count > 0) want.branches.hit++;
        }
      }
      for (const fn of f.functions) {
        if (lp.fn.has(fn.name) && !lm.fn.has(fn.name)) {
          dropped.lcovFn++;
          continue;
        }
        want.functions.found++;
        if (fn.execution_count > 0) want.functions.hit++;
      }
    }
    // every kind of marker took something away
    for (const v of Object.values(dropped)) expect(v).toBeGreaterThan(0);

    const report = reportOf(dir, true);
    expect(report.afterExclusions).toEqual(want);
    expect(report.exclusions!.executed.filter((e) => !e.function).map((e) => `${e.path}:${e.line}`)).toEqual(
      executed,
    );
    expect(executed.length).toBeGreaterThan(0);
  });
});

describe('a justification file', () => {
  it('equals lcov with LCOV_EXCL_LINE on the lines it names; a vanished function is stale', () => {
    const other = buildFixture();
    const gcov = gcovJson(other).find((f) => f.file === 'uart.c')!;
    const text = readFileSync(join(other, 'uart.c'), 'utf8').split('\n');
    const fn = (name: string) => gcov.functions.find((f) => f.name === name)!;
    const marked = new Set<number>();
    // UART-1: in uart_irq, from `if (status & 2) {` to the next `}`
    const irq = fn('uart_irq');
    let n = irq.start_line;
    while (text[n - 1]!.trim() !== 'if (status & 2) {') n++;
    for (; text[n - 1]!.trim() !== '}'; n++) marked.add(n);
    marked.add(n);
    // UART-2: all of uart_fault
    const fault = fn('uart_fault');
    for (let i = fault.start_line; i <= fault.end_line; i++) marked.add(i);
    replaceSource(
      other,
      'uart.c',
      text.map((t, i) => (marked.has(i + 1) ? `${t} // LCOV_EXCL_LINE` : t)).join('\n'),
    );
    const lcov = lcovRun(other);
    const swap = (t: string) => t.split(other).join(dir);

    const report = reportOf(dir, true, join(dir, 'justifications.json'));
    expect(recordSet(lcovCaptureTracefile(report))).toEqual(recordSet(swap(lcov.capture)));
    expect(lcovRecords(lcovTracefile(report)).map(fndaSorted)).toEqual(
      lcovRecords(swap(lcov.merged)).map(fndaSorted),
    );
    expect(report.exclusions!.stale.map((s) => s.justification.id)).toEqual(['UART-3']);
    expect(report.exclusions!.applied.map((a) => a.justification.id)).toEqual(['UART-1', 'UART-2']);
  });
});

describe('hvcov report --exclusions / --no-markers', () => {
  it('writes what lcov writes, lists stale justifications and prints both totals', async () => {
    // written into the build directory, which afterAll removes
    const out = dir;
    const lines: string[] = [];
    const run = async (args: string[]) => {
      lines.length = 0;
      return main(['report', '--build', dir, '--gcda', dir, ...args], (t) => lines.push(t));
    };
    // markers by default: lcov -a's records
    expect(await run(['--lcov', join(out, 'a.info')])).toBe(0);
    const marked = lcovRun(dir, [], 'cli-a').merged;
    expect(lcovRecords(readFileSync(join(out, 'a.info'), 'utf8')).map(fndaSorted)).toEqual(
      lcovRecords(marked).map(fndaSorted),
    );
    // --no-markers: lcov --no-markers
    expect(await run(['--no-markers', '--lcov', join(out, 'b.info')])).toBe(0);
    expect(lcovRecords(readFileSync(join(out, 'b.info'), 'utf8')).map(fndaSorted)).toEqual(
      lcovRecords(lcovRun(dir, ['--no-markers'], 'cli-b').merged).map(fndaSorted),
    );
    // a justification file with a stale entry: exit 1, the entry named; --summary shows
    // totals without excluded code equal to lcov's with everything marked (gcovr's markers
    // as lcov's, LCOV_EXCL_LINE on the justified lines)
    expect(await run(['--exclusions', join(dir, 'justifications.json'), '--summary'])).toBe(1);
    const text = lines.join('\n');
    expect(text).toMatch(/^stale: justification UART-3 /m);
    const want = lcovTotalsOf(lcovWithEverythingMarked().merged);
    const row = new RegExp(
      `^lines +all code .* without excluded +${want.lines.hit}/${want.lines.found} `,
      'm',
    );
    expect(text).toMatch(row);
    expect(text).toMatch(
      new RegExp(
        `^branches +all code .* without excluded +${want.branches.hit}/${want.branches.found} `,
        'm',
      ),
    );
    expect(text).toMatch(
      new RegExp(
        `^functions +all code .* without excluded +${want.functions.hit}/${want.functions.found} `,
        'm',
      ),
    );
    expect(text).toMatch(/excluded but executed: .*uart\.c:\d+ ran \d+ times/);
  });
});
