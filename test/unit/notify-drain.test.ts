import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNotifier } from '../../src/notify/notifier.js';
import type { NotifyApi } from '../../src/notify/send.js';
import { openStore, type Store } from '../../src/store/index.js';
import { EventKind } from '../../src/sync/events.js';

const CHAT = -1001700000001n;
const LINK = 'https://t.me/+AAAAAAAAAAAA';
const NOTIFY = -1001999999999n;
const NOW_MS = Date.UTC(2026, 0, 1) + 0;
const NOW = NOW_MS / 1000;

/** A stand-in for the Bot API's sendMessage that fails on demand, like a network outage would. */
class FlakyApi implements NotifyApi {
  sent: { chatId: string; text: string }[] = [];
  failNext = 0;
  failWith: unknown = Object.assign(new Error('Network request for sendMessage failed'), {});
  async sendMessage(chatId: string, text: string, _other?: { parse_mode?: 'HTML' }): Promise<unknown> {
    if (this.failNext > 0) {
      this.failNext--;
      throw this.failWith;
    }
    this.sent.push({ chatId, text });
    return { message_id: this.sent.length };
  }
}

let store: Store;
let api: FlakyApi;
let clock: number;
const logger = pino({ level: 'silent' });

/** New pending requests as the sync records them: the rows, and their event in the outbox. */
function addRequests(n: number, firstUser: number, chatId = CHAT): number {
  const requests = Array.from({ length: n }, (_, i) => ({ userId: BigInt(firstUser + i), date: NOW - i, link: null, about: null }));
  store.chats.upsert({ id: chatId, title: '', type: 'supergroup', isOwner: true }, NOW);
  store.users.upsertMany(requests.map((r) => ({ id: r.userId, accessHash: null, username: null, firstName: `User${r.userId}`, lastName: '' })), NOW);
  store.requests.upsertPending(chatId, requests, NOW);
  return store.outbox.add(EventKind.RequestsNew, chatId, { requests: requests.map((r) => ({ ...r, link: LINK })) }, NOW);
}

function notifier(extra: Partial<Parameters<typeof createNotifier>[0]> = {}) {
  return createNotifier({ api, store, logger, notifyChatId: NOTIFY, now: () => clock, baseline: () => 0, digestWaitMs: 0, ...extra });
}

beforeEach(() => {
  store = openStore(':memory:');
  api = new FlakyApi();
  clock = NOW_MS;
});
afterEach(() => store.close());

describe('notifier drain', () => {
  it('batches 3 request events (150 requests) into one digest and marks all delivered', async () => {
    addRequests(50, 1);
    addRequests(50, 100);
    addRequests(50, 200);
    store.outbox.add(EventKind.LinkCreated, CHAT, { link: LINK }, NOW);
    const report = await notifier().drainOnce();
    expect(api.sent).toHaveLength(1);
    expect(api.sent[0]!.chatId).toBe(String(NOTIFY));
    expect(api.sent[0]!.text).toContain('150 new join requests');
    expect(report).toMatchObject({ read: 4, messages: 1, delivered: 4, heldBack: 0 });
    expect(store.outbox.undelivered(10)).toEqual([]);
  });

  it('loses nothing when a send fails: the events stay and go out on the next drain', async () => {
    addRequests(3, 1);
    store.outbox.add(EventKind.SyncFailed, CHAT, { kind: 'Transient', code: 'ECONNRESET' }, NOW);
    const n = notifier();
    api.failNext = 1;
    const first = await n.drainOnce();
    expect(first.failure?.description).toMatch(/Network request/);
    expect(api.sent).toEqual([]);
    expect(store.outbox.undelivered(10)).toHaveLength(2);

    const second = await n.drainOnce();
    expect(second.failure).toBeUndefined();
    expect(api.sent.map((s) => s.text.split('\n')[0])).toEqual([
      expect.stringContaining('3 new join requests'),
      expect.stringContaining('joinwatch'),
    ]);
    expect(api.sent[1]!.text).toContain('Sync failed');
    expect(store.outbox.undelivered(10)).toEqual([]);
  });

  it('a failure after the first message keeps only the unsent events, and does not resend the first', async () => {
    addRequests(2, 1);
    const alertId = store.outbox.add(EventKind.SessionRevoked, null, { code: 'SESSION_REVOKED' }, NOW);
    const n = notifier();
    const origSend = api.sendMessage.bind(api);
    let calls = 0;
    api.sendMessage = async (chatId, text) => {
      calls++;
      if (calls === 2) throw Object.assign(new Error('Too Many Requests'), { error_code: 429, parameters: { retry_after: 3 } });
      return origSend(chatId, text);
    };
    const first = await n.drainOnce();
    expect(first.failure?.retryAfterSeconds).toBe(3);
    expect(store.outbox.undelivered(10).map((e) => e.id)).toEqual([alertId]);
    await n.drainOnce();
    expect(api.sent).toHaveLength(2);
    expect(api.sent[1]!.text).toContain('session was revoked');
    expect(store.outbox.undelivered(10)).toEqual([]);
  });

  it('holds a chat digest back until its interval passed, then sends the rest together', async () => {
    const n = notifier({ digestIntervalMs: 300_000 });
    addRequests(1, 1);
    await n.drainOnce();
    addRequests(2, 10);
    clock += 60_000;
    const held = await n.drainOnce();
    expect(held.heldBack).toBe(2);
    expect(api.sent).toHaveLength(1);
    expect(store.outbox.undelivered(10)).toHaveLength(1);
    addRequests(4, 20);
    clock += 300_000;
    await n.drainOnce();
    expect(api.sent).toHaveLength(2);
    expect(api.sent[1]!.text).toContain('6 new join requests');
    expect(store.outbox.undelivered(10)).toEqual([]);
  });

  it('sends a raid alert for a burst of new joins, not for a backfill page', async () => {
    const joins = Array.from({ length: 40 }, (_, i) => ({ userId: BigInt(i + 1), date: NOW - 300 + i * 5, approvedBy: null }));
    store.outbox.add(EventKind.JoinsNew, CHAT, { link: LINK, backfill: true, count: 40, oldest: NOW - 300, newest: NOW }, NOW);
    const n = notifier();
    await n.drainOnce();
    expect(api.sent).toEqual([]);
    store.outbox.add(EventKind.JoinsNew, CHAT, { link: LINK, backfill: false, count: 40, joins, oldest: NOW - 300, newest: NOW }, NOW);
    await n.drainOnce();
    expect(api.sent).toHaveLength(1);
    expect(api.sent[0]!.text).toContain('Possible raid');
    expect(api.sent[0]!.text).toContain('40 joins');
    // The same burst is not announced again on the next drain.
    store.outbox.add(EventKind.JoinsNew, CHAT, { link: LINK, backfill: false, count: 1, joins: joins.slice(0, 1), oldest: NOW, newest: NOW }, NOW);
    await n.drainOnce();
    expect(api.sent).toHaveLength(1);
    expect(store.outbox.undelivered(10)).toEqual([]);
  });

  it('a recipient that refuses (403) blocks no one: the others get it, and are told once; its events are kept', async () => {
    addRequests(1, 1);
    const n = notifier({ notifyChatId: undefined, adminIds: [111n, 222n] });
    const origSend = api.sendMessage.bind(api);
    api.sendMessage = async (chatId, text) => {
      if (chatId === '111') throw Object.assign(new Error('Forbidden: bot was blocked by the user'), { error_code: 403 });
      return origSend(chatId, text);
    };
    await n.drainOnce();
    expect(api.sent.map((s) => s.chatId)).toEqual(['222', '222']);
    expect(api.sent.filter((m) => /cannot send notifications to <code>111<\/code>: Forbidden: bot was blocked by the user/.test(m.text))).toHaveLength(1);
    expect(api.sent.filter((m) => /1 new join request/.test(m.text))).toHaveLength(1);
    expect(store.outbox.undelivered(10)).toHaveLength(1); // kept for 111
    expect(store.outbox.undeliveredFor('222', 10)).toEqual([]);
  });

  it('acknowledges unreadable payloads instead of crashing or retrying forever', async () => {
    store.outbox.add(EventKind.RequestsNew, CHAT, 'not an object', NOW);
    store.outbox.add(EventKind.LinkNearLimit, CHAT, { link: 42 }, NOW);
    store.outbox.add('something.new', null, { x: 1 }, NOW);
    const report = await notifier().drainOnce();
    expect(report.delivered).toBe(3);
    expect(api.sent).toEqual([]);
  });

  it('falls back to plain text once when Telegram cannot parse the HTML', async () => {
    addRequests(1, 1);
    const origSend = api.sendMessage.bind(api);
    let calls = 0;
    api.sendMessage = async (chatId: string, text: string, other?: { parse_mode?: 'HTML' }) => {
      calls++;
      if (other?.parse_mode === 'HTML') throw Object.assign(new Error("Bad Request: can't parse entities"), { error_code: 400, description: "Bad Request: can't parse entities: unsupported start tag" });
      return origSend(chatId, text);
    };
    await notifier().drainOnce();
    expect(calls).toBe(2);
    expect(api.sent[0]!.text).toMatch(/^🔔 1 new join request in \u2068-1001700000001\u2069\n• \u2068User1\u2069 · /);
    expect(api.sent[0]!.text).not.toContain('<');
    expect(store.outbox.undelivered(10)).toEqual([]);
  });

  it('drains on its own timer once started, and stops cleanly', async () => {
    const n = notifier({ intervalMs: 20 });
    n.start();
    addRequests(2, 1);
    await new Promise((r) => setTimeout(r, 150));
    await n.stop();
    expect(api.sent).toHaveLength(1);
    expect(store.outbox.undelivered(10)).toEqual([]);
    const sentBefore = api.sent.length;
    addRequests(1, 50);
    await new Promise((r) => setTimeout(r, 80));
    expect(api.sent).toHaveLength(sentBefore); // stopped: nothing more is sent
    expect(store.outbox.undelivered(10)).toHaveLength(1);
  });

  it('tells about a chat failing every cycle once an hour, not every cycle', async () => {
    const n = notifier();
    const fail = () => store.outbox.add(EventKind.SyncFailed, CHAT, { kind: 'NotPermitted', code: 'CHAT_ADMIN_REQUIRED' }, NOW);
    fail();
    fail(); // two cycles before the first drain: one line
    await n.drainOnce();
    expect(api.sent).toHaveLength(1);
    expect(api.sent[0]!.text.match(/Sync failed/g)).toHaveLength(1);
    expect(api.sent[0]!.text).toContain('NotPermitted CHAT_ADMIN_REQUIRED');
    for (let cycle = 1; cycle <= 11; cycle++) {
      clock += 300_000;
      fail();
      await n.drainOnce();
    }
    expect(api.sent).toHaveLength(1);
    expect(store.outbox.undelivered(10)).toEqual([]);
    clock += 300_000; // an hour after the first alert
    fail();
    await n.drainOnce();
    expect(api.sent).toHaveLength(2);
    // A different failure is news at once.
    store.outbox.add(EventKind.SyncFailed, CHAT, { kind: 'FloodWait', code: 'FLOOD_WAIT_3600' }, NOW);
    await n.drainOnce();
    expect(api.sent).toHaveLength(3);
  });

  it('keeps delivered events a week, then purges them so the outbox stays small', async () => {
    const n = notifier();
    addRequests(2, 9_100_000);
    await n.drainOnce();
    const count = () => Number(store.db.prepare('SELECT count(*) AS n FROM outbox').pluck().get());
    expect(count()).toBe(1);
    clock += 6 * 86_400_000;
    await n.drainOnce();
    expect(count()).toBe(1); // delivered six days ago: kept
    clock += 2 * 86_400_000;
    await n.drainOnce();
    expect(count()).toBe(0); // eight days: gone
  });
});
