import { describe, expect, it } from 'vitest';
import { INVISIBLE_LINKS_NOTE, type Store } from '../../src/store/index.js';
import { CHAT, LINK, storeWithLink, user } from './store-fixtures.js';

/** Every row of every table, for "nothing changed" comparisons. */
function snapshot(store: Store): Record<string, unknown[]> {
  const names = store.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' AND name NOT LIKE 'sqlite%'")
    .pluck()
    .all() as string[];
  return Object.fromEntries(names.map((n) => [n, store.db.prepare(`SELECT * FROM "${n}"`).all()]));
}

function writePage(store: Store, now: number): void {
  store.tx(() => {
    store.users.upsertMany([user(1n, 'Ann'), user(2n, 'Bob')], now);
    const fresh = store.joins.insertMany(CHAT, LINK, [{ userId: 1n, date: 50 }, { userId: 2n, date: 49, viaChatlist: true }], now);
    for (const j of fresh) store.outbox.add('join', CHAT, { userId: j.userId }, now);
    store.requests.upsertPending(CHAT, [{ userId: 2n, date: 60, about: 'hi', link: LINK }], now);
  });
}

describe('writes are idempotent', () => {
  it('the same page written twice changes nothing', () => {
    const store = storeWithLink();
    writePage(store, 2000);
    const before = snapshot(store);
    expect(before.joins).toHaveLength(2);
    expect(before.outbox).toHaveLength(2);
    writePage(store, 2000);
    expect(snapshot(store)).toEqual(before);
  });

  it('insertMany returns only the new joins and keeps per-link counters', () => {
    const store = storeWithLink();
    store.users.upsertMany([user(1n), user(2n), user(3n)]);
    expect(store.joins.insertMany(CHAT, LINK, [{ userId: 1n, date: 5 }, { userId: 2n, date: 6 }])).toHaveLength(2);
    const again = store.joins.insertMany(CHAT, LINK, [{ userId: 2n, date: 6 }, { userId: 3n, date: 4 }]);
    expect(again.map((j) => j.userId)).toEqual([3n]);
    expect(store.joins.countByLink(CHAT, LINK)).toBe(3);
    expect(store.links.get(CHAT, LINK)?.lastJoinDate).toBe(6);
    expect(store.joins.countByLink(CHAT, 'https://t.me/+unknown')).toBe(0);
  });

  it('a join whose link or user is unknown is refused, and the whole transaction with it', () => {
    const store = storeWithLink();
    store.users.upsertMany([user(1n)]);
    expect(() => store.joins.insertMany(CHAT, 'https://t.me/+nope', [{ userId: 1n, date: 1 }])).toThrow(/unknown link/);
    expect(() =>
      store.tx(() => {
        store.joins.insertMany(CHAT, LINK, [{ userId: 1n, date: 1 }]);
        store.joins.insertMany(CHAT, LINK, [{ userId: 99n, date: 1 }]);
      }),
    ).toThrow(/FOREIGN KEY/);
    expect(store.joins.countByLink(CHAT, LINK)).toBe(0);
  });
});

describe('users', () => {
  it('record history only when a name or username really changed', () => {
    const store = storeWithLink();
    store.users.upsertMany([user(7n, 'Ann', { username: 'ann' })], 100);
    store.users.upsertMany([user(7n, 'Ann', { username: '@ann', accessHash: null })], 200);
    expect(store.users.history(7n)).toEqual([]);
    expect(store.users.get(7n)).toMatchObject({ accessHash: 1n, firstSeen: 100, lastSeen: 200 });
    store.users.upsertMany([user(7n, 'Анна', { username: null })], 300);
    expect(store.users.history(7n)).toEqual([
      {
        changedAt: 300,
        old: { username: 'ann', firstName: 'Ann', lastName: '' },
        new: { username: null, firstName: 'Анна', lastName: '' },
      },
    ]);
    expect(store.users.byUsername('ANN')).toBeUndefined();
  });
});

describe('chats', () => {
  it('upsert, find by @username, and keep or clear the invisible-links note', () => {
    const store = storeWithLink();
    store.chats.upsert({ id: CHAT, title: 'New', username: '@MyGroup', type: 'supergroup', isOwner: false,
      invisibleLinksNote: 'not the owner' }, 2000);
    expect(store.chats.byUsername('mygroup')).toMatchObject({ id: CHAT, title: 'New', isOwner: false, firstSeen: 1000 });
    expect(store.chats.notes(CHAT)).toEqual([{ kind: INVISIBLE_LINKS_NOTE, text: 'not the owner', updatedAt: 2000 }]);
    store.chats.upsert({ id: CHAT, title: 'New', type: 'supergroup', isOwner: false }, 2001);
    expect(store.chats.notes(CHAT)).toHaveLength(1);
    store.chats.upsert({ id: CHAT, title: 'New', type: 'supergroup', isOwner: true, invisibleLinksNote: null });
    expect(store.chats.notes(CHAT)).toEqual([]);
  });
});

describe('links', () => {
  it('upsert returns the previous sync state, null for a new link', () => {
    const store = storeWithLink();
    const invite = { link: 'https://t.me/+new', adminId: 42n, date: 10, usage: 1, requested: 2, title: 'Ads',
      subscriptionPricing: { period: 2592000, amount: 250 } };
    expect(store.links.upsert(CHAT, invite)).toBeNull();
    store.links.updateSyncState(CHAT, invite.link, { syncedUsage: 1, syncedRequested: 2, hwm: { date: 9, userId: 5n } });
    expect(store.links.upsert(CHAT, { ...invite, usage: 3 })).toMatchObject({ syncedUsage: 1, syncedRequested: 2,
      hwm: { date: 9, userId: 5n }, backfillDone: false, fullListedFrom: null });
    expect(store.links.get(CHAT, invite.link)).toMatchObject({ usage: 3, title: 'Ads', subscriptionAmount: 250n,
      subscriptionPeriod: 2592000 });
  });

  it('sync state patches keep absent keys and clear nulls', () => {
    const store = storeWithLink();
    store.links.updateSyncState(CHAT, LINK, { hwm: { date: 500, userId: 7n }, fullListedFrom: 400, backfillDone: true });
    store.links.updateSyncState(CHAT, LINK, { syncedUsage: 4 });
    expect(store.links.get(CHAT, LINK)).toMatchObject({ hwm: { date: 500, userId: 7n }, fullListedFrom: 400,
      backfillDone: true, syncedUsage: 4 });
    store.links.updateSyncState(CHAT, LINK, { hwm: null, fullListedFrom: null });
    expect(store.links.get(CHAT, LINK)).toMatchObject({ hwm: null, fullListedFrom: null, syncedUsage: 4 });
    expect(() => store.links.updateSyncState(CHAT, 'https://t.me/+x', {})).toThrow(/unknown link/);
  });

  it('keep the spelling Telegram gave a legacy link beside the canonical one', () => {
    const store = storeWithLink();
    store.links.upsert(CHAT, { link: 'https://t.me/+Legacy01', rawLink: 'https://t.me/joinchat/Legacy01', adminId: 1n, date: 1 });
    store.links.upsert(CHAT, { link: 'https://t.me/+Plain001', rawLink: 'https://t.me/+Plain001', adminId: 1n, date: 2 });
    expect(store.links.get(CHAT, 'https://t.me/+Legacy01')?.rawLink).toBe('https://t.me/joinchat/Legacy01');
    expect(store.links.get(CHAT, 'https://t.me/+Plain001')?.rawLink).toBeNull();
  });

  it('revoked and gone are remembered; revoked never reverts', () => {
    const store = storeWithLink();
    store.links.markRevoked(CHAT, LINK, 300);
    store.links.upsert(CHAT, { link: LINK, adminId: 42n, date: 1000, revoked: false }, 400);
    expect(store.links.get(CHAT, LINK)).toMatchObject({ revoked: true, revokedAt: 300 });
    store.links.markGone(CHAT, LINK, 500);
    expect(store.links.get(CHAT, LINK)?.goneAt).toBe(500);
    store.links.upsert(CHAT, { link: 'https://t.me/+r', adminId: 1n, date: 1, revoked: true }, 600);
    expect(store.links.get(CHAT, 'https://t.me/+r')).toMatchObject({ revoked: true, revokedAt: 600 });
  });
});

describe('requests', () => {
  it('upsertPending is idempotent and resolve writes the history', () => {
    const store = storeWithLink();
    store.users.upsertMany([user(1n), user(2n), user(3n)]);
    const rows = [{ userId: 1n, date: 10, link: LINK }, { userId: 2n, date: 11 }, { userId: 3n, date: 12, about: 'bio' }];
    expect(store.requests.upsertPending(CHAT, rows, 100)).toHaveLength(3);
    expect(store.requests.upsertPending(CHAT, rows, 101)).toEqual([]);
    expect(store.requests.pendingCount(CHAT)).toBe(3);
    expect(store.requests.pendingCount(CHAT, LINK)).toBe(1);
    expect(store.requests.pendingCount(CHAT, null)).toBe(2);
    expect(store.requests.pendingUserIds(CHAT, null).sort()).toEqual([2n, 3n]);
    expect(store.requests.newestPending(CHAT)).toEqual({ date: 12, userId: 3n });

    expect(store.requests.resolve(CHAT, 3n, 'approved', 200, 42n)).toBe(true);
    expect(store.requests.resolve(CHAT, 3n, 'declined', 201)).toBe(false);
    expect(store.requests.resolve(CHAT, 2n, 'gone', 202)).toBe(true);
    expect(store.requests.pendingUserIds(CHAT)).toEqual([1n]);
    const history = store.db
      .prepare('SELECT r.user_id, h.status, h.observed_at, h.decided_by FROM join_request_history h JOIN join_requests r ON r.id = h.request_id ORDER BY h.id')
      .raw()
      .all();
    expect(history).toEqual([
      [1n, 'pending', 100n, null], [2n, 'pending', 100n, null], [3n, 'pending', 100n, null],
      [3n, 'approved', 200n, 42n], [2n, 'gone', 202n, null],
    ]);
    // The same user may ask again later: a new request, the old one stays in the history.
    expect(store.requests.upsertPending(CHAT, [{ userId: 3n, date: 300 }], 300)).toHaveLength(1);
    expect(store.whois(3n, [CHAT]).requests.map((r) => r.status)).toEqual(['pending', 'approved']);
  });

  it('a request decided while the sync was reading it as pending is not written back as a new one', () => {
    // Found by the fault suite: the bot approves a request (and records it) between the sync's read
    // of the pending list and its write; the write must not bring it back, nor announce it again.
    const store = storeWithLink();
    store.users.upsertMany([user(1n)]);
    const read = [{ userId: 1n, date: 10, link: LINK }];
    expect(store.requests.upsertPending(CHAT, read, 100)).toHaveLength(1);
    expect(store.requests.resolve(CHAT, 1n, 'approved', 101, 42n)).toBe(true);
    expect(store.requests.upsertPending(CHAT, read, 102)).toEqual([]);
    expect(store.requests.pendingOf(CHAT, 1n)).toBeUndefined();
    expect(store.whois(1n, [CHAT]).requests.map((r) => r.status)).toEqual(['approved']);
    // Asking again later is a new request.
    expect(store.requests.upsertPending(CHAT, [{ userId: 1n, date: 20, link: LINK }], 103)).toHaveLength(1);
  });
});

describe('runs and outbox', () => {
  it('track the last finished run and deliver events once, in order', () => {
    const store = storeWithLink();
    const first = store.runs.start(CHAT, 10);
    store.runs.finish(first, { calls: 3, rowsAdded: 7, outcome: 'ok' }, 20);
    store.runs.start(CHAT, 30); // still running: not "finished"
    expect(store.runs.lastFinished(CHAT)).toMatchObject({ id: first, calls: 3, rowsAdded: 7, outcome: 'ok', finishedAt: 20 });
    // The chat's first good run is its initial import: the store records it with an outbox event.
    const imported = store.outbox.undelivered(10);
    expect(imported.map((e) => e.kind)).toEqual(['chat.imported']);
    store.outbox.markDelivered(imported.map((e) => e.id), 20);
    const ids = store.tx(() => [store.outbox.add('a', CHAT, { n: 1 }), store.outbox.add('b', null, [1, 2])]);
    expect(store.outbox.undelivered(1).map((e) => e.kind)).toEqual(['a']);
    store.outbox.markDelivered([ids[0]!], 40);
    expect(store.outbox.undelivered(10).map((e) => e.payload)).toEqual([[1, 2]]);
    // Events of a rolled-back transaction never appear.
    expect(() => store.tx(() => { store.outbox.add('c', CHAT, {}); throw new Error('boom'); })).toThrow('boom');
    expect(store.outbox.undelivered(10)).toHaveLength(1);
    store.outbox.markDelivered([ids[1]!], 50);
    expect(store.outbox.purgeDelivered(51)).toBe(3);
    expect(store.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0n);
  });
});
