/** The app's session with several images: merged runs by default, snapshots on request. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffRuns } from '../../src/model/diff';
import { multiRun } from '../../src/cli/runs';
import { buildRunsReport, coveredBy } from '../../src/model/runs';
import { Session } from '../../src/model/session';
import { walkFiles } from '../helpers/fixtures';
import { imagePath, notesOf, refObj, runOf, runsFixture } from '../helpers/runs';

const fx = runsFixture();

async function session(images: [string, string][]): Promise<Session> {
  const s = new Session();
  const gcno = join(fx.dir, 'gcno');
  await s.add([
    ...images.map(([path, file]) => ({ path, bytes: new Uint8Array(readFileSync(file)) })),
    ...walkFiles(gcno).map((f) => ({
      path: `gcno/${relative(gcno, f)}`,
      bytes: new Uint8Array(readFileSync(f)),
    })),
  ]);
  return s;
}

describe('session with several images', () => {
  it('merges them by default, then compares them as snapshots', async () => {
    const s = await session([
      ['a.bin', imagePath(fx, '')],
      ['b.bin', imagePath(fx, 'later')],
    ]);
    const notes = notesOf(fx);
    const merged = buildRunsReport(notes, [runOf(fx, '', 'a.bin'), runOf(fx, 'later', 'b.bin')]);
    expect(s.runs()?.summary.runs.map((r) => r.name)).toEqual(['a.bin', 'b.bin']);
    expect(s.report()?.report.totals).toEqual(merged.report.totals);
    expect(s.summary().problems).toEqual([]);

    s.setRuns({ mode: 'diff', partial: false });
    const d = diffRuns(notes, runOf(fx, '', 'a.bin'), runOf(fx, 'later', 'b.bin'));
    const view = s.runs()!.summary.diff!;
    expect(view.onlyB).toEqual(d.onlyB);
    expect(view.totalsA).toEqual(d.totalsA);
    expect(s.report()?.report.totals).toEqual(d.totalsB);
  });

  it('refuses another build, and compares the matching objects when asked', async () => {
    const s = await session([
      ['a.bin', imagePath(fx, '')],
      ['b.bin', imagePath(fx, 'changed')],
    ]);
    expect(s.runs()?.summary.refused).toMatch(/lib\.gcda/);
    expect(s.summary().report).toBe(false);
    s.setRuns({ mode: 'diff', partial: true });
    expect(s.runs()?.summary.diff?.left.map((o) => o.data.split('/').pop())).toEqual(['lib.gcda']);
    expect(s.summary().report).toBe(true);
  });
});

/** Every .gcda under `dir`, dropped as `folder/<path under dir>`. */
const dropped = (folder: string, dir: string) =>
  walkFiles(dir)
    .filter((f) => f.endsWith('.gcda'))
    .map((f) => ({ path: `${folder}/${relative(dir, f)}`, bytes: new Uint8Array(readFileSync(f)) }));

const gcnoDropped = () => {
  const gcno = join(fx.dir, 'gcno');
  return walkFiles(gcno).map((f) => ({
    path: `gcno/${relative(gcno, f)}`,
    bytes: new Uint8Array(readFileSync(f)),
  }));
};

describe('session with several .gcda sets', () => {
  it('merges two folders of the same objects as runs, as `--run a=DIR --run b=DIR` does', async () => {
    const a = refObj(fx, '');
    const b = refObj(fx, 'later');
    const s = new Session();
    await s.add([...dropped('run-a', a), ...dropped('run-b', b), ...gcnoDropped()]);
    const cli = multiRun(
      notesOf(fx),
      [
        { name: 'run-a', path: a },
        { name: 'run-b', path: b },
      ],
      { detect: {}, report: {}, diff: false, partial: false },
      () => undefined,
      [],
    );
    expect(s.runs()?.summary.runs.map((r) => r.name)).toEqual(['run-a', 'run-b']);
    expect(s.summary().problems).toEqual([]);
    const report = s.report()!.report;
    expect(report.totals).toEqual(cli.totals);
    expect(s.runs()!.summary.runs[0]!.totals).not.toEqual(cli.totals);
    const lines = (r: typeof report) =>
      r.files.map((f) => [
        f.path,
        f.lines.map((l) => [l.lineNumber, l.count, l.branches.map((x) => x.count)]),
      ]);
    expect(lines(report)).toEqual(lines(cli));
    // per line, the runs that executed it, as the CLI's --runs-json
    const perRun = buildRunsReport(notesOf(fx), [
      { name: 'run-a', data: perRunData(a) },
      { name: 'run-b', data: perRunData(b) },
    ]);
    expect([...s.runs()!.coveredBy!]).toEqual([...coveredBy(perRun)]);

    s.setRuns({ mode: 'diff', partial: false });
    expect(s.runs()?.summary.diff?.onlyB).toEqual(
      diffRuns(notesOf(fx), { name: 'run-a', data: perRunData(a) }, { name: 'run-b', data: perRunData(b) })
        .onlyB,
    );
  });

  it('takes archives of the run folders (tar czf a.tgz a: a/a/…) as the same runs', async () => {
    const sets: [string, string][] = [
      ['run-a', refObj(fx, '')],
      ['run-b', refObj(fx, 'later')],
    ];
    const work = mkdtempSync(join(tmpdir(), 'hvcov-gcda-sets-'));
    const archives = sets.map(([name, dir]) => {
      cpSync(dir, join(work, name), { recursive: true });
      execFileSync('tar', ['-czf', `${name}.tar.gz`, name], { cwd: work });
      return { path: `${name}.tar.gz`, bytes: new Uint8Array(readFileSync(join(work, `${name}.tar.gz`))) };
    });
    const s = new Session();
    await s.add([...archives, ...gcnoDropped()]);
    const folders = new Session();
    await folders.add([...sets.flatMap(([name, dir]) => dropped(name, dir)), ...gcnoDropped()]);
    expect(s.summary().problems).toEqual([]);
    expect(s.runs()?.summary.runs.map((r) => r.name)).toEqual(['run-a', 'run-b']);
    expect(s.report()?.report.totals).toEqual(folders.report()?.report.totals);
    expect(s.runs()?.summary.runs.map((r) => r.totals)).toEqual(
      folders.runs()?.summary.runs.map((r) => r.totals),
    );
  });

  it('warns of the same run given twice', async () => {
    const a = refObj(fx, '');
    const s = new Session();
    await s.add([...dropped('run-a', a), ...dropped('run-b', a), ...gcnoDropped()]);
    expect(s.runs()?.summary.warnings.join('\n')).toMatch(/run-b holds exactly the counters of run-a/);
  });

  it('keeps one set split over folders of different objects as one set', async () => {
    const a = refObj(fx, '');
    const files = dropped('run-a', a);
    const s = new Session();
    await s.add([
      ...files
        .filter((f) => f.path.includes('/arch/'))
        .map((f) => ({ ...f, path: f.path.replace('run-a/', 'part-1/') })),
      ...files
        .filter((f) => !f.path.includes('/arch/'))
        .map((f) => ({ ...f, path: f.path.replace('run-a/', 'part-2/') })),
      ...gcnoDropped(),
    ]);
    expect(s.runs()).toBeUndefined();
    const one = new Session();
    await one.add([...files, ...gcnoDropped()]);
    expect(one.runs()).toBeUndefined();
    expect(s.report()?.report.totals).toEqual(one.report()?.report.totals);
  });
});

const perRunData = (dir: string) =>
  walkFiles(dir)
    .filter((f) => f.endsWith('.gcda'))
    .map((f) => ({ name: relative(dir, f), bytes: new Uint8Array(readFileSync(f)) }));
