import { afterEach, describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/sync/report.js';
import { startSyncScheduler, type SyncScheduler } from '../../src/sync/scheduler.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const report = (revoked = false): CycleReport => ({ chats: [], calls: 0, sessionRevoked: revoked, budgetExhausted: false, startedAt: 0, finishedAt: 0 });

/** An engine whose cycle takes `ms`, recording how many cycles ever ran at once. */
function slowEngine(ms: number, revokeOn?: number) {
  const e = {
    running: 0,
    maxRunning: 0,
    cycles: 0,
    sessionRevoked: false,
    async runCycle(): Promise<CycleReport> {
      e.running++;
      e.maxRunning = Math.max(e.maxRunning, e.running);
      await sleep(ms);
      e.running--;
      e.cycles++;
      if (revokeOn !== undefined && e.cycles >= revokeOn) e.sessionRevoked = true;
      return report(e.sessionRevoked);
    },
  };
  return e;
}

let s: SyncScheduler | undefined;
afterEach(async () => {
  await s?.stop();
});

describe('sync scheduler (node-cron 4)', () => {
  it('runs at start and on ticks, never two cycles at once', async () => {
    const engine = slowEngine(1500);
    s = startSyncScheduler({ engine, chats: ['@x'], cron: '* * * * * *', jitterMs: 0 });
    await sleep(4200);
    expect(engine.cycles).toBeGreaterThanOrEqual(2);
    expect(engine.cycles).toBeLessThanOrEqual(3);
    expect(engine.maxRunning).toBe(1);
  });

  it('stops scheduling once the session is revoked', async () => {
    const engine = slowEngine(10, 1);
    s = startSyncScheduler({ engine, chats: ['@x'], cron: '* * * * * *', jitterMs: 0 });
    await sleep(2500);
    expect(engine.cycles).toBe(1);
    expect(s.running).toBe(false);
  });

  it('SYNC_RECONCILE_CRON marks every chat for the full reconcile at its ticks and runs a cycle; SYNC_CRON ticks alone do not mark', async () => {
    const engine = slowEngine(10);
    let marks = 0;
    // The ordinary schedule never ticks in this test (yearly); the reconcile one every second.
    s = startSyncScheduler({ engine, chats: ['@x'], cron: '0 0 1 1 *', reconcile: { cron: '* * * * * *', markDue: () => void marks++ }, jitterMs: 0, runAtStart: false });
    await sleep(2300);
    expect(marks).toBeGreaterThanOrEqual(1);
    expect(engine.cycles).toBe(marks);
  });
});
