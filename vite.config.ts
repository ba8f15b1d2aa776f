import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { buildInfo } from './scripts/build-info.mjs';

const { version, commit } = buildInfo(new URL('./', import.meta.url));

/**
 * The chunks the bootstrap (src/ui/main.tsx) imports one by one, preloaded from the page's
 * head: fetched and compiled while the bootstrap runs, so evaluating each later is short.
 */
function preloadBoot(names: readonly string[]): Plugin {
  return {
    name: 'hvcov-preload-boot',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (_html, ctx) =>
        Object.values(ctx.bundle ?? {})
          .filter((c) => c.type === 'chunk' && names.includes(c.name))
          .map((c) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `./${c.fileName}` },
            injectTo: 'head',
          })),
    },
  };
}

/**
 * V8's explicit compile hint: the functions of a chunk that carries this comment on its first
 * line are compiled while the chunk streams in, on a background thread, instead of on the main
 * thread the first time each runs (most of the page's code runs at once, as it renders).
 */
function compileHints(names: readonly string[]): Plugin {
  return {
    name: 'hvcov-compile-hints',
    apply: 'build',
    // after minification (which drops comments); the source map moves down one line with it
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !names.includes(chunk.name)) continue;
        chunk.code = `//# allFunctionsCalledOnLoad\n${chunk.code}`;
        const map = bundle[`${chunk.fileName}.map`];
        if (map?.type === 'asset' && typeof map.source === 'string') {
          const json = JSON.parse(map.source) as { mappings: string };
          json.mappings = `;${json.mappings}`;
          map.source = JSON.stringify(json);
        }
      }
    },
  };
}

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

const HINTED = [
  'charts',
  'client',
  'react',
  'redux-toolkit.modern',
  'reselect',
  'immer',
  'react-redux',
  'd3-scale',
  'd3-shape',
  'decimal',
  'ReportView',
];

// The app is fully static: everything it needs ships in dist/, nothing is fetched at run time.
export default defineConfig({
  plugins: [react(), preloadBoot(['react', 'client', 'App']), cspMeta(), compileHints(HINTED)],
  base: './',
  // the version and commit stamped on the static report and the evidence package (the worker
  // is built with the same define; the CLI's build, scripts/build-cli.mjs, too)
  define: { __HVCOV_VERSION__: JSON.stringify(version), __HVCOV_COMMIT__: JSON.stringify(commit) },
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
