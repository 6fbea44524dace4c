import { describe, expect, it } from 'vitest';
import { BudgetExhaustedError, CallBudget } from '../../src/sync/budget.js';
import { openStore } from '../../src/store/index.js';

describe('CallBudget', () => {
  it('refuses the call past the per-cycle limit, and a new cycle starts afresh', async () => {
    const b = new CallBudget({ perCycle: 3, perMinute: 100 });
    for (let i = 0; i < 3; i++) await b.take();
    await expect(b.take()).rejects.toBeInstanceOf(BudgetExhaustedError);
    expect(b.remaining).toBe(0);
    b.resetCycle();
    await b.take();
    expect(b.calls).toBe(1);
  });

  it('waits for a slot when the sliding minute is full, instead of provoking FLOOD_WAIT', async () => {
    let now = 0;
    const slept: number[] = [];
    const b = new CallBudget({
      perCycle: 1000,
      perMinute: 2,
      nowMs: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
    });
    await b.take(); // t=0
    now = 10_000;
    await b.take(); // t=10s
    await b.take(); // must wait until t=60s+ (the first call leaves the window)
    expect(slept).toEqual([50_001]);
    await b.take(); // the t=10s call leaves at 70s
    expect(now).toBeGreaterThanOrEqual(70_000);
    expect(b.calls).toBe(4);
  });
});

describe('CallBudget with the call log (issue 11: the per-minute budget outlives a restart)', () => {
  it('counts the calls a previous process (or another one) made this minute', async () => {
    const store = openStore(':memory:');
    let now = 100_000;
    const slept: number[] = [];
    const clock = {
      nowMs: () => now,
      sleep: async (ms: number) => {
        slept.push(ms);
        now += ms;
      },
    };
    const before = new CallBudget({ perCycle: 1000, perMinute: 3, log: store.syncCalls, ...clock });
    for (let i = 0; i < 3; i++) {
      await before.take();
      now += 1000;
    }
    // Restarted 2 s later: the minute is still full, so the first call waits for the oldest to leave.
    now += 2000;
    const after = new CallBudget({ perCycle: 1000, perMinute: 3, log: store.syncCalls, ...clock });
    await after.take();
    expect(slept).toEqual([55_001]);
    expect(store.syncCalls.since(now - 60_000)).toHaveLength(3);
    store.close();
  });
});
