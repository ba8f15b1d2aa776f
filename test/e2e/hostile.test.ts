/**
 * Untrusted input in a real browser, and the Content-Security-Policy of the app and of the
 * static report. A program whose paths, #line names, comments, strings and C++ names
 * carry HTML and script (built with gcc --coverage and run here) is given to the app as a
 * folder and dropped as a zip with a hostile name; its names show up as text, no payload
 * runs (no dialog, window.__pwned never set, no on* attribute anywhere), and the static
 * report written from it, opened from disk, is as inert. The bundled example loads, shows
 * its report and gives its downloads with no CSP violation, while an injected inline
 * script and a request to another origin are refused.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { zipSync } from 'fflate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, formatSize } from '../../src/model/limits';
import { dropFiles, gotoApp, launchBrowser, serveApp, type Served } from '../helpers/browser';
import { buildHostile, PAYLOADS, SOURCE_MARKERS, type HostileBuild } from '../helpers/hostile';

let served: Served;
let browser: Browser;
let context: BrowserContext;
let work: string;
let hostile: HostileBuild;

beforeAll(async () => {
  served = await serveApp();
  work = mkdtempSync(join(tmpdir(), 'hvcov-e2e-hostile-'));
  hostile = buildHostile(work);
  ({ browser, context } = await launchBrowser());
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await served?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Watch {
  readonly dialogs: string[];
  readonly errors: string[];
  /** securitypolicyviolation events seen by the document, and CSP console reports. */
  violations(): Promise<string[]>;
  pwned(): Promise<unknown>;
}

/** Records dialogs, page errors and CSP violations on a page from its first script on. */
async function watch(page: Page): Promise<Watch> {
  const dialogs: string[] = [];
  const errors: string[] = [];
  const consoleCsp: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => void errors.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) consoleCsp.push(m.text());
  });
  // init scripts come through the DevTools protocol, so the page's own CSP does not stop them
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return {
    dialogs,
    errors,
    violations: async () => [
      ...(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)),
      ...consoleCsp,
    ],
    pwned: () => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned),
  };
}

/** Names of on* attributes anywhere in the document (React never writes one). */
const eventAttributes = (page: Page): Promise<string[]> =>
  page.evaluate(() =>
    [...document.querySelectorAll('*')].flatMap((e) =>
      [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName} ${a.name}`),
    ),
  );

/** Links whose target would run script when followed. */
const scriptLinks = (page: Page): Promise<string[]> =>
  page.evaluate(() =>
    [...document.querySelectorAll('a[href], area[href], [src], [action], [formaction]')]
      .map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action') ?? '')
      .filter((u) => /^\s*(javascript|vbscript|data):/i.test(u)),
  );

async function expectInert(page: Page, w: Watch): Promise<void> {
  expect(await scriptLinks(page)).toEqual([]);
  expect(w.dialogs).toEqual([]);
  expect(w.errors).toEqual([]);
  expect(await w.pwned()).toBeUndefined();
  expect(await w.violations()).toEqual([]);
  expect(await eventAttributes(page)).toEqual([]);
}

async function download(page: Page, button: RegExp, name: string): Promise<string> {
  const [d] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  const file = join(work, name);
  await d.saveAs(file);
  return file;
}

/**
 * Opens a file's view from the report's file table and waits for its source. The table may
 * still be re-rendered (React transitions) just after the totals appear, and a click on a row
 * being replaced is lost: so the click is repeated until the address names the file. Once it
 * does, the view must show the source (no retry there: a view that never loads is a failure).
 */
async function openFile(page: Page, name: string): Promise<string> {
  const link = page.getByTestId('file-table').getByRole('link', { name, exact: true });
  const named = () =>
    page.waitForFunction(
      (n) => (new URLSearchParams(location.hash.slice(1)).get('file') ?? '').split('/').pop() === n,
      name,
      { timeout: 5_000 },
    );
  for (let tries = 1; ; tries++) {
    await link.click();
    try {
      await named();
      break;
    } catch (e) {
      if (tries === 3) throw e;
    }
  }
  const view = page.getByTestId('file-view');
  await view.locator('code.src').first().waitFor();
  return (await view.textContent()) ?? '';
}

describe('hostile names and text', () => {
  it('shows them as text in the app and in its static report, and runs none of them', async () => {
    const page = await context.newPage();
    const w = await watch(page);
    await gotoApp(page, served.origin);
    await page.setInputFiles('#folder-input', hostile.root);
    await page.getByTestId('summary').filter({ hasText: 'sources' }).waitFor({ timeout: 60_000 });
    await page.getByTestId('report-totals').waitFor();

    const cText = await openFile(page, PAYLOADS.cFile);
    for (const m of SOURCE_MARKERS) expect(cText, m).toContain(m);
    const cppText = await openFile(page, PAYLOADS.cppFile);
    expect(hostile.angled.length).toBeGreaterThan(0);
    for (const n of hostile.angled) expect(cppText, n).toContain(n);
    // the #line name has no source: listed with its numbers
    await page.getByTestId('file-table').getByText(PAYLOADS.lineFile.split('/').pop()!).first().waitFor();
    const files = await page.locator('details.files').textContent();
    expect(files).toContain(`${PAYLOADS.dir}/${PAYLOADS.subdir}/${PAYLOADS.cFile}`);
    expect(files).toContain(`${PAYLOADS.object}.gcda`);
    await expectInert(page, w);

    const html = await download(page, /Download static HTML report/, 'hostile-report.html');
    await expectInert(page, w);
    await page.close();

    const offline = await browser.newContext();
    await offline.route(/^https?:/, (route) => route.abort());
    const view = await offline.newPage();
    const v = await watch(view);
    await view.goto(pathToFileURL(html).href);
    expect(await view.locator('script, img, svg, iframe, object, embed').count()).toBe(0);
    const text = (await view.locator('body').textContent()) ?? '';
    for (const m of [...SOURCE_MARKERS, ...hostile.angled, PAYLOADS.cFile, PAYLOADS.lineFile, PAYLOADS.dir])
      expect(text, m).toContain(m);
    await expectInert(view, v);
    await offline.close();
  });

  it('takes a dropped zip with a hostile name and hostile entries as text', async () => {
    const entries: Record<string, Uint8Array> = {};
    for (const f of hostile.files) entries[f.path] = f.bytes;
    const zipName = '<img src=x onerror=alert(11)>.zip';
    const page = await context.newPage();
    const w = await watch(page);
    await gotoApp(page, served.origin);
    await dropFiles(page, [{ name: zipName, bytes: zipSync(entries) }]);
    await page.getByTestId('report-totals').waitFor({ timeout: 60_000 });
    const cText = await openFile(page, PAYLOADS.cFile);
    for (const m of SOURCE_MARKERS) expect(cText, m).toContain(m);
    expect(await page.locator('details.files').textContent()).toContain(
      `${zipName.replace(/\.zip$/, '')}/${PAYLOADS.dir}/${PAYLOADS.subdir}/${PAYLOADS.cFile}`,
    );
    await expectInert(page, w);
    await page.close();
  });
});

describe('the Content-Security-Policy', () => {
  it('lets the example load, report and download with no violation, and refuses injection', async () => {
    const page = await context.newPage();
    const w = await watch(page);
    const response = await page.goto(`${served.origin}/?example`);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).toContain("script-src 'self'");
    expect(meta).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(meta).toContain("connect-src 'self'");
    await page.getByTestId('summary').filter({ hasText: 'sources' }).waitFor({ timeout: 60_000 });
    await page.getByTestId('report-totals').waitFor();
    const zip = readFileSync(await download(page, /Download \.gcda zip/, 'example-gcda.zip'));
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    const html = readFileSync(await download(page, /Download static HTML report/, 'example.html'), 'utf8');
    expect(html).toContain('<!DOCTYPE html>');
    expect(await w.violations()).toEqual([]);
    expect(w.errors).toEqual([]);

    // the policy is in force: an inline script does not run, another origin is not reached
    const ran = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__pwned = "inline"';
      document.body.append(s);
      await new Promise((r) => setTimeout(r, 50));
      const fetched = await fetch('http://localhost:9/').then(
        () => 'fetched',
        () => 'refused',
      );
      return { pwned: (window as unknown as { __pwned?: unknown }).__pwned, fetched };
    });
    expect(ran).toEqual({ pwned: undefined, fetched: 'refused' });
    const seen = await w.violations();
    expect(seen.some((v) => v.startsWith('script-src'))).toBe(true);
    expect(seen.some((v) => v.startsWith('connect-src') && v.includes('localhost:9'))).toBe(true);
    await page.close();

    // the example's static report from disk: no violation either
    const file = join(work, 'example.html');
    writeFileSync(file, html);
    const offline = await browser.newContext();
    const view = await offline.newPage();
    const v = await watch(view);
    await view.goto(pathToFileURL(file).href);
    await view.getByTestId('report-totals').waitFor();
    await expectInert(view, v);
    await offline.close();
  });
});

describe('limits and huge inputs', () => {
  it('states the archive limits where files are dropped and applies changed ones', async () => {
    const page = await context.newPage();
    const w = await watch(page);
    await gotoApp(page, served.origin);
    const note = page.getByTestId('limits');
    expect(await note.textContent()).toContain(
      `at most ${formatSize(DEFAULT_LIMITS.maxTotalBytes)} and ${DEFAULT_LIMITS.maxEntries.toLocaleString('en')} files`,
    );
    await note.getByText('Limits').click();
    await note.getByLabel('Most files per archive').fill('3');
    await note.getByText('at most 1 GiB and 3 files').waitFor();
    const entries: Record<string, Uint8Array> = {};
    for (let i = 0; i < 10; i++) entries[`src/f${i}.c`] = new TextEncoder().encode(`int f${i};\n`);
    const zip = join(work, 'many.zip');
    writeFileSync(zip, zipSync(entries));
    await page.setInputFiles('#files-input', zip);
    const problem = page.locator('li.problem').filter({ hasText: 'many.zip: more than 3 entries' });
    await problem.waitFor();
    expect(await page.getByTestId('summary').textContent()).toBe('3 sources');
    // the size limit, in MiB
    await note.getByLabel('Most unpacked per archive (MiB)').fill('1');
    await note.getByText('at most 1 MiB and 3 files').waitFor();
    await expectInert(page, w);
    await page.close();
  });

  it('shows progress while reading a folder of 20,000 files, and cancels it', async () => {
    const many = join(work, 'many');
    for (let d = 0; d < 200; d++) {
      const dir = join(many, `d${d}`);
      mkdirSync(dir, { recursive: true });
      for (let f = 0; f < 100; f++) writeFileSync(join(dir, `f${f}.c`), `int v${d}_${f};\n`);
    }
    const page = await context.newPage();
    const w = await watch(page);
    await gotoApp(page, served.origin);
    const limits = page.getByTestId('limits');
    await limits.getByText('Limits').click();
    await limits.getByLabel('Most files per archive').fill('2');
    await page.setInputFiles('#folder-input', many);
    const bar = page.getByRole('group', { name: 'Progress' });
    await bar.getByText(/of 20000/).waitFor();
    await bar.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Cancelled. The worker was restarted').waitFor();
    expect(await bar.count()).toBe(0);
    expect(await page.getByTestId('summary').count()).toBe(0);
    // the page answers and takes files again, the new worker with the limits set before
    const zip = join(work, 'three.zip');
    writeFileSync(
      zip,
      zipSync({
        'a.c': readFileSync(join(many, 'd0', 'f0.c')),
        'b.c': new Uint8Array(1),
        'c.c': new Uint8Array(1),
      }),
    );
    await page.setInputFiles('#files-input', zip);
    await page.locator('li.problem').filter({ hasText: 'three.zip: more than 2 entries' }).waitFor();
    expect(await page.getByTestId('summary').textContent()).toBe('2 sources');
    await expectInert(page, w);
    await page.close();
  });
});
