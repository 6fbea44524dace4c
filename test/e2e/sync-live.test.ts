/**
 * The live sync through real GramJS against the sandbox: after a first (full) cycle, random
 * activity is learnt from the admin log and one pending check per ordinary cycle, and the store
 * equals the world — for the owner, and for a non-owner (other admins' joiners under the links'
 * visible starts). A restart after 3 hours catches up from the log alone; after 50 hours the log
 * has forgotten, so the chat gets the full reconcile and still equals the world.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSyncWorld, type SyncWorld } from './sync-harness.js';
import { compareRequests, compareStays, liveWorld, randomActivity, SELF, START } from './live-sync-world.js';

let h: SyncWorld | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('live sync: the admin log and one pending check per ordinary cycle', () => {
  for (const owner of [true, false]) {
    it(`leaves the store equal to the world after random activity (${owner ? 'owner' : 'non-owner'})`, async () => {
      const { world, mtChat, chatId } = liveWorld({ owner });
      h = await startSyncWorld(world, { engine: { now: () => world.now() } });
      const first = await h.cycle([chatId]);
      expect(first.chats[0]).toMatchObject({ outcome: 'ok', mode: 'full' });
      for (let round = 0; round < 12; round++) {
        randomActivity(world, mtChat, { seed: 11 + round * 7 + (owner ? 0 : 1000), steps: 15, firstUser: 9_000_000n + BigInt(round) * 1000n });
        h.calls();
        const report = await h.cycle([chatId]);
        expect(report.chats[0]?.mode).toBe('ordinary');
        expect(report.chats[0]?.outcome).toBe('ok');
        // Never a member page: joins come from the log.
        expect(report.chats[0]!.links.every((l) => l.pages === 0)).toBe(true);
        expect(h.calls()['channels.getAdminLog']).toBe(1);
      }
      expect(compareStays(world, h.store, mtChat, SELF, START, { exactLeaves: true })).toEqual({ missing: [], extra: [] });
      const requests = compareRequests(world, h.store, mtChat, SELF, START);
      expect(requests).toMatchObject({ missing: [], extra: [] });
      expect(requests.decidedSeen).toBeGreaterThan(5);
    });
  }

  it('an idle chat costs two calls per ordinary cycle: its admin-log page and one pending page', async () => {
    const { world, chatId } = liveWorld({ owner: true });
    h = await startSyncWorld(world, { engine: { now: () => world.now() } });
    await h.cycle([chatId]);
    h.calls();
    const report = await h.cycle([chatId]);
    expect(report.chats[0]?.mode).toBe('ordinary');
    expect(h.calls()).toEqual({ 'channels.getAdminLog': 1, 'messages.getChatInviteImporters': 1 });
  });
});

describe('live sync: restarts', () => {
  it('after 3 hours down, catches up exactly from the admin log; after 50 hours, reconciles fully and still equals the world', async () => {
    const { world, mtChat, chatId } = liveWorld({ owner: true });
    h = await startSyncWorld(world, { engine: { now: () => world.now() } });
    await h.cycle([chatId]);
    randomActivity(world, mtChat, { seed: 5, steps: 40, firstUser: 9_100_000n });
    await h.cycle([chatId]);
    const db = h.store;
    // "Down": a new engine and GramJS client over the same store, after 3 hours of activity.
    randomActivity(world, mtChat, { seed: 6, steps: 100, spacing: 108, firstUser: 9_200_000n });
    const restarted = await startSyncWorldOver(world, db);
    const back = await restarted.cycle([chatId]);
    expect(back.chats[0]).toMatchObject({ mode: 'ordinary', outcome: 'ok' });
    expect(compareStays(world, db, mtChat, SELF, START, { exactLeaves: true })).toEqual({ missing: [], extra: [] });
    expect(compareRequests(world, db, mtChat, SELF, START)).toMatchObject({ missing: [], extra: [] });
    // 50 hours down: what happened in the first two is out of the log's window.
    const before = new Set(world.importers(mtChat, { requested: false, offsetDate: 0, offsetUser: 0n, limit: 1e9 }).rows.map((r) => r.userId));
    randomActivity(world, mtChat, { seed: 7, steps: 60, spacing: 100, firstUser: 9_300_000n, leavesOnlyOf: before });
    const t = world.now() + 50 * 3600;
    world.setClock(() => t);
    const late = await restarted.cycle([chatId]);
    expect(late.chats[0]).toMatchObject({ mode: 'full', outcome: 'ok' });
    expect(compareStays(world, db, mtChat, SELF, START, { exactLeaves: false })).toEqual({ missing: [], extra: [] });
    expect(compareRequests(world, db, mtChat, SELF, START, { logGap: true })).toMatchObject({ missing: [], extra: [] });
    await restarted.stopClient();
  });
});

/** A second engine and GramJS client on the running sandbox and the same store: a restarted process. */
async function startSyncWorldOver(world: import('../../src/sandbox/world.js').World, store: import('../../src/store/index.js').Store) {
  const { createTelegramClient } = await import('../../src/telegram/client.js');
  const { GramJsInviteSource } = await import('../../src/telegram/invite-source.js');
  const { SyncEngine } = await import('../../src/sync/engine.js');
  const client = createTelegramClient({ apiId: h!.sb.apiId, apiHash: h!.sb.apiHash, session: h!.sb.session, server: h!.sb.mtproto });
  await client.connect();
  const engine = new SyncEngine({ store, source: new GramJsInviteSource(client), maxCallsPerMinute: 1_000_000, now: () => world.now() });
  return { cycle: (chats: bigint[]) => engine.runCycle(chats), stopClient: () => client.destroy() };
}
