/**
 * Issue 9, defect 11: one chat's 429 must not freeze the bot for everyone. Chat A's approve meets a
 * 20 s `retry_after`; meanwhile chat B's admin is answered at once, the press in A is acknowledged at
 * once, and stopping the bot does not wait the 20 s out. Real grammY (runner) against the sandbox.
 * Bounds are generous (a loaded 2-core machine): the figure itself is measured by bench/bot-concurrency.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { ADMIN_A, ADMIN_B, CHAT_A, buttons, startBotWorld, textOf, type BotWorld } from './bot-harness.js';

const chatA = botApiChatIdFromChannel(CHAT_A);
let w: BotWorld | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

describe('a 20 s 429 in one chat', () => {
  it('does not hold up another chat, the press is acknowledged at once, and stop() stays bounded', async () => {
    w = await startBotWorld();
    await w.say(ADMIN_B, '/start'); // B's admin cache is warm, as in a running bot
    const list = await w.say(ADMIN_A, '/pending Annabel');
    const approve = buttons(list).find((b) => b.text.startsWith('✅'))!;
    w.server.driver.tooManyRequests({ method: 'approveChatJoinRequest', chat: chatA, count: 1, retryAfter: 20 });
    const pressedAt = Date.now();
    const id = w.server.driver.press({ from: ADMIN_A, messageId: list.message_id, data: approve.data });
    await expect.poll(() => w!.server.driver.answer(id), { timeout: 5000, interval: 20 }).toBeDefined();
    const acknowledgedMs = Date.now() - pressedAt;
    // A's approve is now waiting out retry_after (auto-retry); chat B asks for its links.
    const t0 = Date.now();
    const reply = await w.say(ADMIN_B, '/links', { timeoutMs: 15_000 });
    const answeredMs = Date.now() - t0;
    expect(textOf(reply)).toContain('Secret B');
    expect(answeredMs).toBeLessThan(5000);
    expect(acknowledgedMs).toBeLessThan(5000);
    // A's decision has not happened yet: it really is waiting.
    expect(w.world.pendingRequest(CHAT_A, 9_200_000n)).toBeDefined();
    // And stopping does not wait the 20 s out.
    const s0 = Date.now();
    await w.running.stop();
    expect(Date.now() - s0).toBeLessThan(6000);
  });
});
