import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { writeExport } from '../../src/export/index.js';
import { generateScenario } from '../../src/sandbox/generate-scenario.js';
import { World } from '../../src/sandbox/world.js';
import { EventKind } from '../../src/sync/events.js';
import { baseScenario } from './sandbox-mtproto-fixture.js';
import { CHAT, MT_CHAT, SELF, listingCalls, outbox, rows, startSyncWorld, type SyncWorld } from './sync-harness.js';

let w: SyncWorld | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

const IMPORTERS = 'messages.getChatInviteImporters';
const INVITES = 'messages.getExportedChatInvites';
const ADMINS = 'messages.getAdminsWithInvites';

async function exportAll(chatId = CHAT): Promise<Record<string, string>[]> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeExport(w!.store, { chatId, kind: 'all' }, 'json', out);
  out.end();
  const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>[];
  // The same cells as the CSV: none as '', booleans as text.
  return parsed.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? '' : String(v)])));
}

const iso = (d: number) => new Date(d * 1000).toISOString().replace('.000Z', 'Z');
const key = (r: Record<string, string>) => [r.link, r.user_id, r.date, r.status, r.approved_by, r.about].join('|');

/** A world with one chat and n links, each with `joins` members. */
function linksWorld(n: number, joins: number): World {
  const links = Array.from({ length: n }, (_, i) => ({ link: `https://t.me/+L${String(i).padStart(9, '0')}`, admin_id: 7000001, date: 1767000000 + i }));
  const users = Array.from({ length: n * joins }, (_, k) => ({ id: 9_000_000 + k, first_name: `U${k}` }));
  return World.fromScenario({
    ...baseScenario(),
    users,
    chats: [
      {
        id: 1700000001, type: 'supergroup', title: 'Links', owner_id: 7000001, admins: [7000001],
        links,
        joins: users.map((u, k) => ({ user_id: u.id, link: links[k % n]!.link, date: 1767100000 + k })),
      },
    ],
  });
}

describe('sync through real GramJS against the sandbox', () => {
  it('a fresh sync equals the scenario (export compared to the world file)', async () => {
    const scenario = generateScenario({ chats: 1, linksPerChat: 12, joins: 1500, pending: 140, seed: 7 });
    w = await startSyncWorld(World.fromScenario(scenario), { maxPageSize: 50 });
    const report = await w.cycle();
    expect(report.chats[0]!.outcome).toBe('ok');
    const chat = scenario.chats![0]!;
    const expected = [
      ...chat.joins!.map((j) => ({ link: j.link ?? '', user_id: String(j.user_id), date: iso(j.date), status: 'joined', approved_by: j.approved_by ? String(j.approved_by) : '', about: '' })),
      ...chat.requests!.map((r) => ({ link: r.link ?? '', user_id: String(r.user_id), date: iso(r.date), status: 'pending', approved_by: '', about: r.about ?? '' })),
    ].map(key);
    const exported = (await exportAll()).map(key);
    expect(exported.sort()).toEqual(expected.sort());
  });

  it('a second cycle with no change costs the admin-log page and one pending page; a full reconcile adds only the link listing', async () => {
    const scenario = generateScenario({ chats: 1, linksPerChat: 30, joins: 800, pending: 60, seed: 3 });
    const world = World.fromScenario(scenario);
    w = await startSyncWorld(world);
    await w.cycle();
    w.calls();
    await w.cycle();
    expect(w.calls()).toEqual({ 'channels.getAdminLog': 1, [IMPORTERS]: 1 });
    await w.engine.runCycle([CHAT], { full: true });
    expect(w.calls()).toEqual({ 'channels.getAdminLog': 1, [ADMINS]: 1, [INVITES]: listingCalls(world, MT_CHAT), [IMPORTERS]: 1 });
  });

  it('records an approval and a decline made between cycles with the right outcome', async () => {
    w = await startSyncWorld(World.fromScenario(baseScenario()));
    await w.cycle();
    // 9000003 asked through the Spring link, 9000002 through the public username.
    w.world.resolveRequest(MT_CHAT, 9000003n, true, SELF);
    w.world.resolveRequest(MT_CHAT, 9000002n, false, SELF);
    await w.cycle();
    const requests = rows(w.store, 'SELECT user_id, status, decided_by FROM join_requests ORDER BY user_id');
    expect(requests).toEqual([
      { user_id: 9000002n, status: 'gone', decided_by: null },
      { user_id: 9000003n, status: 'approved', decided_by: SELF },
    ]);
    const byUser = new Map((await exportAll()).filter((r) => r.status !== 'joined').map((r) => [r.user_id, r.status]));
    expect(byUser).toEqual(new Map([['9000002', 'declined'], ['9000003', 'approved']]));
    expect(outbox(w.store, EventKind.RequestResolved).map((e) => e.outcome).sort()).toEqual(['approved', 'gone']);
  });

  it('records a decline of a request made through a link as declined', async () => {
    w = await startSyncWorld(World.fromScenario(baseScenario()));
    await w.cycle();
    w.world.resolveRequest(MT_CHAT, 9000003n, false, SELF); // asked through the Spring link
    const report = await w.cycle();
    expect(report.chats[0]!.requests).toMatchObject({ declined: 1, approved: 0, gone: 0 });
    expect(rows(w.store, 'SELECT user_id, link, status, decided_by FROM join_requests ORDER BY user_id')).toEqual([
      { user_id: 9000002n, link: null, status: 'pending', decided_by: null },
      { user_id: 9000003n, link: 'https://t.me/+AbCdEf0123', status: 'declined', decided_by: null },
    ]);
    expect(outbox(w.store, EventKind.RequestResolved).map((e) => [e.userId, e.outcome])).toEqual([['9000003', 'declined']]);
    const byUser = new Map((await exportAll()).filter((r) => r.status !== 'joined').map((r) => [r.user_id, r.status]));
    expect(byUser).toEqual(new Map([['9000002', 'pending'], ['9000003', 'declined']]));
  });

  it('3 new joins on one of 50 links page only that link', async () => {
    const world = linksWorld(50, 3);
    w = await startSyncWorld(world);
    await w.cycle();
    w.calls();
    const target = world.links(MT_CHAT)[17]!.link;
    for (let k = 0; k < 3; k++) world.addUser({ id: 9_900_000n + BigInt(k), firstName: `New${k}` });
    for (let k = 0; k < 3; k++) world.addJoin(MT_CHAT, { userId: 9_900_000n + BigInt(k), link: target, date: 1767200000 + k });
    // Joins dated long before the world clock are not in the admin log: the full reconcile finds them.
    const report = await w.engine.runCycle([CHAT], { full: true });
    // The log's page, the listing, that link's one page and the one pending page: nothing else.
    expect(w.calls()).toEqual({ 'channels.getAdminLog': 1, [ADMINS]: 1, [INVITES]: listingCalls(world, MT_CHAT), [IMPORTERS]: 2 });
    const paged = report.chats[0]!.links.filter((l) => l.pages > 0);
    expect(paged.map((l) => [l.link, l.newJoins])).toEqual([[target, 3]]);
    expect(w.store.joins.countByLink(CHAT, target)).toBe(6);
  });

  it('ties of equal dates across page boundaries lose nothing (short pages of 7)', async () => {
    const link = 'https://t.me/+TiesTies0001';
    const users = Array.from({ length: 230 }, (_, k) => ({ id: 9_100_000 + k, first_name: `T${k}` }));
    const world = World.fromScenario({
      ...baseScenario(),
      users,
      chats: [{
        id: 1700000001, type: 'supergroup', title: 'Ties', owner_id: 7000001, admins: [7000001],
        links: [{ link, admin_id: 7000001, date: 1767000000 }],
        // 23 runs of 10 joins sharing one second: every page boundary cuts a run.
        joins: users.map((u, k) => ({ user_id: u.id, link, date: 1767100000 + Math.floor(k / 10) })),
      }],
    });
    w = await startSyncWorld(world, { maxPageSize: 7 });
    await w.cycle();
    expect(rows(w.store, 'SELECT count(*) AS n FROM joins')[0]!.n).toBe(230n);
    for (let k = 0; k < 20; k++) {
      world.addUser({ id: 9_200_000n + BigInt(k), firstName: `N${k}` });
      world.addJoin(MT_CHAT, { userId: 9_200_000n + BigInt(k), link, date: 1767100022 }); // ties with the newest run
    }
    // Dated long before the world clock: no admin-log event; the full reconcile's paging finds them.
    await w.engine.runCycle([CHAT], { full: true });
    expect(rows(w.store, 'SELECT count(*) AS n FROM joins')[0]!.n).toBe(250n);
    // Same second as the newest stored join, smaller user ids: they sort below the high-water mark.
    for (let k = 0; k < 5; k++) {
      world.addUser({ id: 9_050_000n + BigInt(k), firstName: `B${k}` });
      world.addJoin(MT_CHAT, { userId: 9_050_000n + BigInt(k), link, date: 1767100022 });
    }
    const below = await w.engine.runCycle([CHAT], { full: true });
    expect(rows(w.store, 'SELECT count(*) AS n FROM joins')[0]!.n).toBe(255n);
    expect(below.chats[0]!.links[0]!.newJoins).toBe(5);
  });

  it('a long flood wait holds member listings for the whole account; the hold is recorded and respected', async () => {
    const world = linksWorld(3, 2);
    w = await startSyncWorld(world);
    // Importer calls of the first cycle: the pending page, then links 1..3 (one page each).
    w.sb.setFaults({ floodWait: [{ method: IMPORTERS, every: 3, seconds: 3600 }] });
    const before = Math.floor(Date.now() / 1000);
    const report = await w.cycle();
    const actions = report.chats[0]!.links.map((l) => l.action);
    expect(actions.filter((a) => a === 'deferred')).toHaveLength(1);
    expect(actions.filter((a) => a === 'backfill')).toHaveLength(1);
    const [hold] = w.store.syncState.holds(before);
    expect(hold).toMatchObject({ method: IMPORTERS, code: 'FLOOD_WAIT_3600' });
    expect(hold!.until).toBeGreaterThanOrEqual(before + 3600);
    expect(rows(w.store, 'SELECT count(*) AS n FROM joins')[0]!.n).toBe(2n);
    w.calls();
    await w.cycle(); // still held: not even asked, not even for the pending page
    expect(w.calls()[IMPORTERS]).toBeUndefined();
  });

  it('a revoked link keeps its history', async () => {
    const world = linksWorld(2, 4);
    w = await startSyncWorld(world);
    await w.cycle();
    const target = world.links(MT_CHAT)[0]!.link;
    world.revokeLink(target);
    await w.cycle();
    expect(w.store.links.get(CHAT, target)!.revoked).toBe(true);
    expect(w.store.joins.countByLink(CHAT, target)).toBe(4);
    expect(outbox(w.store, EventKind.LinkRevoked).map((e) => e.link)).toEqual([target]);
    const exported = (await exportAll()).filter((r) => r.link === target);
    expect(exported).toHaveLength(4);
  });

  it('a non-owner account sees its own links and records the others as invisible', async () => {
    w = await startSyncWorld(World.fromScenario(baseScenario()));
    const report = await w.cycle(['@news_b']);
    const chat = report.chats[0]!;
    expect(chat.outcome).toBe('ok');
    expect(chat.invisibleLinks).toBe(true);
    const B = -1001700000002n;
    expect(w.store.links.list(B).map((l) => l.link)).toEqual(['https://t.me/+SelfInB01']);
    expect(w.store.chats.notes(B)).toEqual([expect.objectContaining({ kind: 'invisible_links', text: expect.stringMatching(/not the chat's owner/) })]);
    expect(w.calls()[ADMINS]).toBeUndefined();
  });

  it('a revoked session stops the cycle with one event', async () => {
    w = await startSyncWorld(World.fromScenario(baseScenario()));
    await w.cycle();
    w.sb.revokeSessions();
    w.calls();
    const report = await w.engine.runCycle([CHAT, '@news_b']);
    expect(report.sessionRevoked).toBe(true);
    expect(report.chats).toHaveLength(1);
    const again = await w.cycle();
    expect(again.chats).toHaveLength(0);
    expect(outbox(w.store, EventKind.SessionRevoked)).toHaveLength(1);
    expect(w.store.links.list(CHAT)).toHaveLength(2); // the store stays readable
    expect(Object.values(w.calls()).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1);
  });
});
