/**
 * The store's membership history (issue 8): stays, re-joins, leaves learnt from listings, the one
 * open stay per person and chat, approvals proven by joins, request origins, walks and flood holds.
 */
import { describe, expect, it } from 'vitest';
import { CHAT, LINK, storeWithLink, user } from './store-fixtures.js';

const OTHER = 'https://t.me/+BBBBbbbb';

function store() {
  const s = storeWithLink();
  s.links.upsert(CHAT, { link: OTHER, adminId: 42n, date: 1001 }, 1001);
  s.users.upsertMany([user(1n), user(2n), user(3n), user(4n)], 1000);
  return s;
}

const stays = (s: ReturnType<typeof store>, userId: bigint) => s.joins.ofUser(CHAT, userId).map((j) => [j.link, j.date, j.leftAt, j.leftHow]);

describe('stays', () => {
  it('a re-join is a new stay that ends the open one, whatever its link; a page written twice changes nothing', () => {
    const s = store();
    expect(s.joins.recordListed(CHAT, LINK, [{ userId: 1n, date: 100 }, { userId: 2n, date: 90 }], 1000).fresh).toHaveLength(2);
    expect(s.joins.recordListed(CHAT, LINK, [{ userId: 1n, date: 100 }], 1001)).toEqual({ fresh: [], ended: [] });
    const again = s.joins.recordListed(CHAT, OTHER, [{ userId: 1n, date: 300 }], 1002);
    expect(again.ended).toEqual([{ userId: 1n, link: LINK, date: 100, leftAt: 300, leftHow: 'unseen' }]);
    expect(stays(s, 1n)).toEqual([[OTHER, 300, null, null], [LINK, 100, 300, 'unseen']]);
    // Through the same link again, later: another stay.
    s.joins.recordListed(CHAT, LINK, [{ userId: 1n, date: 500 }], 1003);
    expect(stays(s, 1n)).toEqual([[LINK, 500, null, null], [OTHER, 300, 500, 'unseen'], [LINK, 100, 300, 'unseen']]);
    expect(s.links.get(CHAT, LINK)).toMatchObject({ joinsStored: 3, membersStored: 2 });
    expect(s.links.get(CHAT, OTHER)).toMatchObject({ joinsStored: 1, membersStored: 0 });
  });

  it('an older stay than the membership known is stored ended, when the newer one began', () => {
    const s = store();
    s.joins.recordListed(CHAT, OTHER, [{ userId: 3n, date: 400 }], 1000);
    const old = s.joins.recordListed(CHAT, LINK, [{ userId: 3n, date: 200 }], 1001);
    expect(old.fresh).toHaveLength(1);
    expect(stays(s, 3n)).toEqual([[OTHER, 400, null, null], [LINK, 200, 400, 'unseen']]);
  });

  it('a listing page ends the stays of its range it no longer shows, sparing those stored after it began', () => {
    const s = store();
    s.joins.recordListed(CHAT, LINK, [{ userId: 1n, date: 100 }, { userId: 2n, date: 90 }, { userId: 3n, date: 80 }], 1000);
    s.joins.recordListed(CHAT, LINK, [{ userId: 4n, date: 70 }], 1005);
    // A page that covered (below the top, down to 80) and showed 1 and 3: 2 left.
    const ended = s.joins.closeUnlisted(CHAT, LINK, { below: null, from: { date: 80, userId: 3n } }, new Set(['1@100', '3@80']), 1001, 1002);
    expect(ended).toEqual([{ userId: 2n, link: LINK, date: 90, leftAt: 1002, leftHow: 'unseen' }]);
    // The bottom of the list (an empty last page): 4 was stored after that listing began, so it stays.
    expect(s.joins.closeUnlisted(CHAT, LINK, { below: { date: 80, userId: 3n }, from: null }, new Set(), 1001, 1003)).toEqual([]);
    expect(s.links.get(CHAT, LINK)?.membersStored).toBe(3);
    // Listed again after all: the close was wrong, the stay is reopened.
    s.joins.recordListed(CHAT, LINK, [{ userId: 2n, date: 90 }], 1004);
    expect(stays(s, 2n)).toEqual([[LINK, 90, null, null]]);
    expect(s.links.get(CHAT, LINK)?.membersStored).toBe(4);
  });

  it('approval evidence: an approved stay through the link, dated within the window', () => {
    const s = store();
    s.joins.recordListed(CHAT, LINK, [{ userId: 1n, date: 150, approvedBy: 42n }], 1000);
    expect(s.joins.approvalOf(CHAT, 1n, LINK, 100, 200)?.approvedBy).toBe(42n);
    expect(s.joins.approvalOf(CHAT, 1n, LINK, 160)).toBeUndefined();
    expect(s.joins.approvalOf(CHAT, 1n, OTHER, 100)).toBeUndefined();
    expect(s.joins.approvalOf(CHAT, 1n, LINK, 100, 140)).toBeUndefined();
  });
});

describe('requests: origins and outcomes learnt late', () => {
  it('an origin only gets more precise, and only then is the request news', () => {
    const s = store();
    expect(s.requests.upsertPending(CHAT, [{ userId: 1n, date: 10, via: 'unknown' }], 100)).toEqual([]);
    expect(s.requests.upsertPending(CHAT, [{ userId: 1n, date: 10, link: LINK }], 101)).toHaveLength(1);
    expect(s.requests.pendingOf(CHAT, 1n)).toMatchObject({ via: 'link', link: LINK });
    expect(s.requests.upsertPending(CHAT, [{ userId: 1n, date: 10, via: 'username' }], 102)).toEqual([]);
    expect(s.requests.pendingOf(CHAT, 1n)).toMatchObject({ via: 'link', link: LINK });
    expect(s.requests.upsertPending(CHAT, [{ userId: 2n, date: 11, via: 'unlisted' }], 103)).toHaveLength(1);
    expect(s.requests.pendingOf(CHAT, 2n)).toMatchObject({ via: 'unlisted', link: null });
    expect(() => s.requests.upsertPending(CHAT, [{ userId: 2n, date: 99, via: 'unknown' }], 104)).toThrow(/another request/);
  });

  it('an approving join finds only its own request: same link, asked before it, vanished after it', () => {
    const s = store();
    s.requests.upsertPending(CHAT, [{ userId: 1n, date: 10, link: LINK }], 100);
    s.requests.resolve(CHAT, 1n, 'gone', 200);
    s.requests.upsertPending(CHAT, [{ userId: 1n, date: 300, link: OTHER }], 300);
    expect(s.requests.approvedBy(CHAT, 1n, LINK, 150)?.date).toBe(10);
    expect(s.requests.approvedBy(CHAT, 1n, LINK, 250)).toBeUndefined(); // vanished before that join
    expect(s.requests.approvedBy(CHAT, 1n, OTHER, 250)).toBeUndefined(); // asked after it
    expect(s.requests.approvedBy(CHAT, 1n, OTHER, 350)?.status).toBe('pending');
    const gone = s.requests.approvedBy(CHAT, 1n, LINK, 150)!;
    expect(s.requests.correctToApproved(gone.id, 42n, 400)).toBe(true);
    expect(s.requests.correctToApproved(gone.id, 42n, 401)).toBe(false);
    expect(s.whois(1n, [CHAT]).requests.map((r) => [r.date, r.status, r.decidedBy, r.decidedAt])).toEqual([
      [300, 'pending', null, null],
      [10, 'approved', 42n, 200],
    ]);
  });

  it('a gone request through a link is unsettled until declined; the chat keeps its pending mark', () => {
    const s = store();
    s.requests.upsertPending(CHAT, [{ userId: 1n, date: 10, link: LINK }, { userId: 2n, date: 11 }], 100);
    s.requests.resolve(CHAT, 1n, 'gone', 200);
    s.requests.resolve(CHAT, 2n, 'gone', 200);
    expect(s.requests.unsettled(CHAT).map((r) => r.userId)).toEqual([1n]);
    expect(s.requests.settleDeclined(s.requests.unsettled(CHAT)[0]!.id, 300)).toBe(true);
    expect(s.requests.unsettled(CHAT)).toEqual([]);
    expect(s.requests.pendingMark(CHAT)).toBeUndefined();
    s.requests.setPendingMark(CHAT, { date: 11, userId: 2n });
    expect(s.requests.pendingMark(CHAT)).toEqual({ date: 11, userId: 2n });
  });
});

describe('walks and flood holds', () => {
  it('a walk is kept page by page and ended', () => {
    const s = store();
    const walk = { kind: 'news' as const, startedAt: 5, usage: 9, top: { date: 50, userId: 1n }, floor: null, cursor: { date: 40, userId: 2n, accessHash: -7n }, seen: 100, total: 250 };
    s.walks.put(CHAT, LINK, walk);
    expect(s.walks.get(CHAT, LINK, 'news')).toEqual(walk);
    expect(s.walks.get(CHAT, LINK, 'full')).toBeUndefined();
    s.walks.end(CHAT, LINK, 'news');
    expect(s.walks.get(CHAT, LINK, 'news')).toBeUndefined();
  });

  it('a flood hold lasts until it expires, and the longer one wins', () => {
    const s = store();
    s.syncState.hold('messages.getChatInviteImporters', 500, 'FLOOD_WAIT_400');
    s.syncState.hold('messages.getChatInviteImporters', 300, 'FLOOD_WAIT_200');
    expect(s.syncState.holds(200)).toEqual([{ method: 'messages.getChatInviteImporters', until: 500, code: 'FLOOD_WAIT_400' }]);
    expect(s.syncState.holds(500)).toEqual([]);
    s.syncState.setPosition('cycle.next_chat', '-1001');
    expect(s.syncState.position('cycle.next_chat')).toBe('-1001');
  });
});
