/**
 * The live path as an operator runs it: the real composition root (startApp: GramJS userbot, sync
 * engine, live trigger, grammY bot, notifier) against the sandbox, as src/demo/tour.ts starts it.
 * One request per chat, each in a chat of its own, so DIGEST_INTERVAL_SECONDS (one digest per chat
 * per interval) never holds a sample back: each request opens its chat's digest, as the first
 * request after a quiet spell does. Measured per request, from world.addRequest:
 *  - stored: the store holds it pending (by whichever source came first: the bot's chat_join_request,
 *    the userbot's push → targeted check, or the admin log; the winner is counted);
 *  - notified: the sandbox Bot API accepted the digest message naming the requester.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp } from '../../src/app.js';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { createLogger } from '../../src/log.js';
import { generateWorld } from '../../src/sandbox/generate-scenario.js';
import { startSandbox } from '../../src/sandbox/sandbox.js';

export interface LiveAppRun {
  storedMs: number[];
  notifiedMs: number[];
  /** Which source stored each request first (bot, sync = the userbot's targeted check, admin_log). */
  storedBy: Record<string, number>;
}

/**
 * `samples` requests, one per chat, started `spacingMs` apart (they overlap when the digest wait is
 * longer than the spacing: an operator's chats do not take turns either).
 */
export async function measureLiveApp(o: { digestWaitSeconds: number; samples: number; spacingMs: number; seed: number }): Promise<LiveAppRun> {
  const world = generateWorld({ seed: o.seed, chats: o.samples, linksPerChat: 3, joins: 30, pending: 2 });
  const sandbox = await startSandbox({ world });
  const dir = await mkdtemp(join(tmpdir(), 'jw-live-bench-'));
  const chats = world.chats();
  // The admin has started the bot (a bot may not write first to a person).
  sandbox.bot.message({ from: world.self.id, text: '/start' });
  const app = await startApp({
    env: {
      ...sandbox.env(),
      DATABASE_PATH: join(dir, 'joinwatch.db'),
      WATCH_CHATS: chats.map((c) => String(botApiChatIdFromChannel(c.id))).join(','),
      LOG_LEVEL: 'silent',
      NOTIFY_CHAT_ID: String(world.self.id),
      DIGEST_WAIT_SECONDS: String(o.digestWaitSeconds),
      // Everything else at its default (NOTIFY_INTERVAL_SECONDS 30, DIGEST_INTERVAL_SECONDS 300, the crons).
    },
    logger: createLogger({ level: 'silent', destination: process.stderr }),
    syncAtStart: false,
    registerMenus: false,
  });
  try {
    // Each chat's first sync is its initial import (summed up once, not news): done before measuring,
    // and its summaries sent before the first sample.
    await app.syncAll();
    await app.notifier?.drainOnce();
    const storedBy: Record<string, number> = {};
    const one = async (i: number): Promise<{ stored: number; notified: number }> => {
      await new Promise((r) => setTimeout(r, i * o.spacingMs));
      const chat = chats[i]!;
      const chatId = botApiChatIdFromChannel(chat.id);
      const userId = 60_000_000n + BigInt(i);
      const name = `Bench${o.seed}x${i}`;
      world.addUser({ id: userId, firstName: name });
      const after = sandbox.bot.cursor;
      const t0 = performance.now();
      const notified = sandbox.bot.waitForSent((r) => r.chat === Number(world.self.id) && (r.text ?? '').includes(name), { after, timeoutMs: 120_000 });
      world.addRequest(chat.id, { userId, link: null });
      let row = app.store.requests.pendingOf(chatId, userId);
      while (!row) {
        await new Promise((r) => setTimeout(r, 2));
        row = app.store.requests.pendingOf(chatId, userId);
      }
      const stored = performance.now() - t0;
      storedBy[row.source] = (storedBy[row.source] ?? 0) + 1;
      await notified;
      return { stored, notified: performance.now() - t0 };
    };
    const runs = await Promise.all(chats.map((_, i) => one(i)));
    return { storedMs: runs.map((r) => r.stored), notifiedMs: runs.map((r) => r.notified), storedBy };
  } finally {
    await app.stop();
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
