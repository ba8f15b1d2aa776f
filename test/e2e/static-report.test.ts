/**
 * The report's downloads in a real browser: lcov, gcov JSON and Cobertura byte for byte as
 * `hvcov report` writes them for the same inputs, and the static HTML report opened from
 * disk with the network blocked (no request attempted), its totals the page's and its
 * SHA-256 of the image Node's. A folder, a .zip and a .tar.gz of the same tree give the
 * same totals.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { zipSync } from 'fflate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gotoApp, launchBrowser, serveApp, type Served } from '../helpers/browser';
import { loadFixture, walkFiles, writeDropTree } from '../helpers/fixtures';

const CONFIG = 'gcc12-armhf-O0';
const fx = loadFixture(CONFIG);
const KINDS = ['lines', 'functions', 'branches', 'conditions'] as const;
let served: Served;
let browser: Browser;
let context: BrowserContext;
let work: string;
let tree: string;

beforeAll(async () => {
  served = await serveApp();
  work = mkdtempSync(join(tmpdir(), 'hvcov-e2e-static-'));
  tree = writeDropTree(fx, join(work, 'tree'));
  ({ browser, context } = await launchBrowser());
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await served?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The page with the whole tree given as a folder, once its report is shown. */
async function pageWithTree(): Promise<Page> {
  const page = await context.newPage();
  await gotoApp(page, served.origin);
  await page.setInputFiles('#folder-input', tree);
  await page.getByTestId('summary').filter({ hasText: 'sources' }).waitFor({ timeout: 60_000 });
  await page.getByTestId('report-totals').waitFor();
  return page;
}

async function totalsOf(page: Page): Promise<Record<string, [number, number]>> {
  const out: Record<string, [number, number]> = {};
  for (const k of KINDS) {
    const row = page.getByTestId('report-totals').locator(`tr[data-kind="${k}"]`);
    out[k] = [
      Number(await row.locator('[data-cell="hit"]').textContent()),
      Number(await row.locator('[data-cell="found"]').textContent()),
    ];
  }
  return out;
}

async function download(page: Page, button: RegExp, name: string): Promise<Buffer> {
  const [d] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  expect(d.suggestedFilename()).toBe(name);
  const file = join(work, name);
  await d.saveAs(file);
  return readFileSync(file);
}

describe(`the report's downloads on ${CONFIG}`, () => {
  it('writes lcov, gcov JSON and Cobertura byte for byte as hvcov report does', async () => {
    const page = await pageWithTree();
    const before = Math.floor(Date.now() / 1000);
    const lcov = await download(page, /Download lcov tracefile/, 'coverage.info');
    const json = await download(page, /Download gcov JSON/, 'coverage.gcov.json');
    const xml = await download(page, /Download Cobertura XML/, 'cobertura.xml');
    const after = Math.ceil(Date.now() / 1000);

    // the CLI on the same files; the .gcno record relative names compiled in
    // <buildDir>/src, where the CLI reads the sources: put the fixture's there
    const compileDir = join(fx.meta.buildDir, 'src');
    for (const f of walkFiles(join(tree, 'src'))) {
      const to = join(compileDir, relative(join(tree, 'src'), f));
      mkdirSync(join(to, '..'), { recursive: true });
      writeFileSync(to, readFileSync(f));
    }
    const out = join(work, 'cli');
    mkdirSync(out);
    execFileSync(
      'node',
      [
        join(process.cwd(), 'bin/hvcov.cjs'),
        'report',
        '--build',
        'gcno',
        '--image',
        'image.bin',
        '--source-root',
        compileDir,
        '--lcov',
        join(out, 'coverage.info'),
        '--gcov-json',
        join(out, 'coverage.gcov.json'),
        '--cobertura',
        join(out, 'cobertura.xml'),
      ],
      { cwd: tree, stdio: 'pipe' },
    );
    expect(lcov.equals(readFileSync(join(out, 'coverage.info')))).toBe(true);
    expect(json.equals(readFileSync(join(out, 'coverage.gcov.json')))).toBe(true);
    expect(lcov.toString()).toContain(`SF:${compileDir}/`);
    expect(json.toString().trim().split('\n')).toHaveLength(walkFiles(join(tree, 'gcno')).length);

    // Cobertura: the same bytes but the time of writing, which is the page's clock
    const cli = readFileSync(join(out, 'cobertura.xml'), 'utf8');
    const stamp = /timestamp="(\d+)"/;
    const when = Number(xml.toString().match(stamp)![1]);
    expect(when).toBeGreaterThanOrEqual(before);
    expect(when).toBeLessThanOrEqual(after);
    expect(xml.toString().replace(stamp, 'timestamp=""')).toBe(cli.replace(stamp, 'timestamp=""'));
    expect(cli).toMatch(/<line number="\d+" hits="0"/);
    expect(cli).toContain(`<source>${compileDir}</source>`);
    await page.close();
  });

  it('writes a static report that opens offline with the page’s totals and the inputs’ SHA-256', async () => {
    const page = await pageWithTree();
    const pageTotals = await totalsOf(page);
    const html = await download(page, /Download static HTML report/, 'coverage-report.html');
    await page.close();

    const offline = await browser.newContext({ javaScriptEnabled: true });
    const attempted: string[] = [];
    offline.on('request', (r) => void attempted.push(r.url()));
    await offline.route(/^https?:/, (route) => {
      attempted.push(`routed:${route.request().url()}`);
      return route.abort();
    });
    const violations: string[] = [];
    const view = await offline.newPage();
    view.on('console', (m) => void violations.push(m.text()));
    const file = join(work, 'coverage-report.html');
    await view.goto(pathToFileURL(file).href);
    expect(await totalsOf(view)).toEqual(pageTotals);
    const csp = await view.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("default-src 'none'");
    expect(await view.locator('script').count()).toBe(0);

    const row = view
      .getByTestId('inputs')
      .locator('tr', { has: view.locator('code', { hasText: /^tree\/image\.bin$/ }) });
    expect(await row.locator('[data-cell="sha256"]').textContent()).toBe(
      createHash('sha256')
        .update(readFileSync(join(tree, 'image.bin')))
        .digest('hex'),
    );
    const stamp = view.getByTestId('stamp');
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(await stamp.locator('[data-cell="tool"]').textContent()).toBe(`hvcov ${pkg.version}`);
    expect(await stamp.locator('[data-cell="gcc"]').textContent()).toBe(fx.meta.gcc);
    expect(await stamp.locator('[data-cell="target"]').textContent()).toContain('(arm)');
    // a file's annotated source is there, as static rows
    const first = view.locator('section').first();
    expect(await first.locator('td.code').count()).toBeGreaterThan(0);
    expect(html.length).toBeGreaterThan(0);

    expect(attempted.filter((u) => !u.startsWith('file:'))).toEqual([]);
    expect(violations).toEqual([]);
    await offline.close();
  });

  it('gives the same totals for the tree as a folder, a .zip and a .tar.gz', async () => {
    const page = await pageWithTree();
    const folder = await totalsOf(page);
    await page.close();

    const zip = join(work, 'tree.zip');
    const entries: Record<string, Uint8Array> = {};
    for (const f of walkFiles(tree)) entries[relative(tree, f)] = new Uint8Array(readFileSync(f));
    writeFileSync(zip, zipSync(entries));
    const tgz = join(work, 'tree.tar.gz');
    execFileSync('tar', ['-czf', tgz, '-C', tree, '.']);

    for (const archive of [zip, tgz]) {
      const p = await context.newPage();
      await gotoApp(p, served.origin);
      await p.setInputFiles('#files-input', archive);
      await p.getByTestId('summary').filter({ hasText: 'sources' }).waitFor({ timeout: 60_000 });
      await p.getByTestId('report-totals').waitFor();
      expect(await p.getByTestId('summary').textContent()).toContain('1 image');
      expect(await totalsOf(p), archive).toEqual(folder);
      await p.close();
    }
    expect(folder.lines![1]).toBeGreaterThan(0);
  });
});
