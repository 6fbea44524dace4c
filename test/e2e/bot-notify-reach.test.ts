/**
 * A person whose private chat refused notifications (they never started the bot) writes to the
 * bot: their notifications are retried at the next drain, not up to 10 minutes later.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_A, T0, startBotWorld, type BotWorld } from './bot-harness.js';

let w: BotWorld;
beforeAll(async () => {
  w = await startBotWorld();
});
afterAll(async () => {
  await w?.stop();
});

describe('a refusing private chat that starts the bot', () => {
  it('is retried at once', async () => {
    const far = T0 + 10_000 + 600;
    w.store.notifyTargets.refused(String(ADMIN_A), "Forbidden: bot can't initiate conversation with a user", T0, far);
    w.store.notifyTargets.reported(String(ADMIN_A), T0);
    await w.say(ADMIN_A, '/start');
    const target = w.store.notifyTargets.get(String(ADMIN_A));
    expect(target?.nextTryAt).toBe(T0 + 10_000);
    // Still the same refusal streak: it was reported once and will not be reported again.
    expect(target?.reportedAt).toBe(T0);
  });
});
