import { defineConfig } from 'vitest/config';

// The end-to-end tests: the app built once (test/e2e/global-setup.ts), served with `vite
// preview` and driven in Debian's chromium through playwright-core (no browser download).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
