import { defineConfig } from 'vitest/config';

// One runner for unit tests (beside the code) and integration/e2e tests (under test/).
// Two cores here: two workers, forks so native modules (better-sqlite3, canvas) stay isolated.
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'server/**/*.test.ts', 'renderer/src/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'out/**', 'dist/**'],
    pool: 'forks',
    maxWorkers: 2,
    // Generous: integration tests wait on real Orthanc, Chromium and PostgreSQL on 2 busy cores.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/support/global-setup.ts'],
  },
});
