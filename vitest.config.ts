import { defineConfig } from 'vitest/config';

// Unit tests run anywhere on the committed fixtures; conformance tests need the real
// toolchains and run on freshly generated fixtures (scripts/test-all.sh sets that up).
export default defineConfig({
  test: {
    include: process.env.HVCOV_CONFORMANCE ? ['test/conformance/**/*.test.ts'] : ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
