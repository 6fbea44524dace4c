/**
 * store.live: a fact seen by a live source and by the sync, in either order, late or twice, is one
 * row; the sync's data completes it; an older observation never overwrites a newer one.
 */
import { describe, expect, it } from 'vitest';
import { CHAT, LINK, storeWithLink, user } from './store-fixtures.js';

const OTHER = 'https://t.me/+BBBBbbbbCCCC';
const TWIN = 'https://t.me/+BBBBbbbbDDDD';
const cut = (link: string, keep = 18) => `${link.slice(0, keep)}...`;

function store() {
  const s = storeWithLink();
  s.links.upsert(CHAT, { link: OTHER, adminId: 42n, date: 1001, title: 'ads' }, 1001);
  s.users.upsertMany([user(1n), user(2n), user(3n), user(42n), user(43n)], 1000);
  return s;
}

const stays = (s: ReturnType<typeof store>, userId: bigint) => s.joins.ofUser(CHAT, userId).map((j) => [j.link, j.date, j.approvedBy, j.leftAt, j.leftHow]);
const requestsOf = (s: ReturnType<typeof store>, userId: bigint) =>
  (s.db.prepare('SELECT link, via, date, status, decided_by, source FROM join_requests WHERE user_id = ? ORDER BY id').all(userId) as Record<string, unknown>[]).map((r): Record<string, unknown> => ({
    ...r,
    date: Number(r.date),
    decided_by: r.decided_by === null ? null : BigInt(r.decided_by as bigint),
  }));

describe('store.live: links as live sources show them', () => {
  it('a whole link is found exactly (in any spelling); a cut one by its visible start, creator and name, only when one is left', () => {
    const s = store();
    s.links.upsert(CHAT, { link: TWIN, adminId: 43n, date: 1002 }, 1002);
    expect(s.live.matchLink(CHAT, { shown: OTHER })).toEqual({ link: OTHER, how: 'exact' });
    expect(s.live.matchLink(CHAT, { shown: 't.me/joinchat/BBBBbbbbCCCC' })).toEqual({ link: OTHER, how: 'exact' });
    expect(s.live.matchLink(CHAT, { shown: 'https://t.me/+ZZZZzzzz' })).toEqual({ link: null, how: 'none' });
    // "https://t.me/+BBBBbbbb..." fits both OTHER and TWIN: the creator or the name tells them apart.
    const both = cut(OTHER, 22);
    expect(s.live.matchLink(CHAT, { shown: both })).toEqual({ link: null, how: 'none' });
    expect(s.live.matchLink(CHAT, { shown: both, creatorId: 42n })).toEqual({ link: OTHER, how: 'prefix' });
    expect(s.live.matchLink(CHAT, { shown: both, creatorId: 43n, name: null })).toEqual({ link: TWIN, how: 'prefix' });
    expect(s.live.matchLink(CHAT, { shown: both, name: 'ads' })).toEqual({ link: OTHER, how: 'prefix' });
    expect(s.live.matchLink(CHAT, { shown: both, creatorId: 42n, name: 'other name' })).toEqual({ link: null, how: 'none' });
    expect(s.live.matchLink(CHAT, { shown: `${OTHER.slice(0, 25)}…` })).toEqual({ link: OTHER, how: 'prefix' });
    // Too little left to tell links apart, or not a link at all: no guess, no crash.
    expect(s.live.matchLink(CHAT, { shown: 'https://t.me/+BB...' }).how).toBe('none');
    for (const junk of ['', '...', '<b>"*', 'x'.repeat(10_000), 'https://t.me/+%%%...']) expect(s.live.matchLink(CHAT, { shown: junk }).link).toBeNull();
  });
});

describe('store.live: requests', () => {
  it('seen by the bot first, then listed by the sync: one row, its origin completed, announced once', () => {
    const s = store();
    const live = s.live.request(CHAT, { userId: 1n, date: 500, about: 'hi', link: { shown: cut(OTHER), creatorId: 43n }, source: 'bot' }, 501);
    // Creator 43 made no link starting so: the link is left to the sync.
    expect(live).toMatchObject({ outcome: 'new', match: { link: null }, request: { via: 'unknown', source: 'bot', about: 'hi' } });
    expect(s.requests.upsertPending(CHAT, [{ userId: 1n, date: 500, link: OTHER }], 600)).toEqual([]);
    expect(requestsOf(s, 1n)).toEqual([{ link: OTHER, via: 'link', date: 500, status: 'pending', decided_by: null, source: 'bot' }]);
    // The bot's update delivered again: the same row.
    expect(s.live.request(CHAT, { userId: 1n, date: 500, link: { shown: cut(OTHER) }, source: 'bot' }, 700).outcome).toBe('same');
    expect(requestsOf(s, 1n)).toHaveLength(1);
  });

  it('listed first, then a late bot update: the same row; a request the sync attributes that nobody announced is still news', () => {
    const s = store();
    expect(s.requests.upsertPending(CHAT, [{ userId: 2n, date: 400, via: 'unknown' }], 401)).toEqual([]);
    expect(s.live.request(CHAT, { userId: 2n, date: 400, link: { shown: OTHER }, source: 'bot' }, 402)).toMatchObject({ outcome: 'same', request: { link: OTHER, via: 'link', source: 'sync' } });
    s.requests.upsertPending(CHAT, [{ userId: 3n, date: 410, via: 'unknown' }], 411);
    expect(s.requests.upsertPending(CHAT, [{ userId: 3n, date: 410, link: OTHER }], 412)).toHaveLength(1);
  });

  it('an older observation never overwrites a newer one: decided requests stay decided, older requests are stale', () => {
    const s = store();
    s.live.request(CHAT, { userId: 1n, date: 500, link: null, source: 'bot' }, 501);
    s.requests.resolve(CHAT, 1n, 'declined', 510, 42n);
    expect(s.live.request(CHAT, { userId: 1n, date: 500, link: null, source: 'bot' }, 520).outcome).toBe('stale');
    // The person asks again: a new request; the first one's update arriving late changes nothing.
    expect(s.live.request(CHAT, { userId: 1n, date: 600, link: null, source: 'bot' }, 601).outcome).toBe('new');
    expect(s.live.request(CHAT, { userId: 1n, date: 500, link: null, source: 'bot' }, 602).outcome).toBe('stale');
    expect(requestsOf(s, 1n).map((r) => [r.date, r.status, r.via])).toEqual([[500, 'declined', 'username'], [600, 'pending', 'username']]);
  });

  it('a newer request of a person still pending with an older one: the older one was decided meanwhile', () => {
    const s = store();
    s.requests.upsertPending(CHAT, [{ userId: 2n, date: 300, link: LINK }], 301);
    const r = s.live.request(CHAT, { userId: 2n, date: 350, link: { shown: LINK }, source: 'bot' }, 351);
    expect(r).toMatchObject({ outcome: 'new', closed: { date: 300, status: 'gone' }, request: { date: 350, status: 'pending' } });
  });
  it("a re-request seen late closes the older one as over when the person asked again, so the re-request's approval is never proof for it (model check, seeds 625 and 698)", () => {
    const s = store();
    s.live.request(CHAT, { userId: 1n, date: 500, link: { shown: OTHER }, source: 'bot' }, 501);
    // Declined in the app, unseen; asked again at 700, the bot's update delivered at 805 with the approval's join (805).
    const r = s.live.request(CHAT, { userId: 1n, date: 700, link: { shown: OTHER }, source: 'bot' }, 805);
    expect(r.closed).toMatchObject({ date: 500, status: 'gone', decidedAt: 700 });
    s.live.join(CHAT, { userId: 1n, date: 805, link: { shown: OTHER }, approvedBy: 42n, source: 'bot' }, 806);
    // The sync settles the vanished request by the link's joins between its date and its end: none.
    const [gone] = s.requests.unsettled(CHAT);
    expect(gone).toMatchObject({ date: 500, decidedAt: 700 });
    expect(s.joins.approvalOf(CHAT, 1n, OTHER, gone!.date, gone!.decidedAt ?? undefined)).toBeUndefined();
    expect(requestsOf(s, 1n).map((q) => [q.date, q.status, q.decided_by])).toEqual([[500, 'gone', null], [700, 'approved', 42n]]);
  });
});

describe('store.live: joins and leaves', () => {
  it('a join seen live, then listed: one stay, completed with the link and counted for it', () => {
    const s = store();
    expect(s.live.join(CHAT, { userId: 1n, date: 700, link: null, source: 'bot' }, 701)).toMatchObject({ outcome: 'new', ended: [] });
    expect(s.links.get(CHAT, OTHER)).toMatchObject({ joinsStored: 0, membersStored: 0 });
    expect(s.joins.recordListed(CHAT, OTHER, [{ userId: 1n, date: 700, approvedBy: 43n }], 800).fresh).toEqual([]);
    expect(stays(s, 1n)).toEqual([[OTHER, 700, 43n, null, null]]);
    expect(s.links.get(CHAT, OTHER)).toMatchObject({ joinsStored: 1, membersStored: 1, lastJoinDate: 700 });
    // Listed again, and the bot's update delivered twice: nothing changes.
    s.joins.recordListed(CHAT, OTHER, [{ userId: 1n, date: 700, approvedBy: 43n }], 801);
    expect(s.live.join(CHAT, { userId: 1n, date: 700, link: { shown: cut(OTHER) }, source: 'bot' }, 802).outcome).toBe('same');
    expect(s.links.get(CHAT, OTHER)).toMatchObject({ joinsStored: 1, membersStored: 1 });
  });

  it('listed first, then the live join with a matched link: the same stay', () => {
    const s = store();
    s.joins.recordListed(CHAT, LINK, [{ userId: 2n, date: 650 }], 660);
    expect(s.live.join(CHAT, { userId: 2n, date: 650, link: { shown: LINK }, viaChatlist: true, source: 'bot' }, 661).outcome).toBe('same');
    expect(s.joins.ofUser(CHAT, 2n)).toMatchObject([{ link: LINK, viaChatlist: true }]);
    expect(s.links.get(CHAT, LINK)).toMatchObject({ joinsStored: 1, membersStored: 1 });
  });

  it('leaves end the right stay, whatever the order they arrive in; a listing served before the leave does not reopen it', () => {
    const s = store();
    s.live.join(CHAT, { userId: 3n, date: 100, link: { shown: LINK }, source: 'bot' }, 101);
    expect(s.live.leave(CHAT, { userId: 3n, date: 150, how: 'left', source: 'bot' })).toMatchObject({ outcome: 'ended', stay: { link: LINK, date: 100, leftAt: 150, leftHow: 'left' } });
    expect(s.links.get(CHAT, LINK)?.membersStored).toBe(0);
    // The same leave again; a listing page read before the leave still shows the person.
    expect(s.live.leave(CHAT, { userId: 3n, date: 150, how: 'left', source: 'bot' }).outcome).toBe('known');
    s.joins.recordListed(CHAT, LINK, [{ userId: 3n, date: 100 }], 160);
    expect(stays(s, 3n)).toEqual([[LINK, 100, null, 150, 'left']]);
    // Re-joins at 200 through OTHER; the removal at 300 arrives, then the re-join's own leave... out of order:
    s.live.join(CHAT, { userId: 3n, date: 400, link: { shown: OTHER }, source: 'bot' }, 401);
    s.live.join(CHAT, { userId: 3n, date: 200, link: { shown: OTHER }, source: 'bot' }, 402);
    expect(stays(s, 3n)).toEqual([[OTHER, 400, null, null, null], [OTHER, 200, null, 400, 'unseen'], [LINK, 100, null, 150, 'left']]);
    // The leave of the stay of 200, late: it makes that stay's end exact and leaves the open one alone.
    expect(s.live.leave(CHAT, { userId: 3n, date: 300, how: 'kicked', source: 'bot' }).outcome).toBe('refined');
    expect(stays(s, 3n)).toEqual([[OTHER, 400, null, null, null], [OTHER, 200, null, 300, 'kicked'], [LINK, 100, null, 150, 'left']]);
    expect(s.links.get(CHAT, OTHER)?.membersStored).toBe(1);
    // A leave of someone never seen joining: nothing to end.
    expect(s.live.leave(CHAT, { userId: 2n, date: 300, how: 'left', source: 'bot' }).outcome).toBe('no-stay');
  });

  it('a leave and a re-join in the same second: the leave ends the earlier stay, never the re-join (found by the fault suite, split topology)', () => {
    const s = store();
    s.live.join(CHAT, { userId: 1n, date: 500, link: { shown: LINK }, source: 'bot' }, 501);
    // The bot was down: the sync lists the re-join of 600 first (ending the stay of 500 unseen) ...
    s.joins.recordListed(CHAT, OTHER, [{ userId: 1n, date: 600 }], 605);
    // ... then the restarted bot gets the leave of 600, the same second as the re-join.
    expect(s.live.leave(CHAT, { userId: 1n, date: 600, how: 'left', source: 'bot' }).outcome).toBe('refined');
    expect(stays(s, 1n)).toEqual([[OTHER, 600, null, null, null], [LINK, 500, null, 600, 'left']]);
    // Joined and left within one second, the stay before it long over: that one-second stay ends.
    s.live.join(CHAT, { userId: 2n, date: 100, link: null, source: 'bot' }, 101);
    s.live.leave(CHAT, { userId: 2n, date: 200, how: 'left', source: 'bot' });
    s.live.join(CHAT, { userId: 2n, date: 300, link: null, source: 'bot' }, 301);
    expect(s.live.leave(CHAT, { userId: 2n, date: 300, how: 'kicked', source: 'bot' }).outcome).toBe('ended');
    expect(stays(s, 2n)).toEqual([[null, 300, null, 300, 'kicked'], [null, 100, null, 200, 'left']]);
  });

  it('an approved join closes the pending request with its approver; a declined request is never turned into an approval', () => {
    const s = store();
    s.live.request(CHAT, { userId: 1n, date: 500, link: { shown: OTHER }, source: 'bot' }, 501);
    const j = s.live.join(CHAT, { userId: 1n, date: 530, link: { shown: OTHER }, approvedBy: 42n, source: 'bot' }, 531);
    expect(j.approved).toMatchObject({ status: 'approved', decidedBy: 42n, decidedAt: 530 });
    // The sync finds the request gone and the approving join: nothing to add.
    expect(s.requests.resolve(CHAT, 1n, 'gone', 600)).toBe(false);
    s.live.request(CHAT, { userId: 2n, date: 500, link: null, source: 'bot' }, 501);
    s.requests.resolve(CHAT, 2n, 'declined', 510, 42n);
    expect(s.live.join(CHAT, { userId: 2n, date: 700, link: null, approvedBy: 43n, source: 'bot' }, 701).approved).toBeUndefined();
    expect(requestsOf(s, 2n)).toMatchObject([{ status: 'declined', decided_by: 42n }]);
  });

  it('a decline the sync inferred is corrected by a live approval dated before the sync saw the request vanish, not by a later one', () => {
    const s = store();
    for (const userId of [1n, 2n]) {
      s.requests.upsertPending(CHAT, [{ userId, date: 500, link: OTHER }], 501);
      s.requests.resolve(CHAT, userId, 'gone', 600);
      // The link's members showed no approving join (the person left at once): declined, by nobody known.
      s.requests.settleDeclined(s.requests.latestOf(CHAT, userId)!.id, 610);
    }
    // The bot's chat_member of the approval, delivered late: it happened before the sync saw the request vanish.
    expect(s.live.join(CHAT, { userId: 1n, date: 590, link: { shown: OTHER }, approvedBy: 42n, source: 'bot' }, 620).approved).toMatchObject({ status: 'approved', decidedBy: 42n, decidedAt: 590 });
    // An approval after that is of a request asked again unseen: the decline stands.
    expect(s.live.join(CHAT, { userId: 2n, date: 650, link: { shown: OTHER }, approvedBy: 42n, source: 'bot' }, 660).approved).toBeUndefined();
    expect(requestsOf(s, 2n)).toMatchObject([{ status: 'declined', decided_by: null }]);
  });

  it("a re-request delivered after the join that approved it: the approval moves to it, the stale request it was credited to is over ('gone'), found by the model check, seed 367", () => {
    const s = store();
    // Asked at 500; declined in the app, unseen (the pending list was deferred): still pending here.
    s.live.request(CHAT, { userId: 1n, date: 500, link: { shown: OTHER }, source: 'bot' }, 501);
    // Asked again at 700 and approved at 720; the bot's chat_member of the approval comes first.
    s.live.join(CHAT, { userId: 1n, date: 720, link: { shown: OTHER }, approvedBy: 42n, source: 'bot' }, 721);
    const late = s.live.request(CHAT, { userId: 1n, date: 700, link: { shown: OTHER }, source: 'bot' }, 730);
    expect(late).toMatchObject({ outcome: 'stale', request: { date: 700, status: 'approved', decidedBy: 42n, decidedAt: 720 } });
    expect(late.closed).toMatchObject({ date: 500, status: 'gone', decidedBy: null, decidedAt: 700 });
    expect(requestsOf(s, 1n)).toEqual([
      { link: OTHER, via: 'link', date: 500, status: 'gone', decided_by: null, source: 'bot' },
      { link: OTHER, via: 'link', date: 700, status: 'approved', decided_by: 42n, source: 'bot' },
    ]);
    // The join delivered again never credits the stale request anew; the sync's later listing leaves both as they are.
    expect(s.live.join(CHAT, { userId: 1n, date: 720, link: { shown: OTHER }, approvedBy: 42n, source: 'admin_log' }, 740).approved).toBeUndefined();
    expect(s.requests.resolve(CHAT, 1n, 'gone', 800)).toBe(false);
    expect(requestsOf(s, 1n).map((r) => r.status)).toEqual(['gone', 'approved']);
    const history = s.db.prepare('SELECT h.status FROM join_request_history h JOIN join_requests r ON r.id = h.request_id WHERE r.user_id = 1 AND r.date = 500 ORDER BY h.rowid').pluck().all();
    expect(history).toEqual(['pending', 'approved', 'gone']);
  });

  it('a late request whose join approved it directly (nothing older credited): no other request is touched', () => {
    const s = store();
    s.live.request(CHAT, { userId: 1n, date: 300, link: { shown: OTHER }, source: 'bot' }, 301);
    s.requests.resolve(CHAT, 1n, 'declined', 400, 43n);
    s.live.join(CHAT, { userId: 1n, date: 720, link: { shown: OTHER }, approvedBy: 42n, source: 'bot' }, 721);
    const late = s.live.request(CHAT, { userId: 1n, date: 700, link: { shown: OTHER }, source: 'bot' }, 730);
    expect(late.closed).toBeUndefined();
    expect(requestsOf(s, 1n).map((r) => [r.date, r.status, r.decided_by])).toEqual([[300, 'declined', 43n], [700, 'approved', 42n]]);
  });

  it("the bot's request with no link refines a non-owner's 'unlisted' to the username; the listing never takes it back", () => {
    const s = store();
    s.requests.upsertPending(CHAT, [{ userId: 1n, date: 500, via: 'unlisted' }], 501);
    expect(s.live.request(CHAT, { userId: 1n, date: 500, link: null, source: 'bot' }, 502).outcome).toBe('same');
    s.live.request(CHAT, { userId: 2n, date: 500, link: null, source: 'bot' }, 503);
    s.requests.upsertPending(CHAT, [{ userId: 2n, date: 500, via: 'unlisted' }], 504);
    expect([...requestsOf(s, 1n), ...requestsOf(s, 2n)].map((r) => r.via)).toEqual(['username', 'username']);
  });

  it("a request a non-owner listed as 'unlisted' (the username or another admin's link: it cannot tell) is approved by a join through no link", () => {
    const s = store();
    // Found only in the chat-wide pending list by an account that is not the owner.
    s.requests.upsertPending(CHAT, [{ userId: 1n, date: 500, via: 'unlisted' }], 501);
    // The admin log: the request through the public username approved by 42 (chatInvitePublicJoinRequests).
    const j = s.live.join(CHAT, { userId: 1n, date: 530, link: null, approvedBy: 42n, source: 'admin_log' }, 531);
    expect(j.approved).toMatchObject({ status: 'approved', decidedBy: 42n, decidedAt: 530 });
    expect(requestsOf(s, 1n)).toMatchObject([{ via: 'unlisted', status: 'approved', decided_by: 42n }]);
  });
});
