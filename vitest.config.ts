import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The fault suite runs for minutes: `npm run test:faults` (vitest.faults.config.ts).
    exclude: ['test/faults/**', 'node_modules/**'],
    pool: 'forks',
    // e2e tests run real GramJS and grammY against the loopback sandbox: give them room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
