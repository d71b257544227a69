import { defineConfig } from 'vitest/config';

// Live tests share one dockerd and build network namespaces: run files one at a time so two labs
// never fight over the same names.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
