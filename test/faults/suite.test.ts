/**
 * The fault suite (issue 11, item 6): `npm run test:faults`. Each part runs against the sandbox
 * with the real GramJS and grammY (and, for the kills, the real `joinwatch start` processes), from
 * one seed; the figures table is printed at the end, and a failure names the seed that replays it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { figuresTable, newFigures, withSeed } from './lib/figures.js';
import { killSuite } from './lib/kill-suite.js';
import { mtprotoFaultCases } from './lib/mtproto-faults.js';
import { LogSink } from './lib/processes.js';
import { profile, seed } from './profile.js';

const SEED = seed();
const PROFILE = profile();
const figures = newFigures(SEED, PROFILE.name);
const logs = new LogSink();
const SIZE = { joinsA: 1500, pendingA: 60, joinsB: 200, pendingB: 10 };

afterAll(() => {
  console.log(figuresTable(figures));
});

describe(`fault suite (seed ${SEED}, profile ${PROFILE.name})`, () => {
  it('MTProto faults on every method the sync uses', async () => {
    await withSeed(SEED, 'MTProto faults', async () => {
      const results = await mtprotoFaultCases(SEED);
      figures.cases.push(...results);
      expect(results.filter((r) => !r.ok)).toEqual([]);
    });
  });

  for (const topology of ['one process', 'split'] as const) {
    it(`survives SIGKILL at ${PROFILE.kills} random moments, ${topology}`, async () => {
      await withSeed(SEED, `kills, ${topology}`, async () => {
        const outcome = await killSuite({ seed: SEED + (topology === 'split' ? 1 : 0), kills: PROFILE.kills, topology, size: SIZE, figures, logs });
        figures.cases.push({ name: `SIGKILL ×${PROFILE.kills}, ${topology}`, outcome, ok: true });
        expect(figures.kills.survived).toBe(figures.kills.tried);
        expect(figures.buttons.working).toBe(figures.buttons.tried);
        expect(figures.notifications.lost).toBe(0);
        expect(figures.notifications.doubledBeyondDedupe).toBe(0);
      });
    });
  }
});
