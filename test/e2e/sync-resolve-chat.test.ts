/**
 * Issue 8, defect 11: finding a private chat through real GramJS. The account is in 650 chats
 * whose top messages share one date: the dialogs are paged by their whole offset and as far as
 * needed, every call is charged to the cycle's budget, the access hash found is stored, and the
 * next process uses it (one channels.getChannels, no search).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { World } from '../../src/sandbox/world.js';
import { CHAT, MT_CHAT, SELF, startSyncWorld, type SyncWorld } from './sync-harness.js';
import { GramJsInviteSource } from '../../src/telegram/invite-source.js';
import { SyncEngine } from '../../src/sync/engine.js';

let w: SyncWorld | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

function manyChats(): World {
  const world = World.fromScenario({
    self: { id: Number(SELF), first_name: 'Moderator' },
    bot: { id: 8000001, first_name: 'Joinwatch' },
    users: [{ id: 9000001, first_name: 'Ann' }],
    chats: [],
  });
  // Higher ids sort first among equal dates: the watched chat, with the lowest id, comes last.
  for (let i = 1; i <= 650; i++) world.addChat({ id: MT_CHAT + BigInt(i), type: 'supergroup', title: `Other ${i}`, ownerId: SELF, admins: [SELF] });
  world.addChat({ id: MT_CHAT, type: 'supergroup', title: 'Watched', ownerId: SELF, admins: [SELF] });
  const link = world.createLink(MT_CHAT, { adminId: SELF, date: 1767225600 }).link;
  world.addJoin(MT_CHAT, { userId: 9000001n, link, date: 1767226000 });
  return world;
}

describe('resolving a chat by id (defect 11)', () => {
  it('pages every dialog page needed, charges each to the budget, stores the access hash, and the next process needs no search', async () => {
    w = await startSyncWorld(manyChats());
    const report = await w.cycle();
    expect(report.chats[0]!.outcome).toBe('ok');
    const calls = w.calls();
    expect(calls['messages.getDialogs']).toBe(7);
    expect(report.chats[0]!.calls).toBe(Object.values(calls).reduce((a, b) => a + b, 0) - (calls['users.getUsers'] ?? 0));
    expect(w.store.chats.get(CHAT)!.accessHash).toBe(w.world.chat(MT_CHAT)!.accessHash);
    // A new process: a fresh adapter that has seen nothing, the same store.
    const next = new SyncEngine({ store: w.store, source: new GramJsInviteSource(w.client), maxCallsPerMinute: 1_000_000 });
    expect((await next.runCycle([CHAT])).chats[0]!.outcome).toBe('ok');
    const again = w.calls();
    expect(again['messages.getDialogs']).toBeUndefined();
    expect(again['channels.getChannels']).toBe(1);
  });

  it('a budget smaller than the search defers the chat instead of searching outside it', async () => {
    w = await startSyncWorld(manyChats(), { engine: { maxCallsPerCycle: 3 } });
    const report = await w.cycle();
    expect(report.chats[0]!.outcome).toBe('partial');
    expect(w.calls()['messages.getDialogs']).toBe(3);
  });
});
