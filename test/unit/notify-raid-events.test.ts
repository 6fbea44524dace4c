/**
 * Issue 9, defects 5 and 6: what the notifier takes for a raid, from the outbox events the sync
 * writes. Approved joins are an admin's decisions, not a raid; a burst through a freshly created
 * link is news even though the sync pages a new link as a backfill: recency is decided by the join
 * dates, read from the store.
 */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNotifier } from '../../src/notify/notifier.js';
import type { NotifyApi } from '../../src/notify/send.js';
import { openStore, type Store } from '../../src/store/index.js';
import { EventKind } from '../../src/sync/events.js';

const CHAT = -1001700000001n;
const LINK = 'https://t.me/+FreshLink0001';
const ADMIN = 7000001n;
const NOW = 1_767_225_600;

class RecordingApi implements NotifyApi {
  sent: string[] = [];
  async sendMessage(_chatId: string, text: string): Promise<unknown> {
    this.sent.push(text);
    return {};
  }
}

let store: Store;
let api: RecordingApi;
beforeEach(() => {
  store = openStore(':memory:');
  api = new RecordingApi();
  store.chats.upsert({ id: CHAT, title: 'Chat', type: 'supergroup', isOwner: true }, NOW - 86_400);
  store.links.upsert(CHAT, { link: LINK, adminId: ADMIN, date: NOW - 180, requestNeeded: false, usage: 40, requested: 0 }, NOW - 180);
});
afterEach(() => store.close());

function joins(n: number, approvedBy: bigint | null): { userId: bigint; date: number; approvedBy: bigint | null }[] {
  const rows = Array.from({ length: n }, (_, i) => ({ userId: 9_000_000n + BigInt(i), date: NOW - 120 + i * 3, approvedBy }));
  store.users.upsertMany(rows.map((r) => ({ id: r.userId, accessHash: null, username: null, firstName: `U${r.userId}`, lastName: '' })), NOW);
  store.joins.insertMany(CHAT, LINK, rows, NOW);
  return rows;
}

const notifier = () => createNotifier({ api, store, logger: pino({ level: 'silent' }), notifyChatId: -1001999999999n, now: () => NOW * 1000, baseline: () => 0 });

describe('raid alerts from sync events', () => {
  it('an admin approving 25 requests at once is not a raid', async () => {
    const rows = joins(25, ADMIN);
    store.outbox.add(EventKind.JoinsNew, CHAT, { link: LINK, backfill: false, count: 25, joins: rows, oldest: rows[0]!.date, newest: rows.at(-1)!.date }, NOW);
    await notifier().drainOnce();
    expect(api.sent.filter((t) => /Possible raid/.test(t))).toEqual([]);
  });

  it('40 joins in 2 minutes through a freshly created link (synced as a backfill) raise an alert', async () => {
    const rows = joins(40, null);
    // A new link's first pages are a backfill: the event carries the date range, not the joins.
    store.outbox.add(EventKind.JoinsNew, CHAT, { link: LINK, backfill: true, count: 40, oldest: rows[0]!.date, newest: rows.at(-1)!.date }, NOW);
    await notifier().drainOnce();
    expect(api.sent.filter((t) => /Possible raid/.test(t))).toHaveLength(1);
    expect(api.sent.find((t) => /Possible raid/.test(t))).toMatch(/40 joins within 2 min/);
  });

  it('a backfill of old history still raises nothing', async () => {
    const old = Array.from({ length: 40 }, (_, i) => ({ userId: 8_000_000n + BigInt(i), date: NOW - 30 * 86_400 + i, approvedBy: null }));
    store.users.upsertMany(old.map((r) => ({ id: r.userId, accessHash: null, username: null, firstName: 'Old', lastName: '' })), NOW);
    store.joins.insertMany(CHAT, LINK, old, NOW);
    store.outbox.add(EventKind.JoinsNew, CHAT, { link: LINK, backfill: true, count: 40, oldest: old[0]!.date, newest: old.at(-1)!.date }, NOW);
    await notifier().drainOnce();
    expect(api.sent.filter((t) => /Possible raid/.test(t))).toEqual([]);
  });
});
