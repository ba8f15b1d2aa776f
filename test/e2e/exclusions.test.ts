/**
 * Exclusions in the app (Debian's chromium, production build): a real build of the
 * exclusions fixture (gcc-12 --coverage, run) dropped with its sources and justification
 * file. The totals shown with and without exclusions equal lcov's: without, `lcov
 * --no-markers`; with, lcov on the same build whose source has gcovr's markers written as
 * lcov's and LCOV_EXCL_LINE on the lines the justifications name. The justification's
 * reason is shown on its lines, a marker's text on its line, and excluded code that ran is
 * flagged.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Totals } from '../../src/model/report';
import {
  SOURCES,
  buildFixture,
  gcdaFiles,
  gcnoFiles,
  lcovRun,
  lcovTotalsOf,
  lcovWithEverythingMarked,
  removeBuilds,
} from '../helpers/exclusions-build';

let server: PreviewServer;
let origin: string;
let context: BrowserContext;
let work: string;
const requests: string[] = [];

beforeAll(async () => {
  const root = process.cwd();
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  server = await preview({
    root,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  origin = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
  work = mkdtempSync(join(tmpdir(), 'hvcov-e2e-excl-'));
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  context.on('request', (r) => void requests.push(r.url()));
});

afterAll(async () => {
  await context?.close();
  await new Promise<void>((resolve) => (server ? server.httpServer.close(() => resolve()) : resolve()));
  if (work) rmSync(work, { recursive: true, force: true });
  removeBuilds();
});

/** The "hit / found" cells of the exclusions table, per kind, as Totals. */
async function shownTotals(page: Page, testId: string, cell: 'all' | 'after'): Promise<Totals> {
  const out: Record<string, { found: number; hit: number }> = {};
  for (const k of ['lines', 'functions', 'branches', 'conditions']) {
    const text = await page
      .getByTestId(testId)
      .locator(`tr[data-kind="${k}"] [data-cell="${cell}"]`)
      .textContent();
    const [hit, found] = (text ?? '').split('/').map((x) => Number(x.trim()));
    out[k] = { found: found!, hit: hit! };
  }
  return out as unknown as Totals;
}

describe('exclusions in the app', () => {
  it('shows totals with and without exclusions equal to lcov, and the reason on each excluded line', async () => {
    const dir = buildFixture();
    const names = [...gcnoFiles(dir), ...gcdaFiles(dir), ...SOURCES, 'justifications.json'];
    const all = lcovTotalsOf(lcovRun(dir, ['--no-markers'], 'plain').merged);
    const after = lcovWithEverythingMarked();
    const want = lcovTotalsOf(after.merged);
    expect(want).not.toEqual(all);

    const page = await context.newPage();
    page.on('pageerror', (e) => void requests.push(`pageerror:${e.message}`));
    await page.goto(`${origin}/`);
    // the app mounts after its bootstrap has loaded React (src/ui/main.tsx)
    await page.getByTestId('drop-zone').waitFor();
    const files = names.map((name) => ({ name, b64: readFileSync(join(dir, name)).toString('base64') }));
    await page.evaluate((files) => {
      const dt = new DataTransfer();
      for (const f of files)
        dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
      const zone = document.querySelector('[data-testid="drop-zone"]')!;
      for (const type of ['dragenter', 'dragover', 'drop'])
        zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, files);
    await page
      .getByTestId('summary')
      .filter({ hasText: '1 justification file' })
      .waitFor({ timeout: 60_000 });
    await page.getByTestId('exclusion-totals').waitFor();
    expect(await shownTotals(page, 'exclusion-totals', 'all')).toEqual(all);
    expect(await shownTotals(page, 'exclusion-totals', 'after')).toEqual(want);
    expect(await page.getByTestId('stale').textContent()).toContain('UART-3');
    expect(await page.getByTestId('excluded-executed').textContent()).toContain('uart.c:');

    // the file view: the justification's reason on its lines, the marker's on its line
    await page.getByTestId('file-table').getByRole('link', { name: 'uart.c', exact: true }).click();
    const view = page.getByTestId('file-view');
    await view.locator('code.src').first().waitFor();
    const justification = JSON.parse(readFileSync(join(dir, 'justifications.json'), 'utf8')) as {
      justifications: { id: string; reason: string; category: string }[];
    };
    const uart1 = justification.justifications.find((j) => j.id === 'UART-1')!;
    const src = readFileSync(join(dir, 'uart.c'), 'utf8').split('\n');
    const first = src.findIndex((t) => t.trim() === 'if (status & 2) {') + 1;
    expect(after.marked.has(first)).toBe(true);
    // the view renders the visible rows only: go to the line through its deep link
    const path = (await view.getAttribute('data-path'))!;
    const goTo = (line: number) =>
      page.evaluate(
        (h) => (window.location.hash = h),
        `#${new URLSearchParams({ file: path, line: String(line) })}`,
      );
    await goTo(first);
    const row = view.locator(`[data-line="${first}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-excluded')).toBe('line');
    const note = await row.getByTestId('excluded-reason').textContent();
    expect(note).toContain(uart1.reason);
    expect(note).toContain(uart1.category);
    const framing = src.findIndex((t) => t.includes('LCOV_EXCL_LINE: framing error')) + 1;
    await goTo(framing);
    const frow = view.locator(`[data-line="${framing}"]`);
    await frow.waitFor();
    const fnote = await frow.getByTestId('excluded-reason').textContent();
    expect(fnote).toContain('framing error, hardware fault path');
    expect(fnote).toContain('excluded but executed');
    expect(await shownTotals(page, 'file-exclusion-totals', 'all')).toEqual(
      lcovTotalsOf(
        lcovRun(dir, ['--no-markers'], 'plain')
          .merged.split('end_of_record')
          .find((r) => r.includes('/uart.c\n'))!,
      ),
    );
    expect(requests.filter((r) => !r.startsWith(origin))).toEqual([]);
    await page.close();
  });
});
