import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { ABOVE_2_53, CHAT, LINK, storeWithLink, user } from './store-fixtures.js';

const MAX_I64 = 9223372036854775807n;
const MIN_I64 = -9223372036854775808n;

describe('64-bit ids round-trip without loss', () => {
  it('keeps the -100… chat id and 64-bit access hashes', () => {
    const store = openStore(':memory:');
    store.chats.upsert({ id: CHAT, title: 'c', type: 'supergroup', isOwner: true, accessHash: MIN_I64 });
    const chat = store.chats.get(CHAT);
    expect(chat?.id).toBe(-1001234567890n);
    expect(chat?.accessHash).toBe(MIN_I64);
    expect(store.chats.list().map((c) => c.id)).toEqual([-1001234567890n]);
  });

  it('keeps user ids above 2^53 in users, joins, requests, cursors and approvers', () => {
    const store = storeWithLink();
    const ids = [ABOVE_2_53, ABOVE_2_53 + 1n, MAX_I64];
    store.users.upsertMany(ids.map((id) => user(id, 'x', { accessHash: MAX_I64 - 1n })));
    store.joins.insertMany(CHAT, LINK, [
      { userId: ABOVE_2_53, date: 10, approvedBy: MAX_I64 },
      { userId: ABOVE_2_53 + 1n, date: 10 },
    ]);
    store.requests.upsertPending(CHAT, [{ userId: MAX_I64, date: 11 }]);

    expect(store.users.get(ABOVE_2_53)?.accessHash).toBe(MAX_I64 - 1n);
    const page = store.joiners.page(CHAT, LINK);
    expect(page.rows.map((r) => r.userId)).toEqual([ABOVE_2_53 + 1n, ABOVE_2_53]);
    expect(page.rows[1]?.approvedBy).toBe(MAX_I64);
    expect(typeof page.rows[0]?.date).toBe('number');
    expect(store.requests.pendingUserIds(CHAT)).toEqual([MAX_I64]);
    expect(store.requests.newestPending(CHAT)).toEqual({ date: 11, userId: MAX_I64 });
    store.links.updateSyncState(CHAT, LINK, { hwm: { date: 10, userId: ABOVE_2_53 + 1n } });
    expect(store.links.get(CHAT, LINK)?.hwm).toEqual({ date: 10, userId: ABOVE_2_53 + 1n });
    expect(store.whois(MAX_I64, [CHAT]).requests[0]?.userId).toBe(MAX_I64);
  });

  it('writes bigints into outbox payloads as exact decimal strings', () => {
    const store = storeWithLink();
    store.tx(() => store.outbox.add('join', CHAT, { userId: ABOVE_2_53, chatId: CHAT }));
    const [event] = store.outbox.undelivered(10);
    expect(event?.chatId).toBe(CHAT);
    expect(event?.payload).toEqual({ userId: '9007199254740993', chatId: '-1001234567890' });
  });
});

describe('outbox JSON', () => {
  it('writes flat and nested payloads with bigints, dates and arrays', async () => {
    const { toJson } = await import('../../src/store/outbox.js');
    expect(toJson({ a: 1n, b: 'x', c: null, d: true })).toBe('{"a":"1","b":"x","c":null,"d":true}');
    expect(toJson({ ids: [1n, 2n], nested: { id: -5n } })).toBe('{"ids":["1","2"],"nested":{"id":"-5"}}');
    expect(toJson(undefined)).toBe('null');
    expect(toJson({ skip: undefined, n: 2 })).toBe('{"n":2}');
  });
});
