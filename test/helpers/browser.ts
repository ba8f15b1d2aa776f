/**
 * What every e2e test needs: the production build served by `vite preview` on a free port,
 * Debian's chromium through playwright-core (no browser download), the app opened once it
 * has mounted, and files dropped on its real drop zone.
 */
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';

/** Chromium without anything that talks to the network on its own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Served {
  readonly origin: string;
  close(): Promise<void>;
}

/** The build (made by test/e2e/global-setup.ts) served from 127.0.0.1 on a free port. */
export async function serveApp(): Promise<Served> {
  const server: PreviewServer = await preview({
    root: process.cwd(),
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  return {
    origin: `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())),
  };
}

const LAUNCH = { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS };

/** A headless chromium and one context that accepts downloads. */
export async function launchBrowser(): Promise<{ browser: Browser; context: BrowserContext }> {
  const browser = await chromium.launch(LAUNCH);
  const context = await browser.newContext({ acceptDownloads: true });
  return { browser, context };
}

/**
 * A headless chromium whose context keeps a profile on disk (`dir`), as a user's browser
 * does: its HTTP and code caches make a later visit of the app load as a return visit.
 */
export async function launchWithProfile(dir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(dir, { ...LAUNCH, acceptDownloads: true });
}

/** Loads the app at `query` in `page` and waits until it has mounted after its bootstrap. */
export async function gotoApp(page: Page, origin: string, query = ''): Promise<void> {
  await page.goto(`${origin}/${query}`);
  await page.getByTestId('drop-zone').waitFor();
}

/** A new page of the app at `query`, once the app has mounted. */
export async function openApp(context: BrowserContext, origin: string, query = ''): Promise<Page> {
  const page = await context.newPage();
  await gotoApp(page, origin, query);
  return page;
}

export interface DroppedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Drops `files` on the drop zone as one drag and drop, as a user does. */
export async function dropFiles(page: Page, files: readonly DroppedFile[]): Promise<void> {
  await page.getByTestId('drop-zone').waitFor();
  const payload = files.map((f) => ({ name: f.name, b64: Buffer.from(f.bytes).toString('base64') }));
  await page.evaluate((files) => {
    const dt = new DataTransfer();
    for (const f of files)
      dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
    const zone = document.querySelector('[data-testid="drop-zone"]')!;
    for (const type of ['dragenter', 'dragover', 'drop'])
      zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, payload);
}
