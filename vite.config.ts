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

// The app is fully static: everything it needs ships in dist/, nothing is fetched at run time.
export default defineConfig({
  plugins: [react(), preloadBoot(['react', 'client', 'App'])],
  base: './',
  // the version and commit stamped on the static report and the evidence package (the worker
  // is built with the same define; the CLI's build, scripts/build-cli.mjs, too)
  define: { __HVCOV_VERSION__: JSON.stringify(version), __HVCOV_COMMIT__: JSON.stringify(commit) },
  worker: { format: 'es' },
  build: { outDir: 'dist/app', sourcemap: true },
});
