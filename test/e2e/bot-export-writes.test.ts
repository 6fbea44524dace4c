/**
 * Issue 9, defect 7: a 150,000-row /export must not block or break a write. While it streams, a
 * bulk approve of 33 requests and the notifier write to the same database: every approval Telegram
 * made is reported and stored with its decider, the digest goes out exactly once, and other chats
 * are answered. Real grammY against the sandbox, on a database file (WAL), as in production.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifier } from '../../src/notify/notifier.js';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { openStore, type Store } from '../../src/store/index.js';
import { EventKind } from '../../src/sync/events.js';
import { ADMIN_A, ADMIN_B, BIG_LINK, CHAT_A, CHAT_B, T0, buttons, startBotWorld, textOf, type BotWorld } from './bot-harness.js';

const chatA = botApiChatIdFromChannel(CHAT_A);
const ROWS = 150_000;
const plain = (t: string) => t.replace(/[\u2068\u2069]/g, '');

let dir: string;
let store: Store;
let w: BotWorld;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'joinwatch-export-writes-'));
  store = openStore(join(dir, 'joinwatch.db'));
  w = await startBotWorld({ store, bot: { bulkRatePerSecond: 200 } });
  // 150,000 more joiners on the big link (the world's 500 are already there).
  const users = Array.from({ length: ROWS }, (_, i) => ({ id: 20_000_000n + BigInt(i), accessHash: null, username: null, firstName: `Bulk${i}`, lastName: '' }));
  store.users.upsertMany(users, T0);
  for (let i = 0; i < ROWS; i += 10_000) {
    store.joins.insertMany(chatA, BIG_LINK, users.slice(i, i + 10_000).map((u, k) => ({ userId: u.id, date: T0 + 1000 + Math.floor((i + k) / 3) })), T0);
  }
}, 120_000);

afterAll(async () => {
  await w?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('/export of 150k rows while a bulk run and the notifier write', () => {
  it('loses no write, reports what Telegram did, sends the digest once, and other chats are answered', async () => {
    // Set up "approve all" of the 30 pending requests (every one goes through the Bot API).
    const list = await w.say(ADMIN_A, '/pending');
    const count = Number(/^(\d+) pending/.exec(plain(textOf(list)))![1]);
    const ask = await w.press(ADMIN_A, list, buttons(list).find((b) => b.text === `Approve all ${count}`)!.data, (r) => r.message_id !== list.message_id);
    // The notifier has a digest to send (about chat B, whose request nobody decides meanwhile).
    const chatB = botApiChatIdFromChannel(CHAT_B);
    store.requests.upsertPending(chatB, [{ userId: 9_300_001n, date: T0 + 5000, link: null }], T0);
    store.outbox.add(EventKind.RequestsNew, chatB, { requests: [{ userId: '9300001', date: T0 + 5000, link: null, about: null }] }, T0);
    const notifier = createNotifier({ api: w.bot.api, store, logger: pino({ level: 'silent' }), notifyChatId: BigInt(ADMIN_A), now: () => Date.now(), baseline: () => 0 });
    await w.say(ADMIN_A, '/start');

    // The export starts; while it streams, the run is confirmed, the notifier drains, chat B asks.
    const exportAfter = w.server.driver.cursor;
    w.server.driver.message({ from: ADMIN_A, text: `/export ${BIG_LINK}` });
    await new Promise((r) => setTimeout(r, 50));
    const yes = buttons(ask).find((b) => b.text.startsWith('✅ Yes'))!;
    w.server.driver.press({ from: ADMIN_A, messageId: ask.message_id, data: yes.data });
    const drains = [notifier.drainOnce(), notifier.drainOnce()];
    const b0 = Date.now();
    const bReply = await w.say(ADMIN_B, '/links', { timeoutMs: 20_000, match: (r) => r.chat === Number(ADMIN_B) });
    const bMs = Date.now() - b0;
    const reports = await Promise.all(drains);
    const done = await w.server.driver.waitForSent((r) => r.message_id === ask.message_id && /^Done/.test(textOf(r)), { after: exportAfter, timeoutMs: 60_000 });
    const doc = await w.server.driver.waitForSent((r) => r.file?.kind === 'document', { after: exportAfter, timeoutMs: 120_000 });

    expect(plain(textOf(done))).toBe(`Done: approved ${count} of ${count}.`);
    expect(w.world.pendingCount(CHAT_A)).toBe(0);
    // Every approval is stored with who decided; nothing is left pending in the store.
    expect(store.pending.count(chatA)).toBe(0);
    expect(store.whois(9_200_020n, [chatA]).requests[0]).toMatchObject({ status: 'approved', decidedBy: ADMIN_A });
    // The digest went out exactly once and is marked delivered.
    const digests = w.sentSince(0).filter((r) => r.chat === Number(ADMIN_A) && /new join request/.test(textOf(r)));
    expect(digests).toHaveLength(1);
    expect(reports.every((r) => r.failure === undefined)).toBe(true);
    // The approvals came back as joins (chat_member) after those drains: one more takes them.
    await notifier.drainOnce();
    expect(store.outbox.undelivered(10)).toEqual([]);
    // The export holds every row, and chat B was not kept waiting behind it.
    const csv = w.server.driver.file(doc.file!.file_id)!.bytes.toString('utf8').split('\n').filter(Boolean);
    expect(csv).toHaveLength(ROWS + 500 + 1);
    expect(textOf(bReply)).toContain('Secret B');
    expect(bMs).toBeLessThan(10_000);
  }, 180_000);
});
