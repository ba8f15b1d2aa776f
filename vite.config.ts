import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The app is fully static: everything it needs ships in dist/, nothing is fetched at run time.
export default defineConfig({
  plugins: [react()],
  base: './',
  worker: { format: 'es' },
  build: { outDir: 'dist/app', sourcemap: true },
});
