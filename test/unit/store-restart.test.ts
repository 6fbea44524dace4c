/**
 * The store's restart-proof state (migration restart): button contexts, notifications in
 * progress, the notifier's memory, the sync's call log, and the initial-import trigger.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';

let store: Store;
beforeEach(() => {
  store = openStore(':memory:');
});
afterEach(() => store.close());

const CHAT = -1001700000001n;

describe('button contexts', () => {
  it('hold a payload (64-bit ids as text) behind a random token until it expires', () => {
    const token = store.buttons.put('pending', { chatId: CHAT, query: 'ann' }, { userId: 7n, ttlSeconds: 60 }, 1000);
    expect(token).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(store.buttons.get(token, 1060)).toMatchObject({ kind: 'pending', userId: 7n, payload: { chatId: String(CHAT), query: 'ann' } });
    expect(store.buttons.get(token, 1061)).toBeUndefined();
    expect(store.buttons.get('forged00000', 1000)).toBeUndefined();
  });

  it('update the payload and move the expiry; a gone one is not revived', () => {
    const token = store.buttons.put('pending', { n: 1 }, { ttlSeconds: 10 }, 1000);
    expect(store.buttons.update(token, { n: 2 }, { ttlSeconds: 100 }, 1005)).toBe(true);
    expect(store.buttons.get(token, 1100)?.payload).toEqual({ n: 2 });
    expect(store.buttons.update(token, { n: 3 }, {}, 1200)).toBe(false);
    store.buttons.delete(token);
    expect(store.buttons.get(token, 1000)).toBeUndefined();
  });

  it('list a kind, and purge expired rows as new ones come', () => {
    const old = store.buttons.put('bulk', { a: 1 }, { ttlSeconds: 10 }, 1000);
    const live = store.buttons.put('bulk', { a: 2 }, { ttlSeconds: 1000 }, 1000);
    store.buttons.put('pick', {}, { ttlSeconds: 1000 }, 1000);
    expect(store.buttons.ofKind('bulk', 1005).map((b) => b.token).sort()).toEqual([old, live].sort());
    store.buttons.put('pick', {}, { ttlSeconds: 1000 }, 2000);
    expect(Number(store.db.prepare('SELECT count(*) FROM button_contexts WHERE token = ?').pluck().get(old))).toBe(0);
    expect(store.buttons.ofKind('bulk', 2000).map((b) => b.token)).toEqual([live]);
  });

  it('bot settings are created once', () => {
    const a = store.botSettings.getOrCreate('button_key', () => 'first');
    const b = store.botSettings.getOrCreate('button_key', () => 'second');
    expect([a, b, store.botSettings.get('button_key')]).toEqual(['first', 'first', 'first']);
  });
});

describe('notifications in progress', () => {
  it('record each part, then complete with the delivery marks in one transaction', () => {
    const e = store.outbox.add('requests.new', CHAT, { requests: [] }, 1000);
    const m = store.notifyMessages.create({ recipient: '111', key: 'digest:1', chatId: CHAT, parts: ['a', 'b'], eventIds: [e], effects: [] }, 1000);
    expect(store.notifyMessages.open('111').map((x) => x.id)).toEqual([m.id]);
    store.notifyMessages.sending(m.id);
    expect(store.notifyMessages.get(m.id)).toMatchObject({ inFlight: true, sentParts: 0 });
    store.notifyMessages.partSent(m.id, 41);
    store.notifyMessages.sending(m.id);
    store.notifyMessages.notSent(m.id);
    store.notifyMessages.repeating(m.id);
    store.notifyMessages.partSent(m.id, 42);
    expect(store.notifyMessages.get(m.id)).toMatchObject({ inFlight: false, sentParts: 2, messageIds: [41, 42], repeated: 1 });
    store.notifyMessages.complete(m.id, () => store.outbox.markDeliveredTo('111', [e], 1001), 1001);
    expect(store.notifyMessages.open('111')).toEqual([]);
    expect(store.outbox.undeliveredFor('111', 10)).toEqual([]);
    expect(store.notifyMessages.completed({ recipient: '111' }).map((x) => x.completedAt)).toEqual([1001]);
    // A failure inside the transaction leaves the message open and nothing marked.
    const e2 = store.outbox.add('requests.new', CHAT, { requests: [] }, 1000);
    const m2 = store.notifyMessages.create({ recipient: '111', key: 'digest:2', chatId: CHAT, parts: ['c'], eventIds: [e2], effects: [] }, 1000);
    expect(() => store.notifyMessages.complete(m2.id, () => {
      store.outbox.markDeliveredTo('111', [e2], 1002);
      throw new Error('crash');
    })).toThrow('crash');
    expect(store.notifyMessages.open('111').map((x) => x.id)).toEqual([m2.id]);
    expect(store.outbox.undeliveredFor('111', 10).map((x) => x.id)).toEqual([e2]);
    expect(store.notifyMessages.purgeCompleted(1002)).toBe(1);
  });
});

describe('notifier memory', () => {
  it('remembers per recipient and forgets the old', () => {
    store.notifyMemory.set('111', 'digest', String(CHAT), 5000);
    store.notifyMemory.set('111', 'raid', 'x', 6000, 40);
    expect(store.notifyMemory.get('111', 'digest', String(CHAT))).toEqual({ atMs: 5000, count: null });
    expect(store.notifyMemory.get('222', 'digest', String(CHAT))).toBeUndefined();
    expect(store.notifyMemory.get('111', 'raid', 'x')).toEqual({ atMs: 6000, count: 40 });
    store.notifyMemory.forget('111', 'raid', 7000);
    expect(store.notifyMemory.get('111', 'raid', 'x')).toBeUndefined();
  });

  it('keeps a window of recent joins, each once, pruned by date', () => {
    const s = (userId: bigint, date: number, link: string | null = 'https://t.me/+A') => ({ chatId: CHAT, link, userId, date });
    store.notifyMemory.addSamples('111', [s(1n, 100), s(2n, 200, null), s(1n, 100)]);
    expect(store.notifyMemory.samplesSince('111', 50)).toEqual([s(1n, 100), s(2n, 200, null)]);
    expect(store.notifyMemory.samplesSince('111', 150)).toEqual([s(2n, 200, null)]);
    expect(store.notifyMemory.samplesSince('111', 0)).toEqual([s(2n, 200, null)]); // the older one was dropped
  });
});

describe('the sync call log', () => {
  it('returns the calls of the window and forgets older ones', () => {
    for (const t of [1000, 2000, 61_500]) store.syncCalls.record(t, t - 60_000);
    expect(store.syncCalls.since(1500)).toEqual([2000, 61_500]);
    expect(Number(store.db.prepare('SELECT count(*) FROM sync_calls').pluck().get())).toBe(2);
  });
});

describe('initial import', () => {
  beforeEach(() => store.chats.upsert({ id: CHAT, title: 'C', type: 'supergroup', isOwner: true }, 1000));

  it('unknown before any sync, importing while the first runs fail, imported at the first good one', () => {
    expect(store.imports.state(CHAT)).toEqual({ kind: 'unknown' });
    store.runs.finish(store.runs.start(CHAT, 1000), { calls: 1, rowsAdded: 0, outcome: 'failed' }, 1001);
    expect(store.imports.state(CHAT)).toEqual({ kind: 'importing' });
    store.runs.finish(store.runs.start(CHAT, 1100), { calls: 1, rowsAdded: 5, outcome: 'partial' }, 1101);
    expect(store.imports.state(CHAT)).toEqual({ kind: 'importing' }); // partial, under an hour in
    store.runs.finish(store.runs.start(CHAT, 1200), { calls: 1, rowsAdded: 5, outcome: 'ok' }, 1201);
    const events = store.outbox.undelivered(10);
    expect(events.map((e) => [e.kind, e.payload])).toEqual([['chat.imported', { runId: 3 }]]);
    expect(store.imports.state(CHAT)).toEqual({ kind: 'imported', eventId: events[0]!.id });
    store.runs.finish(store.runs.start(CHAT, 1300), { calls: 1, rowsAdded: 5, outcome: 'ok' }, 1301);
    expect(store.outbox.undelivered(10)).toHaveLength(1);
  });

  it('a chat whose syncs stay partial is imported an hour after its first began', () => {
    store.runs.finish(store.runs.start(CHAT, 1000), { calls: 1, rowsAdded: 0, outcome: 'partial' }, 1300);
    expect(store.imports.state(CHAT).kind).toBe('importing');
    store.runs.finish(store.runs.start(CHAT, 4500), { calls: 1, rowsAdded: 0, outcome: 'partial' }, 4600);
    expect(store.imports.state(CHAT).kind).toBe('imported');
  });
});
