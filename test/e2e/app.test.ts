/**
 * The app in a real browser (Debian's chromium through playwright-core) against `vite
 * preview`: files given through the file inputs and through a drop on the drop zone, the
 * bundled example, the .gcda zip compared byte for byte with what libgcov wrote, and no
 * request to any origin but the preview server's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture, walkFiles } from '../helpers/fixtures';

const CONFIG = 'gcc12-armhf-O0';
const fx = loadFixture(CONFIG);
const gcnoDir = join(fx.dir, 'gcno');
const gcnoCount = walkFiles(gcnoDir).length;
const sourceCount = walkFiles(join(fx.dir, 'src')).length;
const [major, minor] = fx.meta.gcc.split('.');
const gccText = `GCC ${major}.${minor}`;
const objectsText = `${fx.ref.size} objects`;

let server: PreviewServer;
let origin: string;
let context: BrowserContext;
let work: string;
const requests: string[] = [];

beforeAll(async () => {
  const root = process.cwd();
  execFileSync('bash', ['scripts/make-example.sh', CONFIG], { cwd: root, stdio: 'inherit' });
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  server = await preview({
    root,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  const addr = server.httpServer.address() as AddressInfo;
  origin = `http://127.0.0.1:${addr.port}`;
  work = mkdtempSync(join(tmpdir(), 'hvcov-e2e-'));
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.on('request', (r) => void requests.push(r.url()));
});

afterAll(async () => {
  await context?.close();
  await new Promise<void>((resolve) => (server ? server.httpServer.close(() => resolve()) : resolve()));
  if (work) rmSync(work, { recursive: true, force: true });
});

async function openPage(query = ''): Promise<Page> {
  const page = await context.newPage();
  page.on('request', (r) => void requests.push(r.url()));
  page.on('pageerror', (e) => void requests.push(`pageerror:${e.message}`));
  await page.goto(`${origin}/${query}`);
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

describe(`the app on ${CONFIG}`, () => {
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
    const files = [
      { name: 'image.bin', b64: Buffer.from(fx.image).toString('base64') },
      { name: 'gcno.tar.gz', b64: readFileSync(tgz).toString('base64') },
    ];
    await page.evaluate((files) => {
      const dt = new DataTransfer();
      for (const f of files) {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name));
      }
      const zone = document.querySelector('[data-testid="drop-zone"]')!;
      for (const type of ['dragenter', 'dragover', 'drop'])
        zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, files);
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
