/** The app's session with several images: merged runs by default, snapshots on request. */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffRuns } from '../../src/model/diff';
import { buildRunsReport } from '../../src/model/runs';
import { Session } from '../../src/model/session';
import { walkFiles } from '../helpers/fixtures';
import { imagePath, notesOf, runOf, runsFixture } from '../helpers/runs';

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
