/**
 * The model check as vitest tests: every seed of a range must pass. A failure names the seed, the
 * violations and the whole trace, and `npm run test:sim -- --seed S` replays it. npm test runs two
 * halves in two files, so the two cores share them.
 */
import { expect, it } from 'vitest';
import { runSeed } from './run-seed.js';

/** Seeds npm test runs in all (the CLI runs as many as asked). */
export const NPM_TEST_SEEDS = 240;

export function seedRange(first: number, count: number): void {
  it(`seeds ${first}..${first + count - 1}: the store stays true to what the account could see, and equals the world after a quiet period`, async () => {
    const failures: string[] = [];
    for (let seed = first; seed < first + count; seed++) {
      const result = await runSeed(seed);
      if (result.violations.length === 0) continue;
      failures.push(
        [
          `seed ${seed} failed (replay: npm run test:sim -- --seed ${seed}):`,
          ...result.violations.slice(0, 10).map((v) => `  ${v.kind}: ${v.detail}`),
          'trace:',
          ...result.trace,
        ].join('\n'),
      );
      if (failures.length >= 3) break;
    }
    expect(failures.join('\n\n')).toBe('');
  }, 600_000);
}
