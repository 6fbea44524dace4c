import { describe, expect, it } from 'vitest';
import { createActivity } from '../../src/sandbox/activity.js';
import { handleControl } from '../../src/sandbox/botapi/control.js';
import type { BotDriver } from '../../src/sandbox/botapi/driver.js';
import { World, WorldError } from '../../src/sandbox/world.js';
import { exportedInvites, inviteImporters } from '../../src/sandbox/world-access.js';
import example from '../../scenarios/example.json' with { type: 'json' };
import { pageAll } from './world-paging.js';

const CHAT = 1700000001n;
const SPRING = 'https://t.me/+AbCdEf0123';
const APPROVAL = 'https://t.me/+ReQuEsT0456';
const SELF = 7000001n;

const members = (w: World, link: string) => pageAll(w, CHAT, { link, requested: false, limit: 100 }).map((r) => [r.userId, r.date]);

function world(): World {
  const w = World.fromScenario(example);
  w.setClock(() => 1767300000);
  return w;
}

describe('churn in the sandbox world', () => {
  it('a member who leaves is no longer listed, usage goes down, and the stay is kept in the history', () => {
    const w = world();
    const seen: unknown[] = [];
    w.on('leave', (...a: unknown[]) => seen.push(a));
    expect(w.usage(SPRING)).toBe(1);
    w.leave(CHAT, 9000001n, { date: 1767290000 });
    expect(w.usage(SPRING)).toBe(0);
    expect(members(w, SPRING)).toEqual([]);
    expect(w.isMember(CHAT, 9000001n)).toBe(false);
    expect(w.history(CHAT).ended).toEqual([expect.objectContaining({ userId: 9000001n, link: SPRING, date: 1767226000, leftAt: 1767290000, kicked: false })]);
    expect(seen).toHaveLength(1);
    expect(() => w.leave(CHAT, 9000001n)).toThrow('USER_NOT_PARTICIPANT');
  });

  it('a removal is recorded as kicked', () => {
    const w = world();
    w.leave(CHAT, 9000001n, { kicked: true });
    expect(w.history(CHAT).ended[0]).toMatchObject({ kicked: true, leftAt: 1767300000 });
  });

  it('joining again lists the person again with the new date, through the same link or another', () => {
    const w = world();
    w.leave(CHAT, 9000001n, { date: 1767290000 });
    w.addJoin(CHAT, { userId: 9000001n, link: SPRING, date: 1767295000 });
    expect(members(w, SPRING)).toEqual([[9000001n, 1767295000]]);
    expect(w.usage(SPRING)).toBe(1);
    expect(() => w.addJoin(CHAT, { userId: 9000001n, link: SPRING })).toThrow('USER_ALREADY_PARTICIPANT');
    w.leave(CHAT, 9000001n, { date: 1767296000 });
    w.createLink(CHAT, { link: 'https://t.me/+Another001', adminId: SELF });
    w.addJoin(CHAT, { userId: 9000001n, link: 'https://t.me/+Another001', date: 1767297000 });
    expect(members(w, SPRING)).toEqual([]);
    expect(members(w, 'https://t.me/+Another001')).toEqual([[9000001n, 1767297000]]);
    expect(w.history(CHAT).ended.map((s) => [s.link, s.date, s.leftAt])).toEqual([
      [SPRING, 1767226000, 1767290000],
      [SPRING, 1767295000, 1767296000],
    ]);
  });

  it('a member cannot ask to join; a declined person may ask again, with a new date and bio', () => {
    const w = world();
    expect(() => w.addRequest(CHAT, { userId: 9000001n, link: APPROVAL })).toThrow('USER_ALREADY_PARTICIPANT');
    w.resolveRequest(CHAT, 9000003n, false, 7000002n, 1767299000);
    w.addRequest(CHAT, { userId: 9000003n, link: APPROVAL, date: 1767299500, about: 'please' });
    expect(w.pendingRequest(CHAT, 9000003n)).toMatchObject({ date: 1767299500, about: 'please' });
    expect(w.requested(APPROVAL)).toBe(1);
    expect(w.history(CHAT).decided).toEqual([
      { userId: 9000003n, link: APPROVAL, date: 1767227100, outcome: 'declined', by: 7000002n, at: 1767299000 },
    ]);
  });

  it('joining through an open link ends a pending request (nothing is left to decide)', () => {
    const w = world();
    w.addJoin(CHAT, { userId: 9000003n, link: SPRING, date: 1767299000 });
    expect(w.pendingRequest(CHAT, 9000003n)).toBeUndefined();
    expect(w.requested(APPROVAL)).toBe(0);
    expect(w.history(CHAT).decided[0]).toMatchObject({ userId: 9000003n, outcome: 'withdrawn' });
  });

  it('pages stay exact while a third of a big link leaves (removals are tombstoned, then swept)', () => {
    const w = world();
    const ids: bigint[] = [];
    for (let i = 0; i < 3000; i++) {
      const id = 30_000_000n + BigInt(i);
      w.addUser({ id, firstName: `U${i}` });
      w.addJoin(CHAT, { userId: id, link: SPRING, date: 1767230000 + (i % 41) });
      ids.push(id);
    }
    const gone = new Set(ids.filter((_, i) => i % 3 === 1));
    for (const id of gone) w.leave(CHAT, id);
    const rows = pageAll(w, CHAT, { link: SPRING, requested: false, limit: 37 });
    expect(rows).toHaveLength(3001 - gone.size);
    expect(rows.some((r) => gone.has(r.userId))).toBe(false);
    expect(new Set(rows.map((r) => r.userId)).size).toBe(rows.length);
    expect(w.usage(SPRING)).toBe(3001 - gone.size);
  });
});

describe('what an account may read (world-access, shared by the MTProto handlers and the model check)', () => {
  it('a legacy t.me/joinchat link is listed in that form and found by it', () => {
    const w = world();
    w.createLink(CHAT, { link: 't.me/joinchat/LegacyHash01', adminId: SELF, date: 1767299999 });
    const chat = w.chat(CHAT)!;
    const { links } = exportedInvites(w, SELF, chat, { admin: w.user(SELF)!, revoked: false, limit: 10, cap: 100 });
    expect(links[0]).toMatchObject({ link: 'https://t.me/+LegacyHash01', raw: 'https://t.me/joinchat/LegacyHash01' });
    const page = exportedInvites(w, SELF, chat, { admin: w.user(SELF)!, revoked: false, offsetDate: 1767299999, offsetLink: 'https://t.me/joinchat/LegacyHash01', limit: 10, cap: 100 });
    expect(page.links.map((l) => l.link)).toEqual([APPROVAL, SPRING]);
    expect(inviteImporters(w, SELF, chat, { requested: false, link: 'https://t.me/joinchat/LegacyHash01', offsetDate: 0, limit: 5, cap: 100 }).count).toBe(0);
  });

  it('a cursor user sent with the wrong access hash is USER_ID_INVALID', () => {
    const w = world();
    const chat = w.chat(CHAT)!;
    expect(() => inviteImporters(w, SELF, chat, { requested: true, offsetDate: 1767227100, offsetUser: { id: 9000003n, accessHash: 0n }, limit: 5, cap: 100 })).toThrow(WorldError);
    const ok = inviteImporters(w, SELF, chat, { requested: true, offsetDate: 1767227100, offsetUser: { id: 9000003n, accessHash: w.user(9000003n)!.accessHash }, limit: 5, cap: 100 });
    expect(ok.rows.map((r) => r.userId)).toEqual([9000002n]);
  });
});

describe('POST /sandbox/world: leaves and decisions', () => {
  const control = (w: World, body: Record<string, unknown>) =>
    handleControl({ world: w, driver: {} as BotDriver, calls: () => ({}) }, 'POST', 'world', new URLSearchParams(), body as never);

  it('a leave lowers usage; a decision in an admin app approves (a join with approved_by) or declines', () => {
    const w = world();
    const answer = control(w, {
      leaves: [{ chat: '-1001700000001', user_id: 9000001, date: 1767299000, kicked: true }],
      decisions: [
        { chat: 1700000001, user_id: 9000003, approved: true, by: 7000002, date: 1767299100 },
        { chat: 1700000001, user_id: 9000002, approved: false, by: 7000002 },
      ],
    });
    expect(answer).toEqual({ added: { users: 0, links: 0, joins: 0, requests: 0, leaves: 1, decisions: 2 } });
    expect(w.usage(SPRING)).toBe(0);
    expect(members(w, APPROVAL)).toEqual([[9000003n, 1767299100]]);
    expect(w.membership(CHAT, 9000003n)).toMatchObject({ approvedBy: 7000002n });
    expect(w.pendingCount(CHAT)).toBe(0);
  });

  it('refuses a leave of someone who is not a member, and a decision without its outcome', () => {
    const w = world();
    expect(() => control(w, { leaves: [{ chat: 1700000001, user_id: 9000002 }] })).toThrow('USER_NOT_PARTICIPANT');
    expect(() => control(w, { decisions: [{ chat: 1700000001, user_id: 9000002, by: 7000001 }] })).toThrow('decisions[].approved');
  });
});

describe('the activity generator makes churn', () => {
  it('members leave (some removed), people come back, admins decide in their app, declined people ask again', () => {
    const w = world();
    const activity = createActivity({
      world: w, chatId: CHAT, joinsPerMinute: 30, requestsPerMinute: 20, leavesPerMinute: 10, decisionsPerMinute: 10,
      rejoinShare: 0.5, reRequestShare: 0.5, seed: 3,
    });
    let clock = 1767300000;
    w.setClock(() => clock);
    for (let minute = 0; minute < 30; minute++) {
      clock += 60;
      activity.step(60);
    }
    const totals = activity.stats();
    expect(totals.leaves).toBeGreaterThan(100);
    expect(totals.decisions).toBeGreaterThan(100);
    const { ended, decided } = w.history(CHAT);
    expect(ended.some((s) => s.kicked)).toBe(true);
    const leftOnce = new Set(ended.map((s) => s.userId));
    expect([...leftOnce].some((id) => w.isMember(CHAT, id))).toBe(true); // some came back
    const declinedOnce = new Set(decided.filter((d) => d.outcome === 'declined').map((d) => d.userId));
    expect([...declinedOnce].some((id) => w.pendingRequest(CHAT, id) !== undefined || decided.filter((d) => d.userId === id).length > 1)).toBe(true);
    // The example chat has no other human admin: its owner decides.
    expect(decided.some((d) => d.outcome === 'approved' && d.by === SELF)).toBe(true);
  });
});
