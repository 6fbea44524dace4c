/**
 * Issue 8, the members side: each defect as the issue shows it, on a sandbox world that churns.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncEngine } from '../../src/sync/engine.js';
import { DEFAULT_FULL_RECONCILE_SECONDS } from '../../src/sync/engine.js';
import { EventKind } from '../../src/sync/events.js';
import { SourceError } from '../../src/sync/types.js';
import {
  A, CHAT_A, CHAT_B, B, SELF, CO_ADMIN, events, harness, linkWithMembers, members, openStays, requestRows, storedJoins, type Harness,
} from './sync-world-harness.js';

let h: Harness;
afterEach(() => h?.store.close());

const hwmOf = (link: string) => h.store.links.get(CHAT_A, link)?.hwm ?? null;

describe('defect 1: joins that arrive while a backfill is paused', () => {
  it('a backfill stopped after one page (SIGTERM) and 5 joins on top: every join is stored, and the link is not skipped for ever', async () => {
    let stopping: SyncEngine | undefined;
    h = harness({
      beforeCall: (call, x) => {
        if (stopping && call.method === 'listJoins' && x.source.count('listJoins') === 0) void stopping.stop();
      },
    });
    const link = linkWithMembers(h, 250);
    stopping = h.engine();
    await stopping.runCycle([CHAT_A]);
    stopping = undefined;
    expect(storedJoins(h, CHAT_A, link)).toHaveLength(100);
    for (let i = 0; i < 5; i++) h.world.addJoin(A, { userId: h.person(), link, date: h.tick() });
    h.tick(60);
    await h.cycle();
    await h.cycle();
    expect(storedJoins(h, CHAT_A, link)).toHaveLength(255);
    h.world.addJoin(A, { userId: h.person(), link, date: h.tick() });
    await h.cycle();
    expect(storedJoins(h, CHAT_A, link)).toHaveLength(256);
  });

  it('a backfill deferred by a flood wait on its second page loses none of the joins that arrive meanwhile, and its mark never moves backwards', async () => {
    let flooded = false;
    h = harness({
      beforeCall: (call, x) => {
        if (call.method === 'listJoins' && x.source.count('listJoins') === 1 && !flooded) {
          flooded = true;
          x.source.holds.hold('messages.getChatInviteImporters', 120);
          throw new SourceError('FloodWait', 'FLOOD_WAIT_120', 120);
        }
      },
    });
    const link = linkWithMembers(h, 250);
    await h.cycle();
    const marks: unknown[] = [hwmOf(link)];
    for (let i = 0; i < 5; i++) h.world.addJoin(A, { userId: h.person(), link, date: h.tick() });
    h.tick(200);
    await h.cycle();
    marks.push(hwmOf(link));
    await h.cycle();
    marks.push(hwmOf(link));
    expect(storedJoins(h, CHAT_A, link)).toHaveLength(255);
    const dates = marks.filter((m): m is { date: number } => m !== null).map((m) => m.date);
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
    expect(hwmOf(link)?.date).toBe(members(h, CHAT_A, link)[0]![1]);
  });
});

describe('defect 2: leaves hide new joiners', () => {
  it('one leaves and one joins (usage level): the full listing at the reconcile pace stores the newcomer and closes the leaver', async () => {
    h = harness();
    const link = linkWithMembers(h, 30);
    await h.cycle();
    const [leaver] = members(h, CHAT_A, link)[7]!;
    h.world.leave(A, leaver, { date: h.tick() });
    const newcomer = h.person();
    h.world.addJoin(A, { userId: newcomer, link, date: h.tick() });
    h.tick(60);
    await h.cycle(); // counters alone cannot tell: nothing to page yet
    h.tick(DEFAULT_FULL_RECONCILE_SECONDS);
    await h.cycle({ engine: {} });
    expect(storedJoins(h, CHAT_A, link).map((j) => j.userId)).toContain(newcomer);
    expect(openStays(h, CHAT_A, link)).toEqual(members(h, CHAT_A, link));
  });

  it('60 leave and 150 join: all 150 newcomers are stored, and the 60 are marked as left', async () => {
    h = harness();
    const link = linkWithMembers(h, 200);
    await h.cycle();
    const before = members(h, CHAT_A, link);
    for (let i = 0; i < 60; i++) h.world.leave(A, before[i * 3]![0], { date: h.tick() });
    const newcomers = Array.from({ length: 150 }, () => {
      const id = h.person();
      h.world.addJoin(A, { userId: id, link, date: h.tick() });
      return id;
    });
    h.tick(60);
    for (let i = 0; i < 3; i++) await h.cycle();
    const stored = new Set(storedJoins(h, CHAT_A, link).map((j) => j.userId));
    expect(newcomers.filter((id) => !stored.has(id))).toEqual([]);
    expect(openStays(h, CHAT_A, link)).toEqual(members(h, CHAT_A, link));
  });
});

describe('defect 5: a re-join through the same link', () => {
  it('is a new stay with its date and an event; the first stay is kept, closed', async () => {
    h = harness();
    const link = linkWithMembers(h, 3);
    await h.cycle();
    const [who, firstDate] = members(h, CHAT_A, link)[1]!;
    h.world.leave(A, who, { date: h.tick(100) });
    const again = h.tick(100);
    h.world.addJoin(A, { userId: who, link, date: again });
    h.world.addJoin(A, { userId: h.person(), link, date: h.tick() }); // the counter moves
    h.tick(60);
    await h.cycle();
    const mine = h.sql<{ date: bigint; left_at: bigint | null; left_how: string | null }>(
      'SELECT j.date, j.left_at, j.left_how FROM joins j WHERE j.user_id = ? ORDER BY j.date', who,
    );
    expect(mine.map((r) => [Number(r.date), r.left_at === null ? null : Number(r.left_at), r.left_how])).toEqual([
      [firstDate, again, 'unseen'],
      [again, null, null],
    ]);
    const news = events(h, EventKind.JoinsNew).filter((e) => !e.backfill);
    expect(news.flatMap((e) => (e.joins as { userId: string }[]).map((j) => j.userId))).toContain(String(who));
  });

  it('the approval of a re-request through the same link is an approval, not a decline', async () => {
    h = harness();
    const link = linkWithMembers(h, 2, { requestNeeded: true });
    await h.cycle();
    const [who] = members(h, CHAT_A, link)[0]!;
    h.world.leave(A, who, { date: h.tick() });
    h.world.addRequest(A, { userId: who, link, date: h.tick() });
    await h.cycle();
    h.world.resolveRequest(A, who, true, CO_ADMIN, h.tick());
    h.tick(60);
    await h.cycle();
    expect(requestRows(h).filter((r) => r.user_id === who)).toEqual([expect.objectContaining({ status: 'approved', decided_by: CO_ADMIN })]);
  });
});

describe('defect 8: a big backfill starves everything else', () => {
  it('pending requests of every chat and the other chats\' links are synced while one chat backfills 3,000 joins on a small budget', async () => {
    h = harness();
    linkWithMembers(h, 3000);
    const aAsk = h.world.createLink(A, { adminId: SELF, requestNeeded: true, date: h.tick() }).link;
    const aPending = [h.person(), h.person()];
    for (const id of aPending) h.world.addRequest(A, { userId: id, link: aAsk, date: h.tick() });
    const bLink = linkWithMembers(h, 40, { chat: B });
    const bPending = h.person();
    h.world.addRequest(B, { userId: bPending, link: null, date: h.tick() });
    await h.cycle({ chats: [CHAT_A, CHAT_B], budget: 12 });
    expect(requestRows(h, CHAT_A).map((r) => r.user_id)).toEqual(aPending);
    expect(requestRows(h, CHAT_B).map((r) => r.user_id)).toEqual([bPending]);
    for (let i = 0; i < 3 && storedJoins(h, CHAT_B, bLink).length < 40; i++) await h.cycle({ chats: [CHAT_A, CHAT_B], budget: 12 });
    expect(storedJoins(h, CHAT_B, bLink)).toHaveLength(40);
  });
});

describe('defect 11: cursors and links go out as Telegram wants them', () => {
  it('a page whose last user came without an access hash is not followed with hash 0', async () => {
    h = harness();
    const link = linkWithMembers(h, 250);
    const hundredth = members(h, CHAT_A, link)[99]![0];
    h.worldSource.minUsers.add(hundredth);
    const report = await h.cycle();
    expect(report.chats[0]!.outcome).toBe('ok');
    expect(storedJoins(h, CHAT_A, link)).toHaveLength(250);
  });

  it('a legacy t.me/joinchat link goes out in that form, in link and in offset_link', async () => {
    h = harness({ pageCap: 2 });
    // Newest first, two a page: the legacy link ends the first page, so it is the next offset_link.
    const ask = h.world.createLink(A, { adminId: SELF, requestNeeded: true, link: 'https://t.me/joinchat/LegacyAsk00001', date: h.tick() }).link;
    h.world.addRequest(A, { userId: h.person(), link: ask, date: h.tick() });
    linkWithMembers(h, 1);
    const legacy = linkWithMembers(h, 3, { link: 'https://t.me/joinchat/LegacyLink0001' });
    linkWithMembers(h, 1);
    await h.cycle();
    for (const hash of ['LegacyLink0001', 'LegacyAsk00001']) {
      const calls = h.source.calls.filter((c) => c.link !== undefined && c.link.includes(hash));
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.every((c) => c.link === `https://t.me/joinchat/${hash}`)).toBe(true);
    }
    const offsets = h.source.calls.filter((c) => c.method === 'listLinks' && c.after).map((c) => (c.after as { link: string }).link);
    expect(offsets).toContain('https://t.me/joinchat/LegacyLink0001');
    expect(storedJoins(h, CHAT_A, legacy)).toHaveLength(3);
  });
});

describe('found by the model check', () => {
  it('a member stored before the link\'s first walk (by a read for an approval) who left while nobody else joined is closed', async () => {
    h = harness();
    const link = linkWithMembers(h, 0, { requestNeeded: true });
    await h.cycle(); // usage 0: no walk, the link not yet walked
    const who = h.person();
    h.world.addJoin(A, { userId: who, link, date: h.tick(), approvedBy: CO_ADMIN });
    // As the read that settles a vanished request would: the stay is stored, the link still unwalked.
    h.store.users.upsertMany([{ id: who, accessHash: 1n, username: null, firstName: 'x', lastName: '' }]);
    h.store.joins.recordListed(CHAT_A, link, [{ userId: who, date: h.world.membership(A, who)!.date, approvedBy: CO_ADMIN }], h.tick());
    h.world.leave(A, who, { date: h.tick() });
    h.tick(60);
    await h.cycle();
    expect(openStays(h, CHAT_A, link)).toEqual([]);
    expect(h.store.links.get(CHAT_A, link)?.backfillDone).toBe(true);
  });

  it('a member stored before the link\'s first walk who left is closed although the walk ends by its count above where that stay lay (seed 5735)', async () => {
    h = harness({ pageCap: 2 });
    const link = linkWithMembers(h, 0, { requestNeeded: true });
    await h.cycle();
    const joined = (who: bigint) => {
      h.world.addJoin(A, { userId: who, link, date: h.tick(), approvedBy: CO_ADMIN });
      return { userId: who, date: h.world.membership(A, who)!.date, approvedBy: CO_ADMIN };
    };
    const [gone, stays] = [h.person(), h.person()];
    // As a read that settles a vanished request would: both stored, the link still unwalked.
    const read = [joined(gone), joined(stays)];
    h.store.users.upsertMany(read.map((r) => ({ id: r.userId, accessHash: 1n, username: null, firstName: 'x', lastName: '' })));
    h.store.joins.recordListed(CHAT_A, link, read, h.tick());
    h.world.leave(A, gone, { date: h.tick() });
    for (let i = 0; i < 3; i++) joined(h.person());
    h.tick(60);
    // A budget that ends the cycle with the first walk: no full listing follows it this cycle.
    const report = await h.cycle({ budget: 6 });
    expect(report.chats[0]!.links.find((l) => l.link === link)).toMatchObject({ action: 'backfill' });
    expect(h.store.links.get(CHAT_A, link)?.backfillDone).toBe(true);
    expect(openStays(h, CHAT_A, link)).toEqual(members(h, CHAT_A, link));
  });
});

describe('the history a user expects', () => {
  it('a member who leaves stays in the store and the export, marked left_at / left_how unseen, dated at the listing that no longer showed them', async () => {
    h = harness();
    const link = linkWithMembers(h, 12);
    await h.cycle();
    const [who] = members(h, CHAT_A, link)[4]!;
    h.world.leave(A, who, { date: h.tick() });
    h.tick(60);
    await h.cycle();
    await h.cycle();
    const row = [...h.store.exports.joinsOfLink(CHAT_A, link)].find((r) => r.userId === who)!;
    expect(row.leftHow).toBe('unseen');
    expect(row.leftAt).toBeGreaterThanOrEqual(h.world.history(A).ended[0]!.leftAt);
    expect(storedJoins(h, CHAT_A, link)).toHaveLength(12);
    expect(openStays(h, CHAT_A, link)).toEqual(members(h, CHAT_A, link));
  });
});
