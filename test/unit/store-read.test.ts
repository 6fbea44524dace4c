import { describe, expect, it } from 'vitest';
import { CHAT, LINK, storeWithLink, user } from './store-fixtures.js';

const OTHER = 'https://t.me/+BBBBbbbb';
const DAY = 86_400;
const NOW = 100 * DAY;

function seeded() {
  const store = storeWithLink();
  store.links.upsert(CHAT, { link: OTHER, adminId: 43n, date: 2000, title: 'Promo', usageLimit: 50 });
  store.users.upsertMany([1n, 2n, 3n, 4n, 5n, 6n].map((id) => user(id, `U${id}`)));
  store.joins.insertMany(CHAT, LINK, [
    { userId: 1n, date: NOW - 2 * DAY },
    { userId: 2n, date: NOW - 2 * DAY + 60, approvedBy: 42n },
  ]);
  store.joins.insertMany(CHAT, OTHER, [{ userId: 3n, date: NOW - DAY }, { userId: 1n, date: NOW - 10 * DAY }]);
  store.requests.upsertPending(CHAT, [
    { userId: 4n, date: NOW - 3 * DAY, link: OTHER, about: 'hello' },
    { userId: 5n, date: NOW - 3 * DAY, link: OTHER },
    { userId: 6n, date: NOW - 4 * DAY },
    { userId: 2n, date: NOW - 3 * DAY, link: LINK },
  ], NOW - 3 * DAY);
  store.requests.resolve(CHAT, 2n, 'approved', NOW - 2 * DAY, 42n); // decided after 1 day
  store.requests.resolve(CHAT, 5n, 'declined', NOW - 3 * DAY + 3600); // after 1 hour
  store.requests.resolve(CHAT, 6n, 'gone', NOW - DAY); // after 3 days
  return store;
}

describe('read side', () => {
  it('link summaries carry joined, pending and last activity', () => {
    const store = seeded();
    const byLink = new Map(store.links.summaries(CHAT).map((s) => [s.link, s]));
    expect(byLink.get(LINK)).toMatchObject({ joined: 2, pending: 0, lastActivity: NOW - 2 * DAY + 60 });
    expect(byLink.get(OTHER)).toMatchObject({ joined: 2, pending: 1, lastActivity: NOW - DAY, title: 'Promo', usageLimit: 50 });
    expect(store.links.summaries(-1009n)).toEqual([]);
  });

  it('whois shows joins and requests only in the chats asked for', () => {
    const store = seeded();
    const one = store.whois(2n, [CHAT]);
    expect(one.user?.firstName).toBe('U2');
    expect(one.joins).toEqual([expect.objectContaining({ link: LINK, approvedBy: 42n, linkTitle: null })]);
    expect(one.requests).toEqual([expect.objectContaining({ status: 'approved', decidedBy: 42n, decidedAt: NOW - 2 * DAY })]);
    expect(store.whois(1n, [CHAT]).joins.map((j) => j.link)).toEqual([LINK, OTHER]);
    expect(store.whois(2n, [-1009n])).toMatchObject({ joins: [], requests: [] });
    expect(store.whois(777n, [CHAT]).user).toBeUndefined();
  });

  it('stats: per day, per link, decisions, median time to decision, top links', () => {
    const store = seeded();
    const day = (n: number) => new Date((NOW - n * DAY) * 1000).toISOString().slice(0, 10);
    expect(store.stats.joinsPerDay(CHAT, { days: 7, now: NOW })).toEqual([
      { day: day(2), count: 2 }, { day: day(1), count: 1 },
    ]);
    expect(store.stats.joinsPerDay(CHAT, { days: 30, link: OTHER, now: NOW }).map((d) => d.count)).toEqual([1, 1]);
    expect(store.stats.requestsPerDay(CHAT, { days: 7, now: NOW })).toEqual([
      { day: day(4), requested: 1, approved: 0, declined: 0, gone: 0 },
      { day: day(3), requested: 3, approved: 0, declined: 1, gone: 0 },
      { day: day(2), requested: 0, approved: 1, declined: 0, gone: 0 },
      { day: day(1), requested: 0, approved: 0, declined: 0, gone: 1 },
    ]);
    const d = store.stats.decisions(CHAT, { days: 7, now: NOW });
    expect(d).toEqual({ approved: 1, declined: 1, gone: 1, approvalRate: 1 / 3, medianDecisionSeconds: DAY });
    expect(store.stats.decisions(CHAT, { days: 7, link: OTHER, now: NOW }).medianDecisionSeconds).toBe(3600);
    expect(store.stats.decisions(-1009n, { days: 7, now: NOW })).toMatchObject({ approvalRate: null, medianDecisionSeconds: null });
    expect(store.stats.topLinks(CHAT, { days: 7, now: NOW })).toEqual([
      { link: LINK, title: null, joins: 2 }, { link: OTHER, title: 'Promo', joins: 1 },
    ]);
  });

  it('exports stream joins of a link, pending, and everything', () => {
    const store = seeded();
    const link = [...store.exports.joinsOfLink(CHAT, LINK)];
    expect(link.map((r) => [r.userId, r.status, r.approvedBy])).toEqual([[2n, 'joined', 42n], [1n, 'joined', null]]);
    expect([...store.exports.pending(CHAT)]).toEqual([
      expect.objectContaining({ userId: 4n, status: 'pending', about: 'hello', link: OTHER, firstName: 'U4', chatId: CHAT }),
    ]);
    const all = [...store.exports.all(CHAT)];
    expect(all.filter((r) => r.status === 'joined')).toHaveLength(4);
    expect(all.filter((r) => r.status !== 'joined').map((r) => r.status).sort()).toEqual(['approved', 'declined', 'gone', 'pending']);
    expect(all.find((r) => r.userId === 6n)?.link).toBeNull();
  });

  it('freshness: the last finished run per chat', () => {
    const store = seeded();
    expect(store.runs.lastFinished(CHAT)).toBeUndefined();
    const id = store.runs.start(CHAT, NOW);
    store.runs.finish(id, { calls: 1, rowsAdded: 0, outcome: 'failed', error: 'FloodWait 300' }, NOW + 5);
    expect(store.runs.lastFinished(CHAT)).toMatchObject({ outcome: 'failed', error: 'FloodWait 300', finishedAt: NOW + 5 });
  });
});
