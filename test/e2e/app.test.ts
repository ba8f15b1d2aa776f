/**
 * The app in a real browser (Debian's chromium through playwright-core) against `vite
 * preview`: files given through the file inputs and through a drop on the drop zone, the
 * bundled example, the .gcda zip compared byte for byte with what libgcov wrote, and no
 * request to any origin but the preview server's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropFiles, gotoApp, launchWithProfile, serveApp, type Served } from '../helpers/browser';
import { loadFixture, walkFiles } from '../helpers/fixtures';

const CONFIG = 'gcc12-armhf-O0';
const fx = loadFixture(CONFIG);
const gcnoDir = join(fx.dir, 'gcno');
const gcnoCount = walkFiles(gcnoDir).length;
const sourceCount = walkFiles(join(fx.dir, 'src')).length;
const [major, minor] = fx.meta.gcc.split('.');
const gccText = `GCC ${major}.${minor}`;
const objectsText = `${fx.ref.size} objects`;

let served: Served;
let origin: string;
let context: BrowserContext;
let work: string;
const requests: string[] = [];

beforeAll(async () => {
  served = await serveApp();
  origin = served.origin;
  work = mkdtempSync(join(tmpdir(), 'hvcov-e2e-'));
  // a profile on disk, as a user's browser has: the example loads as on a return visit
  context = await launchWithProfile(join(work, 'profile'));
  context.on('request', (r) => void requests.push(r.url()));
});

afterAll(async () => {
  await context?.close();
  await served?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function openPage(query = ''): Promise<Page> {
  const page = await context.newPage();
  page.on('request', (r) => void requests.push(r.url()));
  page.on('pageerror', (e) => void requests.push(`pageerror:${e.message}`));
  await gotoApp(page, origin, query);
  return page;
}

/** The summary once it names the image's objects. */
async function summaryOf(page: Page): Promise<string> {
  const summary = page.getByTestId('summary');
  await summary.filter({ hasText: 'object' }).waitFor({ timeout: 60_000 });
  return (await summary.textContent()) ?? '';
}

async function downloadZip(page: Page): Promise<Map<string, Uint8Array>> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /Download \.gcda zip/ }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('gcda.zip');
  const entries = unzipSync(new Uint8Array(readFileSync(await download.path())));
  return new Map(Object.entries(entries));
}

/** The reference tree as zip entry names: libgcov's absolute paths without the leading slash. */
const refEntries = (strip = 0): Map<string, Uint8Array> =>
  new Map([...fx.ref].map(([p, b]) => [p.split('/').filter(Boolean).slice(strip).join('/'), b]));

function expectSameBytes(got: Map<string, Uint8Array>, want: Map<string, Uint8Array>): void {
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [path, bytes] of want)
    expect(Buffer.from(got.get(path)!).equals(Buffer.from(bytes)), path).toBe(true);
}

interface GcovLine {
  line_number: number;
  count: number;
  branches: { count: number }[];
  conditions?: GcovCondition[];
}
interface GcovFunction {
  name: string;
  start_line: number;
  execution_count: number;
  blocks: number;
  blocks_executed: number;
}
interface GcovFile {
  file: string;
  lines: GcovLine[];
  functions: GcovFunction[];
}

/** What the fixture's own gcov says about `source` from the object `rel` (libgcov's .gcda). */
function realGcov(rel: string, source: string): GcovFile {
  const tmp = mkdtempSync(join(tmpdir(), 'hvcov-e2e-gcov-'));
  try {
    writeFileSync(join(tmp, 'obj.gcno'), readFileSync(join(gcnoDir, `${rel}.gcno`)));
    writeFileSync(join(tmp, 'obj.gcda'), fx.ref.get(join(fx.meta.buildDir, 'obj', `${rel}.gcda`))!);
    const p = spawnSync(fx.meta.gcov, ['--json-format', '--stdout', '--branch-probabilities', 'obj.gcda'], {
      cwd: tmp,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    if (p.error) throw p.error;
    expect(p.stderr).toBe('');
    const files = (JSON.parse(p.stdout) as { files: GcovFile[] }).files;
    const f = files.find((x) => x.file === source || x.file.endsWith(`/${source}`));
    expect(f, `${source} in gcov's output`).toBeDefined();
    return f!;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** hit, found of the totals table row of a kind. */
async function totalsRow(page: Page, testId: string, kind: string): Promise<[number, number]> {
  const row = page.getByTestId(testId).locator(`tr[data-kind="${kind}"]`);
  const hit = Number(await row.locator('[data-cell="hit"]').textContent());
  const found = Number(await row.locator('[data-cell="found"]').textContent());
  return [hit, found];
}

interface GcovCondition {
  count: number;
  covered: number;
  not_covered_true: number[];
  not_covered_false: number[];
}

/** An object's own source in the fixture: `rel`.c, or `rel`.cpp for the C++ pair. */
const ownSource = (f: typeof fx, rel: string): string =>
  existsSync(join(f.dir, 'src', `${rel}.cpp`)) ? `${rel}.cpp` : `${rel}.c`;

/** gcov-14 --conditions JSON of one object of a condition-coverage fixture, for its own source. */
function realGcovConditions(
  f: typeof fx,
  rel: string,
): GcovFile & {
  lines: (GcovLine & { conditions?: GcovCondition[] })[];
} {
  const tmp = mkdtempSync(join(tmpdir(), 'hvcov-e2e-gcov-'));
  try {
    writeFileSync(join(tmp, 'obj.gcno'), readFileSync(join(f.dir, 'gcno', `${rel}.gcno`)));
    writeFileSync(join(tmp, 'obj.gcda'), f.ref.get(join(f.meta.buildDir, 'obj', `${rel}.gcda`))!);
    const p = spawnSync(
      f.meta.gcov,
      ['--json-format', '--stdout', '--branch-probabilities', '--conditions', 'obj.gcda'],
      { cwd: tmp, encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    if (p.error) throw p.error;
    expect(p.stderr).toBe('');
    const source = ownSource(f, rel);
    const file = (JSON.parse(p.stdout) as { files: GcovFile[] }).files.find((x) => x.file === source);
    expect(file, `${source} in gcov's output`).toBeDefined();
    return file!;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The condition words the page shows, read back into gcov's JSON shape. */
function parseConditions(text: readonly string[]): GcovCondition[] {
  const out: GcovCondition[] = [];
  for (const t of text) {
    const head = /^condition outcomes covered (\d+)\/(\d+)$/.exec(t);
    const term = /^condition (\d+) not covered \((true)?\s?(false)?\)$/.exec(t);
    if (head)
      out.push({
        covered: Number(head[1]),
        count: Number(head[2]),
        not_covered_true: [],
        not_covered_false: [],
      });
    else if (term && out.length) {
      if (term[2]) out.at(-1)!.not_covered_true.push(Number(term[1]));
      if (term[3]) out.at(-1)!.not_covered_false.push(Number(term[1]));
    } else throw new Error(`not a condition line: ${t}`);
  }
  return out;
}

/** The branch counts the page states in words (never reached: gcov's 0). */
const parseBranches = (text: readonly (string | null)[]): number[] =>
  text.map((t) => (/never reached$/.test(t ?? '') ? 0 : Number(/taken (\d+) time/.exec(t ?? '')?.[1])));

describe('the file view on gcc14-x86_64-O0-cond', () => {
  const f14 = loadFixture('gcc14-x86_64-O0-cond');
  it('reaches the next uncovered branch and condition from the keyboard, with gcov-14’s counts and conditions', async () => {
    const g14 = join(f14.dir, 'gcno');
    // the object whose own source has the most lines with missed conditions
    const missed = (g: GcovFile) =>
      g.lines.filter((l) => (l.conditions ?? []).some((c) => c.covered < c.count)).length;
    const [rel, gcov] = walkFiles(g14)
      .map((p) => p.slice(g14.length + 1).replace(/\.gcno$/, ''))
      .map((rel) => [rel, realGcovConditions(f14, rel)] as const)
      .reduce((a, b) => (missed(b[1]) > missed(a[1]) ? b : a));
    const lines = [...gcov.lines].sort((a, b) => a.line_number - b.line_number);
    const branchLines = lines.filter((l) => l.branches.some((b) => b.count === 0)).map((l) => l.line_number);
    const condLines = lines
      .filter((l) => (l.conditions ?? []).some((c) => c.covered < c.count))
      .map((l) => l.line_number);
    expect(branchLines.length).toBeGreaterThan(1);
    expect(condLines.length).toBeGreaterThan(1);
    const byLine = new Map(lines.map((l) => [l.line_number, l]));

    const page = await openPage();
    await page.setInputFiles('#files-input', join(f14.dir, 'image.bin'));
    await page.getByTestId('summary').filter({ hasText: 'image' }).waitFor();
    await page.setInputFiles('#folder-input', g14);
    await page.getByTestId('summary').filter({ hasText: '.gcno' }).waitFor();
    await page.setInputFiles('#folder-input', join(f14.dir, 'src'));
    await page.getByTestId('summary').filter({ hasText: 'sources' }).waitFor();
    await page
      .getByTestId('file-table')
      .getByRole('link', { name: ownSource(f14, rel), exact: true })
      .click();
    const view = page.getByTestId('file-view');
    await view.locator('code.src').first().waitFor();
    const focused = () => page.evaluate(() => Number(document.activeElement?.getAttribute('data-line')));
    const details = view.getByTestId('line-details');

    /** The focused line's details and its row's markers agree with gcov on that line. */
    const checkLine = async (line: number) => {
      await expect.poll(() => details.getAttribute('data-for-line')).toBe(String(line));
      const want = byLine.get(line)!;
      const words = await details.getByTestId('line-branches').locator('li').allTextContents();
      expect(parseBranches(words), `branches of line ${line}`).toEqual(want.branches.map((b) => b.count));
      // the same counts on hover: each marker's title
      const titles = await view
        .locator(`[data-line="${line}"] .br`)
        .evaluateAll((e) => e.map((x) => x.getAttribute('title')));
      expect(parseBranches(titles)).toEqual(want.branches.map((b) => b.count));
      const conds = details.getByTestId('line-conditions');
      const shown = (await conds.count()) ? await conds.locator('li').allTextContents() : [];
      expect(parseConditions(shown), `conditions of line ${line}`).toEqual(want.conditions ?? []);
    };

    await page.keyboard.press('b');
    await expect.poll(focused).toBe(branchLines[0]);
    await checkLine(branchLines[0]!);
    // highlighted, and still the source's text
    const source = readFileSync(join(f14.dir, 'src', ownSource(f14, rel)), 'utf8').split('\n');
    const row = view.locator(`[data-line="${branchLines[0]}"] code.src`);
    expect(await row.textContent()).toBe(source[branchLines[0]! - 1]);
    expect(await row.locator('.tk-keyword').count()).toBeGreaterThan(0);
    await page.keyboard.press('b');
    await expect.poll(focused).toBe(branchLines[1]);
    await checkLine(branchLines[1]!);
    await page.keyboard.press('Shift+B');
    await expect.poll(focused).toBe(branchLines[0]);

    const nextCond = condLines.find((l) => l > branchLines[0]!)!;
    await page.keyboard.press('c');
    await expect.poll(focused).toBe(nextCond);
    await checkLine(nextCond);
    const afterCond = condLines.find((l) => l > nextCond)!;
    expect(afterCond).toBeDefined();
    await page.keyboard.press('c');
    await expect.poll(focused).toBe(afterCond);
    await checkLine(afterCond);
    await page.keyboard.press('Shift+C');
    await expect.poll(focused).toBe(nextCond);
    expect(page.url()).toContain(`line=${await focused()}`);

    // arrow keys move one line, and the details follow
    const from = await focused();
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toBe(from + 1);
    await page.keyboard.press('ArrowUp');
    await expect.poll(focused).toBe(from);

    // the function table links to each function's first line
    for (const fn of gcov.functions) {
      await view.locator(`tr[data-function="${fn.name}"]`).getByRole('link').click();
      await expect.poll(focused).toBe(fn.start_line);
    }
    await page.close();
  });
});

describe(`the app on ${CONFIG}`, () => {
  it('shows the coverage report and a file with the numbers real gcov prints', async () => {
    // the object whose own source has the most never-executed lines, per gcov
    const objects = walkFiles(gcnoDir).map((f) => f.slice(gcnoDir.length + 1).replace(/\.gcno$/, ''));
    const uncoveredIn = (g: GcovFile) => g.lines.filter((l) => l.count === 0).length;
    const [rel, gcov] = objects
      .map((rel) => [rel, realGcov(rel, `${rel}.c`)] as const)
      .reduce((a, b) => (uncoveredIn(b[1]) > uncoveredIn(a[1]) ? b : a));
    const lines = [...gcov.lines].sort((a, b) => a.line_number - b.line_number);
    const branches = lines.flatMap((l) => l.branches);

    const page = await openPage();
    await page.setInputFiles('#files-input', join(fx.dir, 'image.bin'));
    await page.getByTestId('summary').filter({ hasText: 'image' }).waitFor();
    await page.setInputFiles('#folder-input', gcnoDir);
    await page.getByTestId('summary').filter({ hasText: '.gcno' }).waitFor();
    await page.getByTestId('report-totals').waitFor();
    await page
      .getByTestId('file-table')
      .getByRole('link', { name: `${rel}.c`, exact: true })
      .click();
    const view = page.getByTestId('file-view');
    // no source yet: the numbers, and a note naming the file to drop
    expect(await view.getByTestId('no-source').textContent()).toContain(`drop ${basename(rel)}.c`);
    expect(await view.getByTestId('functions').locator('tbody tr').count()).toBe(gcov.functions.length);

    await page.setInputFiles('#folder-input', join(fx.dir, 'src'));
    await page.getByTestId('summary').filter({ hasText: 'sources' }).waitFor();
    await view.locator('code.src').first().waitFor();
    expect(await view.getAttribute('data-path')).toMatch(new RegExp(`/${rel}\\.c$`));
    expect(await totalsRow(page, 'file-totals', 'lines')).toEqual([
      lines.filter((l) => l.count > 0).length,
      lines.length,
    ]);
    expect(await totalsRow(page, 'file-totals', 'functions')).toEqual([
      gcov.functions.filter((f) => f.execution_count > 0).length,
      gcov.functions.length,
    ]);
    expect(await totalsRow(page, 'file-totals', 'branches')).toEqual([
      branches.filter((b) => b.count > 0).length,
      branches.length,
    ]);
    expect(await view.getByTestId('no-source').count()).toBe(0);

    // the function table: called and blocks executed as gcov counts them
    const fnRows = view.getByTestId('functions').locator('tbody tr');
    expect(await fnRows.count()).toBe(gcov.functions.length);
    for (const f of gcov.functions) {
      const row = view.locator(`tr[data-function="${f.name}"]`);
      expect(await row.locator('[data-cell="called"]').textContent()).toBe(String(f.execution_count));
      expect(await row.locator('[data-cell="blocks"]').textContent()).toBe(
        `${Math.round((f.blocks_executed * 100) / f.blocks)}%`,
      );
      expect(await row.getByRole('link').textContent()).toBe(String(f.start_line));
    }

    // every rendered row's count is gcov's count of that line (no count: gcov has no line)
    const byLine = new Map(lines.map((l) => [l.line_number, l.count]));
    const rendered = async () =>
      page.$$eval('[data-testid="file-view"] [data-line]', (rows) =>
        rows.map((r) => [Number(r.getAttribute('data-line')), r.getAttribute('data-count')] as const),
      );
    const checkRows = async () => {
      const rows = await rendered();
      expect(rows.length).toBeGreaterThan(0);
      for (const [line, count] of rows)
        expect(count === null ? undefined : Number(count), `line ${line}`).toBe(byLine.get(line));
    };
    await checkRows();

    // n / p: focus goes to gcov's next / previous never-executed line
    const uncovered = lines.filter((l) => l.count === 0).map((l) => l.line_number);
    expect(uncovered.length).toBeGreaterThan(1);
    const focused = () => page.evaluate(() => Number(document.activeElement?.getAttribute('data-line')));
    await page.keyboard.press('n');
    await expect.poll(focused).toBe(uncovered[0]);
    await checkRows();
    await page.keyboard.press('n');
    await expect.poll(focused).toBe(uncovered[1]);
    await checkRows();
    await page.keyboard.press('p');
    await expect.poll(focused).toBe(uncovered[0]);
    expect(page.url()).toContain(`line=${uncovered[0]}`);

    // a deep link to the last uncovered line
    const path = (await view.getAttribute('data-path'))!;
    const last = uncovered.at(-1)!;
    await page.evaluate(
      ([path, line]) => (window.location.hash = `file=${encodeURIComponent(path)}&line=${line}`),
      [path, String(last)] as const,
    );
    await expect.poll(focused).toBe(last);
    await checkRows();

    // virtualised: the same file as 50,000 lines keeps only the visible rows in the page
    const big = join(work, 'big');
    mkdirSync(join(big, 'src', dirname(rel)), { recursive: true });
    const text = readFileSync(join(fx.dir, 'src', `${rel}.c`), 'utf8')
      .replace(/\n$/, '')
      .split('\n');
    const padded = [...text, ...Array.from({ length: 50_000 - text.length }, (_, i) => `/* ${i} */`)];
    writeFileSync(join(big, 'src', `${rel}.c`), padded.join('\n') + '\n');
    await page.setInputFiles('#folder-input', join(big, 'src'));
    const box = view.getByRole('list', { name: /^Lines of / });
    await expect.poll(() => box.evaluate((e) => e.scrollHeight)).toBe(50_000 * 20);
    // reloaded, still at the deep link's line
    await expect.poll(focused).toBe(last);
    await box.evaluate((e) => (e.scrollTop = e.scrollHeight));
    await view.locator('[data-line="50000"]').waitFor();
    expect(await view.locator('[data-line]').count()).toBeLessThan(100);
    expect(await view.locator('[data-line="50000"] code').textContent()).toBe(padded.at(-1));
    await page.keyboard.press('p');
    await expect.poll(focused).toBe(uncovered.at(-2));
    await checkRows();
    await page.close();
  });

  it('takes the image and the gcno folder through the file inputs and writes libgcov’s bytes', async () => {
    const give = async (page: Page) => {
      await page.setInputFiles('#files-input', join(fx.dir, 'image.bin'));
      await page.getByTestId('summary').filter({ hasText: 'image' }).waitFor();
      await page.setInputFiles('#folder-input', gcnoDir);
      await page.getByTestId('summary').filter({ hasText: '.gcno' }).waitFor();
      return summaryOf(page);
    };
    const page = await openPage();
    const text = await give(page);
    expect(text).toContain(gccText);
    expect(text).toContain(objectsText);
    expect(text).toContain(`${gcnoCount} .gcno`);
    expectSameBytes(await downloadZip(page), refEntries());

    // GCOV_PREFIX_STRIP: drop the build directory's levels, leaving paths relative to it
    const strip = fx.meta.buildDir.split('/').filter(Boolean).length;
    await page.getByLabel('Strip leading directories').fill(String(strip));
    expectSameBytes(await downloadZip(page), refEntries(strip));
    await page.close();
  });

  it('takes a drop of the image and a tar.gz of the gcno folder on the drop zone', async () => {
    const tgz = join(work, 'gcno.tar.gz');
    execFileSync('tar', ['-czf', tgz, 'gcno'], { cwd: fx.dir });
    const page = await openPage();
    await dropFiles(page, [
      { name: 'image.bin', bytes: fx.image },
      { name: 'gcno.tar.gz', bytes: readFileSync(tgz) },
    ]);
    const text = await summaryOf(page);
    expect(text).toContain(gccText);
    expect(text).toContain(objectsText);
    expect(text).toContain(`${gcnoCount} .gcno`);
    expectSameBytes(await downloadZip(page), refEntries());
    await page.close();
  });

  it('opens the example from ?example and from the keyboard', async () => {
    const page = await openPage('?example');
    const text = await summaryOf(page);
    expect(text).toContain(gccText);
    expect(text).toContain(objectsText);
    expect(text).toContain(`${gcnoCount} .gcno`);
    expect(text).toContain(`${sourceCount} sources`);
    expect(text).toContain('1 ELF');
    expectSameBytes(await downloadZip(page), refEntries());

    const again = await openPage();
    await again.getByRole('button', { name: 'Open the example' }).focus();
    await again.keyboard.press('Enter');
    expect(await summaryOf(again)).toBe(text);
    await page.close();
    await again.close();
  });

  it('cancels: the worker is terminated, a new one started, and the next run works', async () => {
    const page = await openPage();
    await expect.poll(() => page.workers().length).toBe(1);
    const first = page.workers()[0]!;
    const closed = new Promise<void>((resolve) => first.on('close', () => resolve()));
    // hold the example's image on the wire, so the run is still going when Cancel is pressed
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/example/image.bin', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Open the example' }).click();
    await page.getByRole('progressbar').waitFor();
    const started = page.waitForEvent('worker');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Cancelled').waitFor();
    await closed;
    expect((await started).url()).toBe(first.url());
    expect(await page.getByTestId('summary').count()).toBe(0);
    expect(await page.getByRole('progressbar').count()).toBe(0);
    release();
    await page.unroute('**/example/image.bin');

    await page.getByRole('button', { name: 'Open the example' }).click();
    const text = await summaryOf(page);
    expect(text).toContain(gccText);
    expect(text).toContain(objectsText);
    expect(page.workers()).toHaveLength(1);
    await page.close();
  });

  it('runs no task over 50 ms on the main thread while the example loads', async () => {
    const page = await context.newPage();
    page.on('pageerror', (e) => void requests.push(`pageerror:${e.message}`));
    // from the document's start: buffered entries include the tasks before this observer
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: { start: number; duration: number }[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`${origin}/?example`);
    await page.getByTestId('drop-zone').waitFor();
    expect(await summaryOf(page)).toContain(objectsText);
    await page.getByTestId('file-table').waitFor();
    await page.locator('[data-testid="directory-chart"][data-complete="true"] svg').waitFor();
    // past the last rendering work: two frames and an idle period
    await page.evaluate(
      () =>
        new Promise<void>((resolve) =>
          requestAnimationFrame(() => requestAnimationFrame(() => requestIdleCallback(() => resolve()))),
        ),
    );
    const long = await page.evaluate(
      () => (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks,
    );
    expect(long.filter((t) => t.duration > 50)).toEqual([]);
    await page.close();
  });

  it('made no request to any origin but the preview server', () => {
    expect(requests.filter((u) => u.startsWith('pageerror:'))).toEqual([]);
    // the listener saw the page, its worker and the example's files
    expect(requests.some((u) => u.includes('extract.worker'))).toBe(true);
    expect(requests.some((u) => u.endsWith('/example/image.bin'))).toBe(true);
    const foreign = requests.filter((u) => {
      const url = new URL(u);
      const own = url.protocol === 'blob:' ? new URL(url.pathname).origin : url.origin;
      return own !== origin;
    });
    expect(foreign).toEqual([]);
  });
});
