/**
 * Issue 11: links of an admin who drops out of `getAdminsWithInvites` — through the sandbox's
 * MTProto server with the real GramJS client and the product's InviteSource. The sync that sees the
 * departure is a new process (a fresh client that never heard of the admin), as after a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { World } from '../../src/sandbox/world.js';
import { baseScenario } from './sandbox-mtproto-fixture.js';
import { CHAT, CO_ADMIN, MT_CHAT, SELF, startSyncWorld, type SyncWorld } from './sync-harness.js';

const THEIRS = 'https://t.me/+CoAdminLink1';
const MINE = 'https://t.me/+SelfLink0001';
let w: SyncWorld | undefined;
let dir: string | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function world(): World {
  const joiners = [9100001, 9100002, 9100003, 9100004];
  return World.fromScenario({
    ...baseScenario(),
    users: [{ id: Number(CO_ADMIN), first_name: 'Co', last_name: 'Admin' }, ...joiners.map((id) => ({ id, first_name: `J${id}` }))],
    chats: [{
      id: Number(MT_CHAT), type: 'supergroup', title: 'Departures', owner_id: Number(SELF), admins: [Number(SELF), Number(CO_ADMIN)],
      links: [
        { link: THEIRS, admin_id: Number(CO_ADMIN), date: 1767000000 },
        { link: MINE, admin_id: Number(SELF), date: 1767000100 },
      ],
      joins: joiners.slice(0, 3).map((id, k) => ({ user_id: id, link: THEIRS, date: 1767100000 + k })),
    }],
  });
}

describe('links of a departed admin, through GramJS', () => {
  it('demoted between two processes: the next one marks the link, keeps its stays, still follows it, and clears the mark on a re-promotion', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jw-departed-'));
    const dbPath = join(dir, 'joinwatch.db');
    const wd = world();
    w = await startSyncWorld(wd, { dbPath });
    expect((await w.cycle()).chats[0]!.outcome).toBe('ok');
    expect(w.store.links.get(CHAT, THEIRS)).toMatchObject({ adminDepartedAt: null, joinsStored: 3 });
    await w.stop();

    wd.setAdmin(MT_CHAT, CO_ADMIN, { admin: false });
    wd.addJoin(MT_CHAT, { userId: 9100004n, link: THEIRS, date: 1767200000 });
    w = await startSyncWorld(wd, { dbPath });
    // The admins are listed at the full reconcile (SYNC_RECONCILE_CRON): the admin log's join, leave
    // and invites filters carry no promotions, so an ordinary cycle does not learn of a demotion.
    const report = await w.cycle([CHAT], { full: true });
    expect(report.chats[0]?.error).toBeUndefined();
    expect(report.chats[0]?.outcome).toBe('ok');
    expect(w.store.links.get(CHAT, THEIRS)).toMatchObject({ adminDepartedAt: expect.any(Number), goneAt: null, revoked: false, joinsStored: 4, usage: 4 });
    expect(w.store.links.get(CHAT, MINE)?.adminDepartedAt).toBeNull();
    expect(w.store.chats.notes(CHAT)).toEqual([]);

    wd.setAdmin(MT_CHAT, CO_ADMIN, { admin: true });
    expect((await w.cycle([CHAT], { full: true })).chats[0]!.outcome).toBe('ok');
    expect(w.store.links.get(CHAT, THEIRS)?.adminDepartedAt).toBeNull();
  });
});
