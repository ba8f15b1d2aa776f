import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/**
 * The app's Content-Security-Policy: script only from the app's own files (no inline, no
 * eval), no request to any other origin (connect-src 'self' is for the bundled example),
 * no plugin, frame, form or <base>, no inline style either (React and the chart set
 * styles through the CSSOM, which the policy does not govern).
 */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The production page carries the policy in a <meta> (so it holds on any static host);
 * the dev server goes without, as Vite's dev client needs inline script and a websocket.
 */
const cspMeta = (): Plugin => ({
  name: 'hvcov-csp',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: APP_CSP },
      injectTo: 'head-prepend',
    },
  ],
});

// The app is fully static: everything it needs ships in dist/, nothing is fetched at run time.
export default defineConfig({
  plugins: [react(), cspMeta()],
  base: './',
  // the version stamped on the static report (the worker is built with the same define)
  define: { __HVCOV_VERSION__: JSON.stringify(version) },
  worker: { format: 'es' },
  build: { outDir: 'dist/app', sourcemap: true },
  // `npm start` also sends the policy as a header, with what only a header can say
  preview: {
    headers: {
      'Content-Security-Policy': `${APP_CSP}; frame-ancestors 'none'`,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    },
  },
});
