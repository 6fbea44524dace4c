import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the fault suite (test/faults), apart from `npm test` because it runs for
 * minutes (kills, restarts, 10,000 hostile inputs). One file, its parts in order, one worker: its
 * processes already use both cores. FAULT_SEED=N replays a run; FAULT_PROFILE=smoke runs it small.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 60 * 60_000,
    hookTimeout: 120_000,
  },
});
