/**
 * Snapshots and merged runs against the real tools, on the committed runs/ of one config
 * (scripts/gen-fixtures.sh): the later snapshot's deltas equal the differences of gcov's
 * numbers for the two runs' libgcov .gcda; the merge of two runs equals gcov on what
 * `gcov-tool merge` made of their .gcda; the lines each run covered are the ones gcov
 * counts for that run; the objects refused as another build are the ones gcov refuses
 * with the first build's notes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffRuns, type ReportDiff } from '../../src/model/diff';
import type { Report } from '../../src/model/report';
import { buildRunsReport, coveredBy } from '../../src/model/runs';
import { gcovLines, notesOf, refObj, runOf, runsFixture, type GcovLine } from '../helpers/runs';

const fx = runsFixture();
const notes = notesOf(fx);
const work = mkdtempSync(join(tmpdir(), 'hvcov-runs-conf-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Our report as "path:line" → what gcov would say (unreached branches count 0). */
function ours(r: Report): Map<string, GcovLine> {
  const m = new Map<string, GcovLine>();
  for (const f of r.files)
    for (const l of f.lines) {
      const conditions = new Set<string>();
      l.conditions.forEach((c, i) => {
        for (let k = 0; k < c.count / 2; k++) {
          if (!c.notCoveredTrue.includes(k)) conditions.add(`${i}:t:${k}`);
          if (!c.notCoveredFalse.includes(k)) conditions.add(`${i}:f:${k}`);
        }
      });
      m.set(`${f.path}:${l.lineNumber}`, {
        count: l.count,
        branches: l.branches.map((b) => b.count ?? 0),
        conditions,
      });
    }
  return m;
}

const byKey = (d: ReportDiff) =>
  new Map<string, ReportDiff['files'][number]['lines'][number]>(
    d.files.flatMap((f) => f.lines.map((l) => [`${f.path}:${l.lineNumber}`, l] as const)),
  );

describe(`snapshots of ${fx.meta.config}: deltas equal gcov(B) − gcov(A)`, () => {
  const a = gcovLines(fx, refObj(fx, ''));
  const b = gcovLines(fx, refObj(fx, 'later'));
  const d = diffRuns(notes, runOf(fx, ''), runOf(fx, 'later'));
  const lines = byKey(d);

  it('gcov read both runs without complaint', () => {
    expect(a.stderr).toBe('');
    expect(b.stderr).toBe('');
  });

  it('has the same lines as gcov', () => {
    expect([...lines.keys()].sort()).toEqual([...new Set([...a.lines.keys(), ...b.lines.keys()])].sort());
  });

  it('line, branch and condition deltas per line', () => {
    let changed = 0;
    for (const [key, l] of lines) {
      const la = a.lines.get(key)!;
      const lb = b.lines.get(key)!;
      expect({ key, a: l.a, b: l.b, delta: l.delta, onlyB: l.onlyB }).toEqual({
        key,
        a: la.count,
        b: lb.count,
        delta: lb.count - la.count,
        onlyB: la.count === 0 && lb.count > 0,
      });
      expect(
        l.branches.map((x) => x.b - x.a),
        key,
      ).toEqual(lb.branches.map((n, i) => n - (la.branches[i] ?? 0)));
      expect(l.branchesOnlyB, key).toBe(lb.branches.filter((n, i) => n > 0 && !(la.branches[i]! > 0)).length);
      expect([l.conditionsA, l.conditionsB], key).toEqual([la.conditions.size, lb.conditions.size]);
      expect(l.conditionsOnlyB, key).toBe([...lb.conditions].filter((c) => !la.conditions.has(c)).length);
      if (l.delta !== 0) changed++;
    }
    expect(changed).toBeGreaterThan(0);
  });

  it('"covered only in B" totals', () => {
    let lines2 = 0;
    let branches = 0;
    let conditions = 0;
    for (const [key, lb] of b.lines) {
      const la = a.lines.get(key)!;
      if (la.count === 0 && lb.count > 0) lines2++;
      branches += lb.branches.filter((n, i) => n > 0 && !(la.branches[i]! > 0)).length;
      conditions += [...lb.conditions].filter((c) => !la.conditions.has(c)).length;
    }
    expect(d.onlyB).toEqual({ lines: lines2, branches, conditions });
    expect(lines2).toBeGreaterThan(0);
  });
});

describe(`merged runs of ${fx.meta.config}: gcov on gcov-tool merge`, () => {
  const tool = fx.meta.gcov.replace(/gcov-(\d+)$/, 'gcov-tool-$1');
  const mergedDir = join(work, 'merged');
  execFileSync(tool, ['merge', '-o', mergedDir, refObj(fx, ''), refObj(fx, 'cell2')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const want = gcovLines(fx, mergedDir);
  const r = buildRunsReport(notes, [runOf(fx, '', 'suite-a'), runOf(fx, 'cell2')]);

  it('counts, branches and conditions per line', () => {
    expect(want.stderr).toBe('');
    expect(r.warnings).toEqual([]);
    const got = ours(r.report);
    expect([...got.keys()].sort()).toEqual([...want.lines.keys()].sort());
    for (const [key, w] of want.lines) expect(got.get(key), key).toEqual(w);
  });

  it('says which runs covered each line, as gcov counts each run', () => {
    const perRun = [gcovLines(fx, refObj(fx, '')), gcovLines(fx, refObj(fx, 'cell2'))];
    const by = coveredBy(r);
    let onlyOne = 0;
    for (const key of want.lines.keys()) {
      const cut = key.lastIndexOf(':');
      const runs = by.get(key.slice(0, cut))?.get(Number(key.slice(cut + 1))) ?? [];
      const expected = [0, 1].filter((i) => perRun[i]!.lines.get(key)!.count > 0);
      expect(runs, key).toEqual(expected);
      if (expected.length === 1) onlyOne++;
    }
    expect(onlyOne).toBeGreaterThan(0);
  });

  it('warns when one run is given twice, and merges it as gcov-tool does', () => {
    const twiceDir = join(work, 'twice');
    execFileSync(tool, ['merge', '-o', twiceDir, refObj(fx, 'cell2'), refObj(fx, 'cell2')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const twice = buildRunsReport(notes, [runOf(fx, 'cell2'), runOf(fx, 'cell2', 'again')]);
    expect(twice.warnings.join('\n')).toMatch(/again holds exactly the counters of cell2/);
    const wantTwice = gcovLines(fx, twiceDir);
    const got = ours(twice.report);
    for (const [key, w] of wantTwice.lines) expect(got.get(key), key).toEqual(w);
  });
});

describe(`another build (${fx.meta.config}, lib.c changed): refused, or the matching objects compared`, () => {
  // gcov itself, given the first build's notes and the changed build's data
  const g = gcovLines(fx, refObj(fx, 'changed'));
  const refused = [...g.stderr.matchAll(/([\w/.-]+\.gcda):stamp mismatch with notes file/g)].map(
    (m) => m[1]!,
  );

  it('gcov refuses some objects', () => expect(refused.length).toBeGreaterThan(0));

  it('is refused, naming the objects gcov refuses', () => {
    expect(() => diffRuns(notes, runOf(fx, ''), runOf(fx, 'changed'))).toThrow(
      /not a snapshot of the same build/,
    );
    const d = diffRuns(notes, runOf(fx, ''), runOf(fx, 'changed'), { partial: true });
    const left = d.objects.filter((o) => o.status !== 'same');
    expect(left.map((o) => o.data.split('/').pop()).sort()).toEqual(
      refused.map((f) => f.split('/').pop()).sort(),
    );
    expect(left.every((o) => /stamp .* checksum/.test(o.reason ?? ''))).toBe(true);
  });

  it('partial: the other objects are compared with gcov numbers of both runs', () => {
    const d = diffRuns(notes, runOf(fx, ''), runOf(fx, 'changed'), { partial: true });
    const a = gcovLines(fx, refObj(fx, ''));
    const lines = byKey(d);
    expect(lines.size).toBeGreaterThan(0);
    // the compared lines are exactly gcov's lines of the objects it accepted
    const accepted = new Set([...g.lines].filter(([, l]) => l.count > 0).map(([k]) => k));
    for (const k of accepted) expect(lines.has(k), k).toBe(true);
    // nothing of the refused objects' own sources is left (lib.gcda: lib.c)
    const stems = refused.map((f) =>
      f
        .split('/')
        .pop()!
        .replace(/\.gcda$/, '.c'),
    );
    for (const key of lines.keys())
      expect(
        stems.some((s) => key.includes(`/${s}:`)),
        key,
      ).toBe(false);
    for (const [key, l] of lines) {
      expect(l.a, key).toBe(a.lines.get(key)!.count);
      expect(l.b, key).toBe(g.lines.get(key)!.count);
    }
  });
});
