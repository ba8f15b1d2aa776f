/** Snapshots and merged runs on the committed runs/ fixtures, without external tools. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { compareBuilds, diffReports, diffRuns } from '../../src/model/diff';
import { buildReport } from '../../src/model/report';
import { buildRunsReport, coveredBy } from '../../src/model/runs';
import { buildSeries } from '../../src/model/series';
import { imagePath, notesOf, refObj, runOf, runsFixture } from '../helpers/runs';

const fx = runsFixture();
const notes = notesOf(fx);

async function hvcov(args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(args, (s) => lines.push(s));
  return { code, text: lines.join('\n') };
}

describe('snapshots', () => {
  it('a snapshot against itself: every delta 0, nothing only in B', () => {
    const d = diffRuns(notes, runOf(fx, ''), runOf(fx, '', 'again'));
    expect(d.onlyB).toEqual({ lines: 0, branches: 0, conditions: 0 });
    expect(
      d.files.every((f) => f.lines.every((l) => l.delta === 0 && l.branches.every((b) => b.a === b.b))),
    ).toBe(true);
    expect(d.objects.every((o) => o.status === 'same')).toBe(true);
  });

  it('B − A is the opposite of A − B', () => {
    const ab = diffRuns(notes, runOf(fx, ''), runOf(fx, 'later'));
    const ba = diffReports(ab.reportB, ab.reportA);
    const back = new Map(ba.files.flatMap((f) => f.lines.map((l) => [`${f.path}:${l.lineNumber}`, l.delta])));
    for (const f of ab.files)
      for (const l of f.lines) {
        expect(back.get(`${f.path}:${l.lineNumber}`)).toBe(-l.delta || 0);
      }
    expect(ab.onlyB.lines).toBeGreaterThan(0);
  });

  it('another build is refused with the object, its stamps and checksums', () => {
    const m = compareBuilds(runOf(fx, '').data, runOf(fx, 'changed').data);
    const other = m.filter((o) => o.status === 'other-build');
    expect(other.length).toBe(1);
    expect(other[0]!.reason).toMatch(/A has stamp 0x[0-9a-f]+, checksum 0x[0-9a-f]+, B has stamp/);
    expect(() => diffRuns(notes, runOf(fx, ''), runOf(fx, 'changed'))).toThrow(other[0]!.data);
  });

  it('a series has one point per snapshot with its report totals', () => {
    const s = buildSeries(notes, [runOf(fx, ''), runOf(fx, 'later'), runOf(fx, 'changed')]);
    expect(s.points.map((p) => p.name)).toEqual(['A', 'later', 'changed']);
    expect(s.points.map((p) => p.totals)).toEqual(s.reports.map((r) => r.totals));
    expect(s.points.map((p) => p.sameBuild)).toEqual([true, true, false]);
  });
});

describe('merged runs', () => {
  it('a line count is the sum of the runs’ counts; coveredBy names the runs that count it', () => {
    const r = buildRunsReport(notes, [runOf(fx, ''), runOf(fx, 'cell2')]);
    const by = coveredBy(r);
    const counts = r.perRun.map(
      (p) => new Map(p.files.flatMap((f) => f.lines.map((l) => [`${f.path}:${l.lineNumber}`, l.count]))),
    );
    for (const f of r.report.files)
      for (const l of f.lines) {
        const k = `${f.path}:${l.lineNumber}`;
        expect(l.count).toBe(counts[0]!.get(k)! + counts[1]!.get(k)!);
        expect(by.get(f.path)?.get(l.lineNumber) ?? []).toEqual([0, 1].filter((i) => counts[i]!.get(k)! > 0));
      }
  });

  it('one run alone merges to its own report', () => {
    const r = buildRunsReport(notes, [runOf(fx, '')]);
    expect(r.report.totals).toEqual(buildReport(notes, [...runOf(fx, '').data]).totals);
  });

  it('detects the same run given twice, refuses two runs of one name and another build', () => {
    expect(buildRunsReport(notes, [runOf(fx, ''), runOf(fx, '', 'B')]).warnings.join()).toMatch(
      /B holds exactly the counters of A/,
    );
    expect(() => buildRunsReport(notes, [runOf(fx, ''), runOf(fx, '')])).toThrow(/two runs have this name/);
    expect(() => buildRunsReport(notes, [runOf(fx, ''), runOf(fx, 'changed')])).toThrow(/stamp/);
  });
});

describe('hvcov report with several images', () => {
  const build = join(fx.dir, 'gcno');
  it('--diff prints the deltas and writes them as JSON', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hvcov-')), 'd.json');
    const r = await hvcov([
      'report',
      '--build',
      build,
      '--run',
      `A=${imagePath(fx, '')}`,
      '--run',
      `B=${imagePath(fx, 'later')}`,
      '--diff',
      '--diff-json',
      out,
    ]);
    expect(r.code).toBe(0);
    const d = diffRuns(notes, runOf(fx, ''), runOf(fx, 'later', 'B'));
    expect(r.text).toContain(
      `covered only in B: ${d.onlyB.lines} lines, ${d.onlyB.branches} branches, ${d.onlyB.conditions} condition outcomes`,
    );
    const j = JSON.parse(readFileSync(out, 'utf8')) as { covered_only_in_b: unknown };
    expect(j.covered_only_in_b).toEqual(d.onlyB);
  });

  it('refuses another build (exit 2) unless --partial', async () => {
    const args = [
      'report',
      '--build',
      build,
      '--image',
      imagePath(fx, ''),
      '--image',
      imagePath(fx, 'changed'),
      '--diff',
    ];
    const refused = await hvcov(args);
    expect(refused.code).toBe(2);
    expect(refused.text).toMatch(/not a snapshot of the same build .*lib\.gcda: another build/);
    const partial = await hvcov([...args, '--partial']);
    expect(partial.code).toBe(1);
    // every object of the build but the rebuilt one
    expect(partial.text).toContain(`${notes.length - 1} objects compared, 1 left out`);
    expect(partial.text).toMatch(/left out: .*lib\.gcda: another build/);
  });

  it('takes .gcda folders as runs: the same merged numbers as from the images', async () => {
    const args = (a: string, b: string) => ['report', '--build', build, '--run', `a=${a}`, '--run', `b=${b}`];
    const fromImages = await hvcov(args(imagePath(fx, ''), imagePath(fx, 'cell2')));
    const fromFolders = await hvcov(args(refObj(fx, ''), refObj(fx, 'cell2')));
    expect(fromFolders.code).toBe(0);
    const merged = (t: string) => t.split('\n').find((l) => l.startsWith('merged'));
    expect(merged(fromFolders.text)).toBe(merged(fromImages.text));
    expect(merged(fromFolders.text)).toBeDefined();
  });

  it('merges named runs by default and warns about a duplicate', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hvcov-')), 'r.json');
    const r = await hvcov([
      'report',
      '--build',
      build,
      '--run',
      `a=${imagePath(fx, 'cell2')}`,
      '--run',
      `b=${imagePath(fx, 'cell2')}`,
      '--runs-json',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.text).toMatch(/warning: b holds exactly the counters of a/);
    const j = JSON.parse(readFileSync(out, 'utf8')) as {
      runs: string[];
      files: { lines: { runs: string[] }[] }[];
    };
    expect(j.runs).toEqual(['a', 'b']);
    expect(j.files.flatMap((f) => f.lines).every((l) => l.runs.join() === 'a,b')).toBe(true);
  });
});
