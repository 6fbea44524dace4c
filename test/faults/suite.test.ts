/**
 * The fault suite (issue 11, item 6): `npm run test:faults`. Each part runs against the sandbox
 * with the real GramJS and grammY (and, for the kills, the real `joinwatch start` processes), from
 * one seed; the figures table is printed at the end, and a failure names the seed that replays it
 * (FAULT_SEED=N). FAULT_PROFILE=smoke runs every part small; FAULT_KILLS / FAULT_HOSTILE override.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rng } from '../../src/sandbox/generate-scenario.js';
import { accessMatrix } from './lib/access.js';
import { botApiFaultCases } from './lib/botapi-faults.js';
import { botRig } from './lib/bot-rig.js';
import { figuresTable, newFigures, withSeed } from './lib/figures.js';
import { hostileInputs } from './lib/hostile.js';
import { killSuite } from './lib/kill-suite.js';
import { mtprotoFaultCases } from './lib/mtproto-faults.js';
import { LogSink } from './lib/processes.js';
import { riskyRuns, scanLogs } from './lib/secrets.js';
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
        const before = { ...figures.kills, buttons: { ...figures.buttons }, notes: { ...figures.notifications } };
        const outcome = await killSuite({ seed: SEED + (topology === 'split' ? 1 : 0), kills: PROFILE.kills, topology, size: SIZE, figures, logs });
        figures.cases.push({ name: `SIGKILL ×${PROFILE.kills}, ${topology}`, outcome, ok: true });
        expect(figures.kills.survived - before.survived).toBe(figures.kills.tried - before.tried);
        expect(figures.buttons.working - before.buttons.working).toBe(figures.buttons.tried - before.buttons.tried);
        expect(figures.notifications.lost - before.notes.lost).toBe(0);
        expect(figures.notifications.doubledBeyondDedupe - before.notes.doubledBeyondDedupe).toBe(0);
      });
    });
  }

  it(`refuses every command and button to who may not use it, answers ${PROFILE.hostile} hostile inputs, rides out Bot API 429 and 500 bursts`, async () => {
    await withSeed(SEED, 'bot', async () => {
      const rig = await botRig(SEED, logs);
      try {
        const access = await accessMatrix(rig, figures);
        figures.cases.push({ name: 'access matrix', outcome: access.failures.length === 0 ? `${access.refused} of ${access.tried} attempts refused, ${access.allowedAsExpected} reads by an admin without the invite right allowed` : access.failures.slice(0, 5).join('; '), ok: access.failures.length === 0 });
        const bursts = await botApiFaultCases(rig);
        figures.cases.push(...bursts);
        const hostile = await hostileInputs(rig, PROFILE.hostile, rng(SEED), figures);
        figures.cases.push({ name: `${PROFILE.hostile} hostile inputs`, outcome: `${hostile.answered} answered, ${hostile.acted} acted, ${hostile.errors.length} errors logged${hostile.unanswered.length ? `; unanswered: ${hostile.unanswered.slice(0, 3).join('; ')}` : ''}`, ok: hostile.answered === hostile.sent && hostile.acted === 0 && hostile.errors.length === 0 });
        expect(access.failures).toEqual([]);
        expect(bursts.filter((b) => !b.ok)).toEqual([]);
        expect(hostile.unanswered).toEqual([]);
        expect(hostile.acted).toBe(0);
        expect(hostile.errors).toEqual([]);
      } finally {
        await rig.stop();
      }
    });
  });

  it('no secret in any log of the run (login, sync, bot, notifier, induced errors)', async () => {
    await withSeed(SEED, 'secrets', async () => {
      const secrets = [...(await riskyRuns(logs)), ...logs.secrets];
      const scan = scanLogs(logs, secrets);
      figures.secrets.scannedBytes = scan.scannedBytes;
      figures.secrets.found = scan.found.length;
      figures.secrets.where = scan.found;
      expect(scan.found).toEqual([]);
      expect(logs.outputs.some((o) => o.name.startsWith('login'))).toBe(true);
    });
  });
});
