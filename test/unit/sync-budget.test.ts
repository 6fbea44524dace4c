import { describe, expect, it } from 'vitest';
import { BudgetExhaustedError, CallBudget } from '../../src/sync/budget.js';

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
