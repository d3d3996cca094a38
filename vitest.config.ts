import { defineConfig } from 'vitest/config';

/**
 * The suites that exercise the store through its contract run on both engines: once on SQLite
 * (with every other test) and once more on PostgreSQL (MARQUEE_TEST_ENGINE=postgres, which
 * test/helpers.ts memoryStore() reads). SQLite-only suites (pragmas, group commit internals, the
 * writer lane, file durability) run once.
 */
const BOTH_ENGINES = [
  'test/integration/analytics-ingest.test.ts',
  'test/integration/analytics-reports.test.ts',
  'test/integration/auth-accounts.test.ts',
  'test/integration/auth-audit.test.ts',
  'test/integration/auth-first-run.test.ts',
  'test/integration/auth-permission-matrix.test.ts',
  'test/integration/door-check-in.test.ts',
  'test/integration/event-listings.test.ts',
  'test/integration/group-commit-sell.test.ts',
  'test/integration/http-api.test.ts',
  'test/integration/import-api.test.ts',
  'test/integration/operations-contract.test.ts',
  'test/integration/seating-concurrency.test.ts',
  'test/integration/seating-model.test.ts',
  'test/integration/seating-ops.test.ts',
  'test/integration/text-guard.test.ts',
  'test/proof/db-journal.test.ts',
  'test/proof/fuzz-http.test.ts',
  'test/proof/fuzz-ipc.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default on a 2-core machine is one worker, but most suites wait on fsync, child
    // processes and the PostgreSQL server rather than on the CPU: two workers cut CI's wall time.
    maxWorkers: 2,
    // One throwaway PostgreSQL server per project; files get its URL with inject('postgresUrl').
    globalSetup: ['test/support/postgres-global-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx', 'test/integration/**/*.test.ts', 'test/proof/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'postgres', include: [...BOTH_ENGINES, 'test/postgres/**/*.test.ts'], env: { MARQUEE_TEST_ENGINE: 'postgres' } },
      },
    ],
  },
});
