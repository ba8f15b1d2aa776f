import { defineConfig } from 'vitest/config';

// The end-to-end test: builds the app, serves it with `vite preview` and drives Debian's
// chromium through playwright-core (no browser download). Run after the app build step.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
