import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, type Cursor, type Page } from '../../src/store/index.js';
import { CHAT, LINK, storeWithLink, user } from './store-fixtures.js';

/** 250 joiners on only 4 distinct dates: every page boundary falls inside a run of equal dates. */
function seeded() {
  const store = storeWithLink();
  const rows = Array.from({ length: 250 }, (_, i) => ({ userId: BigInt(1000 + ((i * 37) % 250)), date: 100 + (i % 4) }));
  store.users.upsertMany(rows.map((r) => user(r.userId)));
  store.joins.insertMany(CHAT, LINK, rows);
  store.users.upsertMany([user(5n)]);
  store.requests.upsertPending(CHAT, rows.slice(0, 90).map((r) => ({ userId: r.userId, date: r.date, link: LINK })));
  const expected = [...rows].sort((a, b) => b.date - a.date || (b.userId > a.userId ? 1 : -1)).map((r) => r.userId);
  return { store, expected };
}

function walk<T extends { userId: bigint }>(fetch: (c: { before?: Cursor; after?: Cursor }) => Page<T>) {
  const seen: bigint[][] = [];
  let page = fetch({});
  expect(page.newer).toBeNull();
  seen.push(page.rows.map((r) => r.userId));
  while (page.older) {
    page = fetch({ before: page.older });
    expect(page.newer).not.toBeNull();
    seen.push(page.rows.map((r) => r.userId));
  }
  // And back up again with `after`: the same pages in reverse.
  const back: bigint[][] = [page.rows.map((r) => r.userId)];
  while (page.newer) {
    page = fetch({ after: page.newer });
    back.unshift(page.rows.map((r) => r.userId));
  }
  return { down: seen, up: back };
}

describe('keyset pages', () => {
  it('never skip or repeat joiners with equal dates, down and back up', () => {
    const { store, expected } = seeded();
    const { down, up } = walk((c) => store.joiners.page(CHAT, LINK, { limit: 20, ...c }));
    expect(down.flat()).toEqual(expected);
    expect(down).toHaveLength(13);
    expect(down.every((p) => p.length === 20 || p === down[12])).toBe(true);
    // Going up from the last page realigns to full pages ending at the newest row.
    expect(up.flat()).toEqual(expected);
    expect(new Set(up.flat()).size).toBe(250);
  });

  it('pages pending requests the same way, with user fields', () => {
    const { store, expected } = seeded();
    const pendingExpected = expected.filter((id) => store.requests.pendingUserIds(CHAT).includes(id));
    const { down } = walk((c) => store.pending.page(CHAT, {}, { limit: 7, ...c }));
    expect(down.flat()).toEqual(pendingExpected);
    expect(store.pending.page(CHAT, {}, { limit: 1 }).rows[0]).toMatchObject({ link: LINK, firstName: expect.stringMatching(/^User /) });
  });

  it('stay stable when newer rows arrive between pages', () => {
    const { store, expected } = seeded();
    const first = store.joiners.page(CHAT, LINK, { limit: 10 });
    store.users.upsertMany([user(1n)]);
    store.joins.insertMany(CHAT, LINK, [{ userId: 1n, date: 999 }]);
    const second = store.joiners.page(CHAT, LINK, { limit: 10, before: first.older });
    expect(second.rows.map((r) => r.userId)).toEqual(expected.slice(10, 20));
    // Paging up from the old first row now reveals the newcomer, and only it.
    const up = store.joiners.page(CHAT, LINK, { limit: 10, after: { date: 103, userId: expected[0]! } });
    expect(up.rows.map((r) => r.userId)).toEqual([1n]);
    expect(up.newer).toBeNull();
    expect(up.older).toEqual({ date: 999, userId: 1n });
  });

  it('clamp silly limits and answer an empty list plainly', () => {
    const { store } = seeded();
    expect(store.joiners.page(CHAT, LINK, { limit: 0 }).rows).toHaveLength(1);
    expect(store.joiners.page(CHAT, LINK, { limit: 10_000 }).rows).toHaveLength(100);
    expect(store.joiners.page(CHAT, 'https://t.me/+none')).toEqual({ rows: [], older: null, newer: null });
  });

  it('cursors survive callback data and reject anything else', () => {
    const c = { date: 1767225600, userId: 9223372036854775807n };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect(encodeCursor(c).length).toBeLessThan(40);
    for (const bad of ['', 'x', '1.2.3', '1.99999999999999999999', '-1.5', "1.2' OR 1=1"]) {
      expect(decodeCursor(bad)).toBeUndefined();
    }
  });
});
