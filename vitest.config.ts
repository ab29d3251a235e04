import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One throwaway PostgreSQL server per run; tests get their own databases on it.
    globalSetup: ['test/support/globalSetup.ts'],
    // Guards against a hang, not speed checks: the suite must pass with another copy of it running beside it.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // 2-core machines: two forked workers (the WASM schema engine and the server need the rest).
    pool: 'forks',
    maxWorkers: 2,
  },
});
