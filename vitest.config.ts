import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One throwaway PostgreSQL server per run; tests get their own databases on it.
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // 2-core machines: two forked workers (the WASM schema engine and the server need the rest).
    pool: 'forks',
    maxWorkers: 2,
  },
});
