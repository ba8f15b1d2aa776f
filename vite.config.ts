import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { buildInfo } from './scripts/build-info.mjs';

const { version, commit } = buildInfo(new URL('./', import.meta.url));

// The app is fully static: everything it needs ships in dist/, nothing is fetched at run time.
export default defineConfig({
  plugins: [react()],
  base: './',
  // the version and commit stamped on the static report and the evidence package (the worker
  // is built with the same define; the CLI's build, scripts/build-cli.mjs, too)
  define: { __HVCOV_VERSION__: JSON.stringify(version), __HVCOV_COMMIT__: JSON.stringify(commit) },
  worker: { format: 'es' },
  build: { outDir: 'dist/app', sourcemap: true },
});
