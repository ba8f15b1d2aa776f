import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

// The app is fully static: everything it needs ships in dist/, nothing is fetched at run time.
export default defineConfig({
  plugins: [react()],
  base: './',
  // the version stamped on the static report (the worker is built with the same define)
  define: { __HVCOV_VERSION__: JSON.stringify(version) },
  worker: { format: 'es' },
  build: { outDir: 'dist/app', sourcemap: true },
});
