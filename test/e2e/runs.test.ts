/**
 * Several images in the app (production build in Debian's chromium, given through the
 * drop zone): two snapshots compared and two runs merged, the numbers shown equal to the
 * real tools' (gcov on libgcov's .gcda of each run, gcov on `gcov-tool merge` of them).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropFiles, launchBrowser, openApp, serveApp, type Served } from '../helpers/browser';
import { gcovLines, imagePath, refObj, runsFixture, type GcovLine } from '../helpers/runs';

const fx = runsFixture();
let served: Served;
let browser: Browser;
let context: BrowserContext;
let work: string;
let gcnoTgz: string;

beforeAll(async () => {
  served = await serveApp();
  work = mkdtempSync(join(tmpdir(), 'hvcov-e2e-runs-'));
  gcnoTgz = join(work, 'gcno.tar.gz');
  execFileSync('tar', ['-czf', gcnoTgz, 'gcno'], { cwd: fx.dir });
  ({ browser, context } = await launchBrowser());
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await served?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Opens the app and drops the named files (images by name, plus the gcno folder as tar.gz). */
async function dropped(images: [string, string][]): Promise<Page> {
  const page = await openApp(context, served.origin);
  await dropFiles(page, [
    ...images.map(([name, path]) => ({ name, bytes: readFileSync(path) })),
    { name: 'gcno.tar.gz', bytes: readFileSync(gcnoTgz) },
  ]);
  await page.getByTestId('run-list').waitFor({ timeout: 60_000 });
  return page;
}

const hits = (m: Map<string, GcovLine>) => [...m.values()].filter((l) => l.count > 0).length;

/** The page's report totals equal gcov's lines, branches and condition outcomes. */
async function expectTotals(page: Page, want: Map<string, GcovLine>): Promise<void> {
  const totals = page.getByTestId('report-totals');
  await totals.waitFor({ timeout: 60_000 });
  const cell = (kind: string, c: string) =>
    totals.locator(`[data-kind="${kind}"] [data-cell="${c}"]`).textContent();
  expect(await cell('lines', 'found')).toBe(String(want.size));
  expect(await cell('lines', 'hit')).toBe(String(hits(want)));
  const brs = [...want.values()].flatMap((l) => l.branches);
  expect(await cell('branches', 'found')).toBe(String(brs.length));
  expect(await cell('branches', 'hit')).toBe(String(brs.filter((n) => n > 0).length));
  expect(await cell('conditions', 'hit')).toBe(
    String([...want.values()].reduce((n, l) => n + l.conditions.size, 0)),
  );
}

describe('snapshots and merged runs in the app', () => {
  it('compares two snapshots: totals, covered only in B and per-line deltas equal gcov(B) − gcov(A)', async () => {
    const a = gcovLines(fx, refObj(fx, '')).lines;
    const b = gcovLines(fx, refObj(fx, 'later')).lines;
    const page = await dropped([
      ['1-first.bin', imagePath(fx, '')],
      ['2-later.bin', imagePath(fx, 'later')],
    ]);
    expect(await page.getByTestId('run-list').locator('tbody tr').count()).toBe(2);
    await page.getByLabel('Compare snapshots (first → last)').click();
    await page.getByTestId('diff-totals').waitFor({ timeout: 60_000 });
    expect(
      await page.locator('[data-testid="diff-totals"] [data-kind="lines"] [data-cell="delta"]').textContent(),
    ).toBe(`+${hits(b) - hits(a)}`);

    // covered only in B, from gcov's two outputs
    const want = new Map<string, { a: number; b: number; onlyB: boolean }>();
    let lines = 0;
    let branches = 0;
    let conditions = 0;
    for (const [key, lb] of b) {
      const la = a.get(key)!;
      const br = lb.branches.filter((n, i) => n > 0 && !(la.branches[i]! > 0)).length;
      const co = [...lb.conditions].filter((c) => !la.conditions.has(c)).length;
      const onlyB = la.count === 0 && lb.count > 0;
      if (onlyB) lines++;
      branches += br;
      conditions += co;
      if (lb.count !== la.count || onlyB || br > 0 || co > 0)
        want.set(key, { a: la.count, b: lb.count, onlyB });
    }
    const only = page.getByTestId('only-b');
    expect(await only.locator('[data-count="lines"]').textContent()).toBe(String(lines));
    expect(await only.locator('[data-count="branches"]').textContent()).toBe(String(branches));
    expect(await only.locator('[data-count="conditions"]').textContent()).toBe(String(conditions));

    const rows = () =>
      page.$$eval('[data-testid="diff-lines"] tbody tr', (trs) =>
        trs.map((tr) => ({
          key: tr.getAttribute('data-key')!,
          a: Number(tr.querySelector('[data-cell="a"]')!.textContent),
          b: Number(tr.querySelector('[data-cell="b"]')!.textContent),
        })),
      );
    // the filter "covered only in B" is on: only lines with something new
    const onlyRows = await rows();
    expect(onlyRows.length).toBeGreaterThan(0);
    expect(onlyRows.length).toBeLessThan(want.size);
    await page.getByLabel('Covered only in B').uncheck();
    const all = await rows();
    expect(all.map((r) => r.key).sort()).toEqual([...want.keys()].sort());
    for (const r of all)
      expect({ key: r.key, a: r.a, b: r.b }).toEqual({
        key: r.key,
        a: want.get(r.key)!.a,
        b: want.get(r.key)!.b,
      });
    await page.close();
  });

  it('merges two runs: totals equal gcov on gcov-tool merge, each line names the runs that executed it', async () => {
    const tool = fx.meta.gcov.replace(/gcov-(\d+)$/, 'gcov-tool-$1');
    const merged = join(work, 'merged');
    execFileSync(tool, ['merge', '-o', merged, refObj(fx, ''), refObj(fx, 'cell2')], { stdio: 'ignore' });
    const want = gcovLines(fx, merged).lines;
    const perRun = [gcovLines(fx, refObj(fx, '')).lines, gcovLines(fx, refObj(fx, 'cell2')).lines];
    const page = await dropped([
      ['suite-a.bin', imagePath(fx, '')],
      ['suite-b.bin', imagePath(fx, 'cell2')],
    ]);
    await expectTotals(page, want);
    expect(await page.getByTestId('runs-warning').count()).toBe(0);

    // a file where the runs differ, opened at the first such line
    const names = ['suite-a.bin', 'suite-b.bin'];
    const differs = [...want.keys()].find(
      (k) => perRun[0]!.get(k)!.count > 0 !== perRun[1]!.get(k)!.count > 0,
    )!;
    const cut = differs.lastIndexOf(':');
    const path = differs.slice(0, cut);
    await page.evaluate(
      ([file, line]) => (window.location.hash = new URLSearchParams({ file: file!, line: line! }).toString()),
      [path, differs.slice(cut + 1)],
    );
    const view = page.getByTestId('file-view');
    await view.locator(`[data-line="${differs.slice(cut + 1)}"][data-runs]`).waitFor({ timeout: 60_000 });
    const shown = await view
      .locator('[data-line][data-count]')
      .evaluateAll((rows) =>
        rows.map((r) => [r.getAttribute('data-line')!, r.getAttribute('data-runs') ?? ''] as const),
      );
    expect(shown.length).toBeGreaterThan(0);
    for (const [line, runs] of shown) {
      const key = `${path}:${line}`;
      expect(runs, key).toBe(names.filter((_, i) => perRun[i]!.get(key)!.count > 0).join(', '));
    }
    await page.close();
  });

  it('merges two .gcda sets given as archives: runs named by their folders, totals equal gcov on gcov-tool merge', async () => {
    const tool = fx.meta.gcov.replace(/gcov-(\d+)$/, 'gcov-tool-$1');
    const merged = join(work, 'merged-gcda');
    execFileSync(tool, ['merge', '-o', merged, refObj(fx, ''), refObj(fx, 'cell2')], { stdio: 'ignore' });
    const want = gcovLines(fx, merged).lines;
    // each set in an archive of its own, under a top-level folder named for the suite
    const sets: [string, string][] = [
      ['suite-a', refObj(fx, '')],
      ['suite-b', refObj(fx, 'cell2')],
    ];
    const archives = sets.map(([name, dir]) => {
      const tgz = join(work, `${name}.tar.gz`);
      execFileSync('tar', ['-czf', tgz, '--transform', `s,^\\.,${name},`, '.'], { cwd: dir });
      return { name: `${name}.tar.gz`, bytes: readFileSync(tgz) };
    });
    const page = await openApp(context, served.origin);
    await dropFiles(page, [...archives, { name: 'gcno.tar.gz', bytes: readFileSync(gcnoTgz) }]);
    await page.getByTestId('run-list').waitFor({ timeout: 60_000 });
    const runNames = await page.getByTestId('run-list').locator('tbody tr').allTextContents();
    expect(runNames.map((t) => t.match(/suite-[ab]/)?.[0])).toEqual(['suite-a', 'suite-b']);
    await expectTotals(page, want);
    await page.close();
  });

  it('warns about the same run given twice, and refuses to compare another build', async () => {
    const twice = await dropped([
      ['a.bin', imagePath(fx, 'cell2')],
      ['b.bin', imagePath(fx, 'cell2')],
    ]);
    await twice.getByTestId('runs-warning').waitFor({ timeout: 60_000 });
    expect(await twice.getByTestId('runs-warning').textContent()).toMatch(
      /b\.bin holds exactly the counters of a\.bin/,
    );
    await twice.close();

    const other = await dropped([
      ['1.bin', imagePath(fx, '')],
      ['2.bin', imagePath(fx, 'changed')],
    ]);
    // merged by default: refused as gcov-tool refuses files of another build
    await other.getByTestId('runs-refused').waitFor({ timeout: 60_000 });
    expect(await other.getByTestId('runs-refused').textContent()).toMatch(/lib\.gcda.*stamp/);
    const compare = other.getByLabel('Compare snapshots (first → last)');
    await compare.click();
    await expect.poll(() => compare.isChecked(), { timeout: 60_000 }).toBe(true);
    expect(await other.getByTestId('runs-refused').textContent()).toMatch(
      /lib\.gcda: another build: A has stamp/,
    );
    await other.getByLabel('Compare the objects that match, list the others').click();
    await other.getByTestId('diff-totals').waitFor({ timeout: 60_000 });
    expect(await other.getByRole('list', { name: 'Objects left out' }).textContent()).toMatch(/lib\.gcda/);
    await other.close();
  });
});
