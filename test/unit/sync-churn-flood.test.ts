/**
 * Issue 8, flood waits and chats that cannot be listed right now: a FLOOD_WAIT holds that method
 * for the whole account (across restarts), and a chat whose links cannot be listed is deferred.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventKind } from '../../src/sync/events.js';
import { SourceError } from '../../src/sync/types.js';
import type { SourceCall } from '../sim/sim-source.js';
import { A, CHAT_A, CHAT_B, SELF, events, harness, linkWithMembers, storedJoins, type Harness } from './sync-world-harness.js';

let h: Harness;
afterEach(() => h?.store.close());

const IMPORTERS = 'messages.getChatInviteImporters';

/** Telegram answers FLOOD_WAIT_<seconds> to the first call `when` picks, and holds that method. */
function floodOnce(when: (call: SourceCall, x: Harness) => boolean, method: string, seconds: number) {
  let done = false;
  return (call: SourceCall, x: Harness): void => {
    if (done || !when(call, x)) return;
    done = true;
    x.source.holds.hold(method, seconds);
    throw new SourceError('FloodWait', `FLOOD_WAIT_${seconds}`, seconds);
  };
}

describe('defect 9: a flood wait holds the method for the whole account', () => {
  it('after FLOOD_WAIT_3600 on one link, no importer call is made until it expires (restart included); other methods go on', async () => {
    h = harness({ beforeCall: floodOnce((c) => c.method === 'listJoins', IMPORTERS, 3600) });
    const links = [linkWithMembers(h, 5), linkWithMembers(h, 5), linkWithMembers(h, 5)];
    h.world.addRequest(A, { userId: h.person(), link: null, date: h.tick() });
    const first = await h.cycle({ chats: [CHAT_A, CHAT_B] });
    expect(h.source.heldCalls).toEqual([]);
    expect(first.chats[0]!.outcome).toBe('partial');
    const importerCalls = () => h.source.calls.filter((c) => c.method === 'listJoins' || c.method === 'listRequests').length;
    const before = importerCalls();
    h.tick(600);
    await h.cycle({ chats: [CHAT_A, CHAT_B] }); // a fresh engine: the hold is in the store
    expect(h.source.heldCalls).toEqual([]);
    expect(importerCalls()).toBe(before);
    expect(h.source.calls.filter((c) => c.method === 'listLinks').length).toBeGreaterThan(2);
    expect(events(h, EventKind.SyncFailed)).toEqual([]);
    h.tick(3001);
    await h.cycle({ chats: [CHAT_A, CHAT_B] });
    for (const link of links) expect(storedJoins(h, CHAT_A, link)).toHaveLength(5);
    expect(h.sql('SELECT count(*) AS n FROM join_requests')[0]).toEqual({ n: 1n });
  });
});

describe('defect 11: a chat whose links cannot be listed right now is deferred, not failed', () => {
  it('a flood wait while listing links defers the chat (no sync.failed), and the next cycle after it syncs it', async () => {
    h = harness({ beforeCall: floodOnce((c) => c.method === 'listLinks', 'messages.getExportedChatInvites', 300) });
    const link = linkWithMembers(h, 4);
    const report = await h.cycle();
    expect(report.chats[0]!.outcome).toBe('deferred');
    expect(events(h, EventKind.SyncFailed)).toEqual([]);
    h.tick(301);
    await h.cycle();
    expect(storedJoins(h, CHAT_A, link)).toHaveLength(4);
  });

  it('an admin whose access hash is unknown defers the chat instead of failing it', async () => {
    let unknown = true;
    h = harness({
      beforeCall: (call) => {
        if (unknown && call.method === 'listLinks') throw new SourceError('PeerInvalid', 'USER_HASH_UNKNOWN');
      },
    });
    linkWithMembers(h, 2, { admin: SELF });
    const report = await h.cycle();
    expect(report.chats[0]!.outcome).toBe('deferred');
    expect(events(h, EventKind.SyncFailed)).toEqual([]);
    unknown = false;
    expect((await h.cycle()).chats[0]!.outcome).toBe('ok');
  });
});
