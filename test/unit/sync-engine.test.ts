import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { SyncEngine } from '../../src/sync/engine.js';
import { EventKind } from '../../src/sync/events.js';
import { SourceError } from '../../src/sync/types.js';
import { CHAT_ID, FakeSource, OTHER_ADMIN, SELF } from './sync-fake-source.js';

const T0 = 1767225600;
let store: Store;
let clock = T0 + 10_000;

function setup(opts: { pageLimit?: number; perCycle?: number } = {}) {
  store = openStore(':memory:');
  const source = new FakeSource();
  const engine = new SyncEngine({
    store,
    source,
    now: () => clock,
    pageLimit: opts.pageLimit ?? 100,
    maxCallsPerCycle: opts.perCycle ?? 10_000,
    maxCallsPerMinute: 1_000_000,
  });
  return { source, engine, cycle: () => engine.runCycle([CHAT_ID]) };
}

afterEach(() => store?.close());

const q = (sql: string, ...params: unknown[]) => store.db.prepare(sql).all(...params) as Record<string, unknown>[];
/** A link's stored joiners, newest first, through the store's own streaming read. */
const joinsOf = (link: string) =>
  [...store.exports.joinsOfLink(CHAT_ID, link)].map((r) => ({ user_id: r.userId, date: r.date, approved_by: r.approvedBy }));
const requestRows = () => q('SELECT user_id, link, status, decided_by FROM join_requests WHERE chat_id = ? ORDER BY user_id', CHAT_ID);
const events = (kind: string) => q('SELECT payload FROM outbox WHERE kind = ?', kind).map((r) => JSON.parse(String(r.payload)));

function fillScenario(source: FakeSource, nLinks: number, joinsPerLink: number) {
  const links = [];
  for (let i = 0; i < nLinks; i++) {
    const l = source.addLink({ hash: `Link${String(i).padStart(4, '0')}`, date: T0 + i, requestNeeded: i % 5 === 0 });
    for (let j = 0; j < joinsPerLink; j++) source.addJoin(l.link, 9_000_000n + BigInt(i * 10_000 + j), T0 + 100 + j);
    links.push(l);
  }
  return links;
}

describe('sync engine against the in-memory source', () => {
  it('a fresh sync stores every link, joiner and pending request, each link attributed', async () => {
    const { source, cycle } = setup();
    const [a, b] = fillScenario(source, 2, 250);
    source.addRequest(a!.link, 9_500_001n, T0 + 500, 'hi');
    source.addRequest(null, 9_500_002n, T0 + 501);
    const report = await cycle();
    expect(report.chats[0]!.outcome).toBe('ok');
    expect(joinsOf(a!.link)).toHaveLength(250);
    expect(joinsOf(b!.link)).toHaveLength(250);
    expect(requestRows()).toEqual([
      { user_id: 9_500_001n, link: a!.link, status: 'pending', decided_by: null },
      { user_id: 9_500_002n, link: null, status: 'pending', decided_by: null },
    ]);
    // 1 admins + 1 active listing + 3 pages per link + requests: chat page + link page + public walk.
    expect(source.count('listJoins')).toBe(6);
    expect(report.chats[0]!.calls).toBe(source.calls.length);
    expect(q('SELECT count(*) AS n FROM sync_runs WHERE outcome = ?', 'ok')[0]!.n).toBe(1n);
  });

  it('an idle second cycle costs only the link listing and one pending page', async () => {
    const { source, cycle } = setup();
    fillScenario(source, 5, 30);
    source.addRequest(`https://t.me/+Link0000`, 9_600_000n, T0 + 900);
    await cycle();
    source.calls.length = 0;
    const second = await cycle();
    expect(source.calls.map((c) => c.method)).toEqual(['listAdminsWithLinks', 'listLinks', 'listRequests']);
    expect(second.chats[0]!.rowsAdded).toBe(0);
  });

  it('3 new joins on one of 50 links page only that link, once', async () => {
    const { source, cycle } = setup();
    const links = fillScenario(source, 50, 20);
    await cycle();
    source.calls.length = 0;
    for (let k = 0; k < 3; k++) source.addJoin(links[17]!.link, 9_900_000n + BigInt(k), T0 + 5000 + k);
    const report = await cycle();
    expect(source.count('listJoins')).toBe(1);
    expect(source.count('listJoins', links[17]!.link)).toBe(1);
    expect(joinsOf(links[17]!.link)).toHaveLength(23);
    const news = events(EventKind.JoinsNew).filter((e) => !e.backfill);
    expect(news).toHaveLength(1);
    expect(news[0].count).toBe(3);
    expect(report.chats[0]!.links.filter((l) => l.action === 'incremental')).toHaveLength(1);
  });

  it('loses nothing when equal dates straddle page boundaries, also with short pages', async () => {
    const { source, cycle } = setup({ pageLimit: 100 });
    source.pageCap = 37; // the server returns fewer rows than asked: a short page is not the end
    const l = source.addLink({ hash: 'TiesTies01', date: T0 });
    for (let j = 0; j < 260; j++) source.addJoin(l.link, 9_000_000n + BigInt(j), T0 + 100 + Math.floor(j / 90));
    await cycle();
    expect(joinsOf(l.link)).toHaveLength(260);
    for (let j = 0; j < 150; j++) source.addJoin(l.link, 9_100_000n + BigInt(j), T0 + 200); // all one date
    await cycle();
    expect(joinsOf(l.link)).toHaveLength(410);
  });

  it('an interrupted backfill resumes from its cursor instead of starting over', async () => {
    const { source, cycle } = setup();
    const l = source.addLink({ hash: 'BigLink001', date: T0 });
    for (let j = 0; j < 1000; j++) source.addJoin(l.link, 9_000_000n + BigInt(j), T0 + 100 + (j >> 2));
    let joinsCalls = 0;
    source.fault = (call) => {
      if (call.method === 'listJoins' && ++joinsCalls === 4) throw new SourceError('Transient', 'connection dropped');
    };
    const first = await cycle();
    expect(first.chats[0]!.outcome).toBe('failed');
    expect(joinsOf(l.link)).toHaveLength(300);
    const oldest = joinsOf(l.link).at(-1)!;
    source.fault = undefined;
    source.calls.length = 0;
    await cycle();
    const resumed = source.calls.filter((c) => c.method === 'listJoins');
    expect(resumed[0]!.after).toMatchObject({ userId: oldest.user_id, date: Number(oldest.date) });
    expect(resumed).toHaveLength(7); // pages 4..10 only
    expect(joinsOf(l.link)).toHaveLength(1000);
    expect(events(EventKind.SyncFailed)).toHaveLength(1);
  });

  it('a long flood wait holds member listings for the whole account until it expires, the time recorded', async () => {
    const { source, cycle } = setup();
    const links = fillScenario(source, 3, 10);
    source.fault = (call) => {
      if (call.method === 'listJoins' && call.link === links[1]!.link) throw new SourceError('FloodWait', 'FLOOD_WAIT_3600', 3600);
    };
    const report = await cycle();
    const byLink = new Map(report.chats[0]!.links.map((l) => [l.link, l]));
    expect(byLink.get(links[1]!.link)!.action).toBe('deferred');
    expect(joinsOf(links[1]!.link)).toHaveLength(0);
    expect(store.syncState.holds(clock)).toEqual([{ method: 'messages.getChatInviteImporters', until: clock + 3600, code: 'FLOOD_WAIT_3600' }]);
    source.calls.length = 0;
    await cycle(); // still held: no member or request listing is even tried
    expect(source.count('listJoins') + source.count('listRequests')).toBe(0);
    clock += 3601;
    source.fault = undefined;
    await cycle();
    for (const l of links) expect(joinsOf(l.link)).toHaveLength(10);
    clock = T0 + 10_000;
  });

  it('records an approval and a decline between cycles with the right outcome', async () => {
    const { source, cycle } = setup();
    const l = source.addLink({ hash: 'Requests01', date: T0, requestNeeded: true });
    source.addJoin(l.link, 9_000_001n, T0 + 10);
    for (const u of [9_200_001n, 9_200_002n, 9_200_003n]) source.addRequest(l.link, u, T0 + Number(u % 100n));
    await cycle();
    source.approve(9_200_001n, SELF, T0 + 5000);
    source.decline(9_200_002n);
    await cycle();
    expect(requestRows()).toEqual([
      { user_id: 9_200_001n, link: l.link, status: 'approved', decided_by: SELF },
      { user_id: 9_200_002n, link: l.link, status: 'declined', decided_by: null },
      { user_id: 9_200_003n, link: l.link, status: 'pending', decided_by: null },
    ]);
    const resolved = events(EventKind.RequestResolved).map((e) => [e.userId, e.outcome]);
    expect(resolved).toEqual([
      ['9200001', 'approved'],
      ['9200002', 'declined'],
    ]);
  });

  it('attributes a new request to its link when a decline kept the counter level', async () => {
    const { source, cycle } = setup();
    const l = source.addLink({ hash: 'Requests02', date: T0, requestNeeded: true });
    source.addRequest(l.link, 9_300_001n, T0 + 1);
    source.addRequest(null, 9_300_009n, T0 + 2);
    await cycle();
    source.decline(9_300_001n);
    source.addRequest(l.link, 9_300_002n, T0 + 3);
    await cycle();
    expect(requestRows()).toEqual([
      { user_id: 9_300_001n, link: l.link, status: 'declined', decided_by: null },
      { user_id: 9_300_002n, link: l.link, status: 'pending', decided_by: null },
      { user_id: 9_300_009n, link: null, status: 'pending', decided_by: null },
    ]);
  });

  it('a public-username request that leaves is recorded as gone', async () => {
    const { source, cycle } = setup();
    source.addLink({ hash: 'Requests03', date: T0 });
    source.addRequest(null, 9_400_001n, T0 + 1);
    source.addRequest(null, 9_400_002n, T0 + 2);
    await cycle();
    source.decline(9_400_001n);
    await cycle();
    expect(requestRows().map((r) => r.status)).toEqual(['gone', 'pending']);
  });

  it('a revoked link keeps its history and raises one revoked event', async () => {
    const { source, cycle } = setup();
    const [l] = fillScenario(source, 1, 12);
    await cycle();
    l!.revoked = true;
    await cycle();
    await cycle();
    expect(joinsOf(l!.link)).toHaveLength(12);
    expect(store.links.get(CHAT_ID, l!.link)!.revoked).toBe(true);
    expect(events(EventKind.LinkRevoked)).toHaveLength(1);
  });

  it('a non-owner sees its own links and records the others as invisible', async () => {
    const { source, cycle } = setup();
    source.owner = OTHER_ADMIN;
    const own = source.addLink({ hash: 'OwnLink001', date: T0 });
    const theirs = source.addLink({ hash: 'TheirLink1', date: T0, adminId: OTHER_ADMIN });
    source.addJoin(own.link, 9_000_001n, T0 + 1);
    source.addJoin(theirs.link, 9_000_002n, T0 + 2);
    const report = await cycle();
    expect(report.chats[0]!.invisibleLinks).toBe(true);
    expect(joinsOf(own.link)).toHaveLength(1);
    expect(store.links.get(CHAT_ID, theirs.link)).toBeUndefined();
    expect(store.chats.notes(CHAT_ID).map((n) => n.kind)).toEqual(['invisible_links']);
    expect(source.count('listAdminsWithLinks')).toBe(0);
  });

  it('a revoked session stops the cycle with one event and no further calls', async () => {
    const { source, engine, cycle } = setup();
    fillScenario(source, 3, 5);
    source.fault = (call, n) => {
      if (n >= 3) throw new SourceError('SessionRevoked', 'AUTH_KEY_UNREGISTERED');
    };
    const report = await engine.runCycle([CHAT_ID, '@rust_learners']);
    expect(report.sessionRevoked).toBe(true);
    expect(report.chats).toHaveLength(1);
    const calls = source.calls.length;
    const again = await cycle();
    expect(again.chats).toHaveLength(0);
    expect(source.calls.length).toBe(calls);
    expect(events(EventKind.SessionRevoked)).toHaveLength(1);
    expect(store.links.list(CHAT_ID).length).toBeGreaterThan(0); // the store stays readable
  });

  it('stops at the per-cycle budget and finishes the backfill next cycle', async () => {
    const { source, cycle } = setup({ perCycle: 5 });
    const l = source.addLink({ hash: 'Budget0001', date: T0 });
    for (let j = 0; j < 500; j++) source.addJoin(l.link, 9_000_000n + BigInt(j), T0 + j);
    const first = await cycle();
    expect(first.budgetExhausted).toBe(true);
    expect(first.chats[0]!.outcome).toBe('partial');
    expect(source.calls).toHaveLength(5);
    // Admins, links and the pending page come first (phase 1); two member pages fit after them.
    expect(joinsOf(l.link)).toHaveLength(200);
    await cycle();
    await cycle();
    expect(joinsOf(l.link)).toHaveLength(500);
  });

  it('writing the same data twice changes nothing', async () => {
    const { source, cycle } = setup();
    const [l] = fillScenario(source, 1, 120);
    await cycle();
    const before = q('SELECT count(*) AS n FROM outbox')[0]!.n;
    // Forget the sync state so the same pages are fetched and written again.
    store.links.updateSyncState(CHAT_ID, l!.link, { backfillDone: false, hwm: null, syncedUsage: null });
    await cycle();
    expect(joinsOf(l!.link)).toHaveLength(120);
    expect(q('SELECT count(*) AS n FROM outbox')[0]!.n).toBe(before);
  });

  it('a link deleted between its listing and its pending walk does not fail the chat', async () => {
    const { source, cycle } = setup();
    const gone = source.addLink({ hash: 'GoneLink01', date: T0, requestNeeded: true });
    const kept = source.addLink({ hash: 'KeptLink01', date: T0 + 1, requestNeeded: true });
    source.addRequest(gone.link, 9_700_001n, T0 + 5);
    source.addRequest(kept.link, 9_700_002n, T0 + 6);
    source.fault = (call) => {
      if (call.method === 'listRequests' && call.link === gone.link) throw new SourceError('LinkGone', 'INVITE_HASH_EXPIRED');
    };
    const report = await cycle();
    expect(report.chats[0]!.outcome).toBe('ok');
    expect(requestRows().find((r) => r.user_id === 9_700_002n)).toMatchObject({ link: kept.link, status: 'pending' });
  });

  it('an unknown chat fails that chat only, with a sync.failed event', async () => {
    const { source, engine } = setup();
    fillScenario(source, 1, 3);
    const report = await engine.runCycle(['@nobody_here', CHAT_ID]);
    expect(report.chats.map((c) => c.outcome)).toEqual(['failed', 'ok']);
    expect(events(EventKind.SyncFailed)[0]).toMatchObject({ kind: 'PeerInvalid' });
    expect(report.chats[0]!.failure?.kind).toBe('PeerInvalid');
  });

  it('on shutdown stops at the next call: the cycle ends partial with its pages and cursor kept, and a new engine resumes', async () => {
    const { source, engine, cycle } = setup();
    const [a] = fillScenario(source, 1, 1000);
    let stopping: Promise<void> | undefined;
    source.fault = (call) => {
      if (call.method === 'listJoins' && source.count('listJoins') >= 4) stopping ??= engine.stop();
    };
    const report = await cycle();
    await stopping;
    expect(report.chats[0]!.outcome).toBe('partial');
    expect(events(EventKind.SyncFailed)).toEqual([]);
    const kept = joinsOf(a!.link).length;
    expect(kept).toBeGreaterThanOrEqual(300);
    expect(kept).toBeLessThan(1000);
    expect(kept % 100).toBe(0);
    // A stopped engine makes no further call.
    const before = source.calls.length;
    expect((await engine.runCycle([CHAT_ID])).chats[0]!.outcome).toBe('partial');
    expect(source.calls.length).toBe(before);
    // The next process resumes from the saved cursor: only the missing pages (usage says when it is done).
    source.fault = undefined;
    const joinsBefore = source.count('listJoins');
    const next = new SyncEngine({ store, source, now: () => clock, pageLimit: 100, maxCallsPerCycle: 10_000, maxCallsPerMinute: 1_000_000 });
    expect((await next.runCycle([CHAT_ID])).chats[0]!.outcome).toBe('ok');
    expect(joinsOf(a!.link)).toHaveLength(1000);
    expect(source.count('listJoins') - joinsBefore).toBe((1000 - kept) / 100);
  });
});
