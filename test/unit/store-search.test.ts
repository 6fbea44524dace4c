import { describe, expect, it } from 'vitest';
import { planSearch } from '../../src/store/index.js';
import { CHAT, storeWithLink, user } from './store-fixtures.js';

const PEOPLE = [
  user(1n, 'Иван', { lastName: 'Петров' }),
  user(2n, 'Joanna', { lastName: 'Smith' }),
  user(3n, 'Bob', { username: 'annihilator' }),
  user(4n, 'Emoji', { lastName: '😀 fanclub' }),
  user(5n, '"a" OR b*'),
  user(6n, 'a'),
  user(7n, 'b'),
  user(8n, "Robert'; DROP TABLE users;--"),
  user(9n, 'Quiet'),
  user(10n, 'ANNA'),
];

function seeded() {
  const store = storeWithLink();
  store.users.upsertMany(PEOPLE);
  store.requests.upsertPending(CHAT, PEOPLE.map((p, i) => ({
    userId: p.id, date: 100 + i, about: p.id === 9n ? 'Люблю котов и 😀 fans' : null,
  })));
  return store;
}

function found(query: string): bigint[] {
  const store = seeded();
  const ids = store.pending.userIds(CHAT, { query }).sort((a, b) => Number(a - b));
  expect(store.pending.count(CHAT, { query })).toBe(ids.length);
  expect(store.pending.page(CHAT, { query }, { limit: 100 }).rows.map((r) => r.userId).sort((a, b) => Number(a - b))).toEqual(ids);
  return ids;
}

describe('pending search', () => {
  it('finds Cyrillic names in any case, and across first and last name', () => {
    expect(found('Иван')).toEqual([1n]);
    expect(found('иван')).toEqual([1n]);
    expect(found('ИВАН ПЕТ')).toEqual([1n]);
  });

  it('finds substrings of names and usernames: ann', () => {
    expect(found('ann')).toEqual([2n, 3n, 10n]);
    expect(found('@annihilator')).toEqual([3n]);
  });

  it('finds emoji text in names and in the request bio', () => {
    expect(found('😀 fan')).toEqual([4n, 9n]);
    expect(found('котов')).toEqual([9n]);
  });

  it('treats FTS operators and quotes as plain text', () => {
    expect(found('"a" OR b*')).toEqual([5n]);
    expect(found('OR')).toEqual([3n, 5n]); // a bare FTS keyword is a substring (annihilatOR), not an operator
    expect(found('OR b*')).toEqual([5n]);
    expect(found('b* OR')).toEqual([]); // not a substring, and not an OR of two terms
    expect(found('NEAR(a b)')).toEqual([]);
    expect(found('"')).toEqual([5n]);
  });

  it("treats '; DROP TABLE as plain text and drops nothing", () => {
    expect(found("'; DROP TABLE")).toEqual([8n]);
    const store = seeded();
    store.pending.userIds(CHAT, { query: "'; DROP TABLE users;--" });
    expect(store.users.get(1n)).toBeDefined();
  });

  it('falls back to a folded scan for one- and two-character queries', () => {
    expect(planSearch('Ив')).toEqual({ kind: 'scan', needle: 'ив' });
    expect(found('Ив')).toEqual([1n]);
    expect(found('😀')).toEqual([4n, 9n]);
    expect(found('%')).toEqual([]);
  });

  it('matches short ASCII queries with a native LIKE, case-insensitively and with % and _ literal', () => {
    expect(planSearch('Bo')).toEqual({ kind: 'like', like: '%Bo%' });
    expect(planSearch('a%')).toEqual({ kind: 'like', like: '%a\\%%' });
    expect(found('bO')).toEqual([3n]);
    expect(found('nn')).toEqual([2n, 3n, 10n]);
    expect(found('_')).toEqual([]);
    expect(found('"a')).toEqual([5n]);
  });

  it('ignores an empty query and survives a huge one', () => {
    expect(found('   ')).toHaveLength(PEOPLE.length);
    expect(found('x'.repeat(10_000))).toEqual([]);
  });

  it('survives a NUL character (FTS5 would read it as the end of its query string)', () => {
    expect(found('\u0000ann')).toEqual([2n, 3n, 10n]);
    expect(found('an\u0000n')).toEqual([2n, 3n, 10n]);
  });

  it('follows renames: the index tracks name changes', () => {
    const store = seeded();
    store.users.upsertMany([user(9n, 'Annabel')]);
    expect(store.pending.userIds(CHAT, { query: 'annab' })).toEqual([9n]);
    store.users.upsertMany([user(9n, 'Zed')]);
    expect(store.pending.userIds(CHAT, { query: 'annab' })).toEqual([]);
  });

  it('short queries follow renames too (the scanned search text is kept by triggers)', () => {
    const store = seeded();
    expect(store.pending.userIds(CHAT, { query: 'Zé' })).toEqual([]);
    expect(store.pending.userIds(CHAT, { query: 'ay' })).toEqual([]);
    store.users.upsertMany([user(9n, 'Zéd', { lastName: 'Ray' })]);
    expect(store.pending.userIds(CHAT, { query: 'zÉ' })).toEqual([9n]); // Unicode fold
    expect(store.pending.userIds(CHAT, { query: 'AY' })).toEqual([9n]); // native LIKE
    expect(store.pending.userIds(CHAT, { query: 'ко' })).toEqual([9n]); // the bio "Люблю котов" stays
    expect(store.pending.userIds(CHAT, { query: 'ui' })).toEqual([]); // the old name "Quiet" is gone
  });

  it('narrows by link: null is the public username', () => {
    const store = seeded();
    expect(store.pending.count(CHAT, { query: 'ann', link: null })).toBe(3);
    expect(store.pending.count(CHAT, { query: 'ann', link: 'https://t.me/+other' })).toBe(0);
  });
});
