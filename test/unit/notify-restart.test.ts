/**
 * Issue 11, items 1 and 2, for the notifier: a restart (a new notifier on the same database)
 * changes nothing an admin sees. Digest windows, the failure throttle and the raid detector's
 * memory are in SQLite; a crash between "sent" and "marked" sends nothing twice; a kill while a
 * part is in flight sends that part again, once, and counts it. A chat's first sync is one short
 * "initial import" summary, never a digest of hundreds of people.
 */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNotifier, type NotifierOptions } from '../../src/notify/notifier.js';
import type { NotifyApi } from '../../src/notify/send.js';
import { openStore, type Store } from '../../src/store/index.js';
import { EventKind } from '../../src/sync/events.js';

const CHAT = -1001700000001n;
const LINK = 'https://t.me/+AAAAAAAAAAAA';
const LINK_B = 'https://t.me/+BBBBBBBBBBBB';
const TARGET = -1001999999999n;
const NOW_MS = Date.UTC(2026, 0, 1);
const NOW = NOW_MS / 1000;

class Api implements NotifyApi {
  sent: { chatId: string; text: string }[] = [];
  next = 1;
  /** Called before each send; throw to fail it. */
  before: (text: string) => void = () => undefined;
  async sendMessage(chatId: string, text: string): Promise<unknown> {
    this.before(text);
    this.sent.push({ chatId, text });
    return { message_id: this.next++ };
  }
}

let store: Store;
let api: Api;
let clock: number;

function notifier(extra: Partial<NotifierOptions> = {}) {
  // No short wait unless a test asks for one: these are about what a restart keeps, not about when.
  return createNotifier({ api, store, logger: pino({ level: 'silent' }), notifyChatId: TARGET, now: () => clock, baseline: () => 0, digestWaitMs: 0, ...extra });
}

function requests(n: number, firstUser: number, link: string | null = LINK): number {
  const rows = Array.from({ length: n }, (_, i) => ({ userId: BigInt(firstUser + i), date: Math.floor(clock / 1000) - i, link, about: null }));
  store.users.upsertMany(rows.map((r) => ({ id: r.userId, accessHash: null, username: null, firstName: `User${r.userId}`, lastName: '' })), NOW);
  store.requests.upsertPending(CHAT, rows, NOW);
  return store.outbox.add(EventKind.RequestsNew, CHAT, { requests: rows }, NOW);
}

function recentJoins(n: number, firstUser: number, atUnix: number): void {
  const rows = Array.from({ length: n }, (_, i) => ({ userId: BigInt(firstUser + i), date: atUnix + i, approvedBy: null }));
  store.users.upsertMany(rows.map((r) => ({ id: r.userId, accessHash: null, username: null, firstName: `J${r.userId}`, lastName: '' })), NOW);
  store.joins.insertMany(CHAT, LINK, rows, NOW);
  store.outbox.add(EventKind.JoinsNew, CHAT, { link: LINK, backfill: false, count: n, joins: rows, oldest: rows[0]!.date, newest: rows.at(-1)!.date }, NOW);
}

const texts = (match: RegExp) => api.sent.filter((s) => match.test(s.text));

beforeEach(() => {
  store = openStore(':memory:');
  api = new Api();
  clock = NOW_MS;
  store.chats.upsert({ id: CHAT, title: 'Rust', type: 'supergroup', isOwner: true }, NOW);
  store.links.upsert(CHAT, { link: LINK, adminId: 7000001n, date: NOW - 86_400 * 30, title: 'Spring', usage: 0, requested: 0 }, NOW);
  store.links.upsert(CHAT, { link: LINK_B, adminId: 7000001n, date: NOW - 86_400 * 30, usage: 0, requested: 0 }, NOW);
});
afterEach(() => store.close());

describe('the notifier after a restart', () => {
  it('keeps a chat\'s digest window: new requests a minute after a digest wait, as without the restart', async () => {
    requests(1, 1);
    await notifier({ digestIntervalMs: 300_000 }).drainOnce();
    expect(texts(/new join request/)).toHaveLength(1);
    clock += 60_000;
    requests(2, 10);
    const restarted = notifier({ digestIntervalMs: 300_000 });
    expect((await restarted.drainOnce()).heldBack).toBe(2);
    expect(texts(/new join request/)).toHaveLength(1);
    clock += 300_000;
    await restarted.drainOnce();
    expect(texts(/2 new join requests/)).toHaveLength(1);
  });

  it('keeps the sync-failure throttle: a failure told 5 minutes ago is not told again', async () => {
    const fail = () => store.outbox.add(EventKind.SyncFailed, CHAT, { kind: 'NotPermitted', code: 'CHAT_ADMIN_REQUIRED' }, NOW);
    fail();
    await notifier().drainOnce();
    clock += 300_000;
    fail();
    await notifier().drainOnce();
    expect(texts(/Sync failed/)).toHaveLength(1);
    expect(store.outbox.undelivered(10)).toEqual([]);
  });

  it('keeps the raid window: 12 joins before the restart and 12 after are one raid', async () => {
    recentJoins(12, 100, NOW - 200);
    await notifier().drainOnce();
    expect(texts(/Possible raid/)).toEqual([]);
    recentJoins(12, 200, NOW - 100);
    await notifier().drainOnce();
    expect(texts(/Possible raid/)).toHaveLength(1);
    expect(texts(/Possible raid/)[0]!.text).toContain('24 joins');
  });

  it('keeps which raid was alerted: more joins of the same burst after a restart are not a second alert', async () => {
    recentJoins(25, 100, NOW - 200);
    await notifier().drainOnce();
    // 20 more: alone they would be a raid; with the 25 before they are the same one, not twice as big.
    recentJoins(20, 300, NOW - 50);
    clock += 30_000;
    await notifier().drainOnce();
    expect(texts(/Possible raid/)).toHaveLength(1);
  });

  it('a crash between "sent" and "marked delivered": the restarted notifier marks it and sends nothing again', async () => {
    requests(3, 1);
    const first = notifier();
    const mark = store.outbox.markDeliveredTo;
    store.outbox.markDeliveredTo = () => {
      throw new Error('killed');
    };
    await expect(first.drainOnce()).rejects.toThrow('killed');
    store.outbox.markDeliveredTo = mark;
    expect(texts(/3 new join requests/)).toHaveLength(1);
    requests(1, 50);
    const restarted = notifier();
    expect((await restarted.drainOnce()).heldBack).toBe(1); // the digest went out: its window runs
    clock += 300_000;
    await restarted.drainOnce();
    expect(texts(/User1\b/)).toHaveLength(1); // nobody is announced twice
    expect(texts(/1 new join request\b/)).toHaveLength(1); // the new one alone
    expect(store.outbox.undelivered(10)).toEqual([]);
  });

  it('a crash between the delivery marks and the outbox completion: the next drain completes them', async () => {
    requests(2, 1);
    store.outbox.add(EventKind.JoinsNew, CHAT, { link: LINK, backfill: true, count: 1, oldest: NOW - 9000, newest: NOW - 9000 }, NOW);
    const complete = store.outbox.completeFor;
    store.outbox.completeFor = () => {
      throw new KilledError();
    };
    await expect(notifier().drainOnce()).rejects.toBeInstanceOf(KilledError);
    store.outbox.completeFor = complete;
    expect(store.outbox.undeliveredFor(String(TARGET), 10)).toEqual([]); // the recipient has them
    await notifier().drainOnce();
    // Delivered to every recipient, so delivered: not "waiting" for ever (health would fail on it).
    expect(store.outbox.undelivered(10)).toEqual([]);
    expect(texts(/new join request/)).toHaveLength(1);
  });

  it('a crash after the first part of a long message: only the rest is sent after the restart', async () => {
    for (let i = 0; i < 40; i++) {
      store.outbox.add(EventKind.SyncFailed, CHAT, { kind: 'Transient', code: `E${'x'.repeat(200)}${i}` }, NOW);
    }
    let sends = 0;
    api.before = () => {
      if (++sends === 2) throw Object.assign(new Error('Network request for sendMessage failed'), {});
    };
    await notifier().drainOnce();
    expect(api.sent).toHaveLength(1);
    api.before = () => undefined;
    await notifier().drainOnce();
    const parts = api.sent.map((s) => s.text);
    expect(parts.length).toBeGreaterThan(2);
    expect(new Set(parts).size).toBe(parts.length); // no part twice
    expect(store.outbox.undelivered(100)).toEqual([]);
  });

  it('a kill while a part is in flight: that part alone is sent again, once, and counted', async () => {
    requests(2, 1);
    // Telegram got the message; the process died before it could record that.
    const partSent = store.notifyMessages.partSent;
    store.notifyMessages.partSent = () => {
      throw new KilledError();
    };
    await expect(notifier().drainOnce()).rejects.toBeInstanceOf(KilledError);
    store.notifyMessages.partSent = partSent;
    await notifier().drainOnce();
    expect(texts(/2 new join requests/)).toHaveLength(2);
    const [done] = store.notifyMessages.completed();
    expect(done).toMatchObject({ repeated: 1, sentParts: 1 });
    await notifier().drainOnce();
    expect(texts(/2 new join requests/)).toHaveLength(2);
  });

  it('a send the Bot API never answers fails after the time limit; the events wait for the next drain', async () => {
    requests(1, 1);
    const hung = Object.assign(new Api(), {
      sendMessage: (_c: string, _t: string, _o?: unknown, signal?: AbortSignal) =>
        new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('Network request for sendMessage failed: aborted')))),
    });
    const started = Date.now();
    const report = await notifier({ api: hung, sendTimeoutMs: 200 }).drainOnce();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(report.failure?.description).toMatch(/aborted/);
    expect(store.outbox.undelivered(10)).toHaveLength(1);
  });
});

/** A process killed in the middle of a send: nothing after it runs. */
class KilledError extends Error {}

describe('a chat\'s first sync', () => {
  it('is one short initial-import summary (counts per link, pending total, /pending), not a digest of 400 people', async () => {
    const run = store.runs.start(CHAT, NOW - 60);
    for (let page = 0; page < 4; page++) requests(100, 1000 + page * 100, page % 2 === 0 ? LINK : null);
    store.joins.insertMany(CHAT, LINK, [{ userId: 1000n, date: NOW - 5000 }], NOW);
    // A drain in the middle of the import tells nothing yet.
    await notifier().drainOnce();
    expect(api.sent).toEqual([]);
    store.runs.finish(run, { calls: 10, rowsAdded: 401, outcome: 'ok' }, NOW);
    await notifier().drainOnce();
    expect(api.sent).toHaveLength(1);
    const text = api.sent[0]!.text;
    expect(text).toMatch(/Initial import/);
    expect(text).toContain('400 pending join requests');
    expect(text).toContain('/pending');
    expect(text).toMatch(/Spring.*1 joined, 200 pending/);
    expect(text).not.toMatch(/new join request/);
    expect(text).not.toContain('User1001');
    expect(store.outbox.undelivered(100)).toEqual([]);
    // What comes after the import is news again.
    requests(2, 5000);
    await notifier().drainOnce();
    expect(texts(/2 new join requests/)).toHaveLength(1);
  });

  it('is summed up once even when the notifier restarts before sending it', async () => {
    const run = store.runs.start(CHAT, NOW - 60);
    requests(30, 1);
    store.runs.finish(run, { calls: 3, rowsAdded: 30, outcome: 'ok' }, NOW);
    // Killed after planning the summary, before sending it.
    const sending = store.notifyMessages.sending;
    store.notifyMessages.sending = () => {
      throw new KilledError();
    };
    await expect(notifier().drainOnce()).rejects.toBeInstanceOf(KilledError);
    store.notifyMessages.sending = sending;
    await notifier().drainOnce();
    await notifier().drainOnce();
    expect(texts(/Initial import/)).toHaveLength(1);
    expect(texts(/new join request/)).toEqual([]);
  });
});
