/**
 * `hvcov report --lcov F --mcdc-coverage` against a real lcov 2 (scripts/debian-lcov.sh):
 * for every fixture built with -fcondition-coverage, lcov 2's `lcov --capture
 * --mcdc-coverage --branch-coverage` (its geninfo reading gcov's --conditions JSON) on a
 * build tree of the fixture's .gcno, libgcov's .gcda and the sources, compared record by
 * record with our tracefile from the fixture's memory image:
 *
 * - MCDC, MCF and MCH lines, DA and LF/LH equal and in lcov 2's order (each record
 *   without its FN and branch lines); FNF/FNH equal lcov 2's where no function has aliases,
 *   and else count lcov 2's FNA lines (lcov 2 counts a function's aliases once, 1.16 each);
 * - branches: lcov 2 writes gcov 14's block numbers as the BRDA text and marks
 *   fall-through arcs; ours keep lcov 1.16's numbering. The counts are compared line by
 *   line (see compareBranches: lcov 2 merges a header's branches over objects differently);
 * - functions: the same first line, count and name (lcov 2 writes them as FNL/FNA with
 *   end lines);
 * - lcov 2 reads our tracefile back (`lcov -a`) with the same MC/DC records;
 * - without --mcdc-coverage the tracefile is the same without the MC/DC lines (lcov 1.16's,
 *   which test/conformance/lcov.test.ts holds it to).
 *
 * And the exclusions fixture (test/fixtures/exclusions) built here with GCC 14 and
 * -fcondition-coverage: the MC/DC records equal lcov 2's with its markers and without.
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { EXCLUSIONS_FIXTURE, SOURCES } from '../helpers/exclusions-build';
import { fixturesRoot, listFixtures } from '../helpers/fixtures';
import { fixtureMeta, lcovBuildTree, lcovRecords, run } from '../helpers/lcov';

/** lcov 2's `lcov` (scripts/debian-lcov.sh prints its folder). */
const LCOV2 = process.env.HVCOV_LCOV2 ?? '/opt/debian-lcov/bin/lcov';

const configs = listFixtures().filter((c) =>
  fixtureMeta(join(fixturesRoot(), c)).cflags.includes('-fcondition-coverage'),
);

async function hvcov(args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(args, (s) => lines.push(s));
  return { code, text: lines.join('\n') };
}

const isMcdc = (l: string) => /^MC(DC|F|H):/.test(l);
const isBranchOrFn = (l: string) => /^(FN|FNDA|FNL|FNA|FNF|FNH|BRDA|BRF|BRH):/.test(l);
const value = (rec: string[], key: string) => rec.find((l) => l.startsWith(key + ':'));

/** Per line, the BRDA counts in order ("-" as 0: lcov counts it so). */
function branchesByLine(rec: string[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const l of rec) {
    if (!l.startsWith('BRDA:')) continue;
    const line = Number(l.slice(5, l.indexOf(',')));
    const taken = l.slice(l.lastIndexOf(',') + 1);
    out.set(line, [...(out.get(line) ?? []), taken === '-' ? 0 : Number(taken)]);
  }
  return out;
}

/**
 * lcov 1.16 adds a header's branches over objects position by position, lcov 2 only where
 * its branch texts (gcov's block numbers) agree and keeps the others apart: the same
 * lines and the same sum per line, the same counts where lcov 2 merged them all, and then
 * the same BRF/BRH. Returns the lines where lcov 2 kept more.
 */
function compareBranches(ours: string[], theirs: string[]): number[] {
  const a = branchesByLine(ours),
    b = branchesByLine(theirs);
  expect([...a.keys()], ours[0]).toEqual([...b.keys()]);
  const apart: number[] = [];
  const sum = (v: number[]) => v.reduce((x, y) => x + y, 0);
  for (const [line, counts] of a) {
    const other = b.get(line)!;
    expect(sum(counts), `${ours[0]}:${line}`).toBe(sum(other));
    if (counts.length === other.length) expect(counts, `${ours[0]}:${line}`).toEqual(other);
    else apart.push(line);
  }
  if (apart.length === 0) {
    expect(value(ours, 'BRF'), ours[0]).toBe(value(theirs, 'BRF'));
    expect(value(ours, 'BRH'), ours[0]).toBe(value(theirs, 'BRH'));
  }
  return apart;
}

/** Per function "first line,count,name", from FN/FNDA (lcov 1.16) or FNL/FNA (lcov 2). */
function functions(rec: string[]): string[] {
  const out: string[] = [];
  const fnLine = new Map<string, string>();
  const fnlLine = new Map<string, string>();
  for (const l of rec) {
    const v = l.slice(l.indexOf(':') + 1).split(',');
    if (l.startsWith('FN:')) fnLine.set(v.slice(1).join(','), v[0]!);
    else if (l.startsWith('FNL:')) fnlLine.set(v[0]!, v[1]!);
  }
  for (const l of rec) {
    const v = l.slice(l.indexOf(':') + 1).split(',');
    if (l.startsWith('FNDA:')) {
      const name = v.slice(1).join(',');
      out.push(`${fnLine.get(name)},${v[0]},${name}`);
    } else if (l.startsWith('FNA:')) out.push(`${fnlLine.get(v[0]!)},${v[1]},${v.slice(2).join(',')}`);
  }
  return out.sort();
}

describe('lcov MC/DC records equal lcov 2', () => {
  it('runs lcov 2 and has fixtures with condition coverage', () => {
    expect(run(LCOV2, ['--version'], tmpdir())).toMatch(/LCOV version 2\./);
    expect(configs.length).toBeGreaterThan(0);
  });

  for (const config of configs) {
    it(config, async () => {
      const fixtureDir = join(fixturesRoot(), config);
      const { root, dir, meta } = lcovBuildTree(fixtureDir);
      const flags = ['--mcdc-coverage', '--branch-coverage', '-q'];
      const capFile = join(root, 'lcov2.info');
      run(
        LCOV2,
        ['--capture', ...flags, '--gcov-tool', meta.gcov, '-d', dir, '-b', dir, '-o', capFile],
        root,
      );
      const lcov2 = lcovRecords(readFileSync(capFile, 'utf8'));

      const out = mkdtempSync(join(tmpdir(), 'hvcov-mcdc-'));
      const base = ['report', '--build', join(fixtureDir, 'gcno'), '--image', join(fixtureDir, 'image.bin')];
      const oursFile = join(out, 'mcdc.info');
      const plainFile = join(out, 'plain.info');
      const r = await hvcov([...base, '--source-root', dir, '--lcov', oursFile, '--mcdc-coverage']);
      expect(r.code).toBe(0);
      expect((await hvcov([...base, '--source-root', dir, '--lcov', plainFile])).code).toBe(0);
      const ours = lcovRecords(readFileSync(oursFile, 'utf8'));

      expect(ours.map((rec) => rec[0])).toEqual(lcov2.map((rec) => rec[0]));
      expect(lcov2.flat().filter(isMcdc).length).toBeGreaterThan(100);
      const apart: string[] = [];
      ours.forEach((rec, i) => {
        const theirs = lcov2[i]!;
        const rest = (r: string[]) => r.filter((l) => !isBranchOrFn(l));
        expect(rest(rec), rec[0]).toEqual(rest(theirs));
        expect(functions(rec), rec[0]).toEqual(functions(theirs));
        // lcov 2 counts a function's aliases (FNA of one FNL: template instances, constructor
        // variants at one place) once in FNF/FNH; the file stays lcov 1.16's, which counts each
        const fna = theirs.filter((l) => l.startsWith('FNA:'));
        expect(value(rec, 'FNF'), rec[0]).toBe(`FNF:${fna.length}`);
        expect(value(rec, 'FNH'), rec[0]).toBe(`FNH:${fna.filter((l) => l.split(',')[1] !== '0').length}`);
        if (theirs.filter((l) => l.startsWith('FNL:')).length === fna.length) {
          expect(value(rec, 'FNF'), rec[0]).toBe(value(theirs, 'FNF'));
          expect(value(rec, 'FNH'), rec[0]).toBe(value(theirs, 'FNH'));
        }
        for (const line of compareBranches(rec, theirs)) apart.push(`${rec[0]!.slice(3)}:${line}`);
      });
      // where lcov 2 kept a header's branches apart, the file is included by several objects
      for (const at of apart) expect(at).toMatch(/\/include\/.*\.h:\d+$/);

      // lcov 2 reads our records and writes them back unchanged
      const back = join(root, 'back.info');
      run(LCOV2, ['-a', oursFile, ...flags, '--ignore-errors', 'unsupported', '-o', back], root);
      const mcdcOf = (recs: string[][]) => recs.map((rec) => [rec[0], ...rec.filter(isMcdc)]);
      expect(mcdcOf(lcovRecords(readFileSync(back, 'utf8')))).toEqual(mcdcOf(lcov2));

      // the switch adds the MC/DC lines and nothing else
      const plain = readFileSync(plainFile, 'utf8');
      expect(plain.split('\n').some(isMcdc)).toBe(false);
      expect(
        readFileSync(oursFile, 'utf8')
          .split('\n')
          .filter((l) => !isMcdc(l)),
      ).toEqual(plain.split('\n'));
    });
  }

  it('exclusion markers, as lcov 2 reads them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hvcov-mcdc-excl-'));
    for (const f of SOURCES) cpSync(join(EXCLUSIONS_FIXTURE, f), join(dir, f));
    const meta = fixtureMeta(join(fixturesRoot(), configs[0]!));
    const gcc = meta.gcov.replace(/gcov-(\d+)$/, 'gcc-$1');
    for (const c of ['uart', 'main'])
      run(gcc, ['--coverage', '-fcondition-coverage', '-O0', '-c', `${c}.c`, '-o', `${c}.o`], dir);
    run(gcc, ['--coverage', 'uart.o', 'main.o', '-o', 'prog'], dir);
    run('./prog', [], dir);
    const mcdcOf = (file: string) =>
      lcovRecords(readFileSync(file, 'utf8')).map((rec) => [rec[0], ...rec.filter(isMcdc)]);
    const counts = new Set<string>();
    for (const markers of [true, false]) {
      const tag = markers ? 'marked' : 'plain';
      const extra = markers ? [] : ['--no-markers'];
      const lcov2 = join(dir, `${tag}-lcov2.info`);
      const ours = join(dir, `${tag}-ours.info`);
      const flags = ['--mcdc-coverage', '--branch-coverage', '-q', ...extra];
      run(LCOV2, ['--capture', ...flags, '--gcov-tool', meta.gcov, '-d', dir, '-b', dir, '-o', lcov2], dir);
      const r = await hvcov([
        'report',
        '--build',
        dir,
        '--gcda',
        dir,
        '--lcov',
        ours,
        '--mcdc-coverage',
        ...extra,
      ]);
      expect(r.code).toBe(0);
      expect(mcdcOf(ours)).toEqual(mcdcOf(lcov2));
      counts.add(mcdcOf(lcov2).flat().join('\n'));
    }
    // the markers remove some MC/DC records
    expect(counts.size).toBe(2);
  });
});
