/**
 * Issue 11, item 4 (second half): a server that forgets the session's auth key in the middle of a
 * cycle (it answers the transport error -404, and GramJS only logs "Broken authorization key" and
 * leaves every call pending) is recognised at the first call: one session.revoked event, the cycle
 * ends at once instead of each call waiting out the 60 s call timeout, and no call is made after.
 * Real GramJS against the sandbox's `forgetKeysAfter` fault.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateWorld } from '../../src/sandbox/generate-scenario.js';
import { outbox, startSyncWorld, type SyncWorld } from './sync-harness.js';

let sw: SyncWorld | undefined;
afterEach(async () => {
  await sw?.stop();
  sw = undefined;
});

describe('a server that forgets the key mid-run', () => {
  it('is one SessionRevoked event at the first call after, with no per-call timeouts', async () => {
    const world = generateWorld({ seed: 3, chats: 1, linksPerChat: 3, joins: 600, pending: 30 });
    sw = await startSyncWorld(world, { maxPageSize: 20 });
    sw.sb.setFaults({ forgetKeysAfter: 6 });
    const chat = `-100${world.chats()[0]!.id}`;
    const started = Date.now();
    const report = await sw.cycle([chat]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(report.sessionRevoked).toBe(true);
    expect(report.chats[0]?.failure).toEqual({ kind: 'SessionRevoked', code: 'AUTH_KEY_UNKNOWN' });
    expect(outbox(sw.store, 'session.revoked')).toEqual([{ code: 'AUTH_KEY_UNKNOWN' }]);
    expect(outbox(sw.store, 'sync.failed')).toEqual([]);
    // What was written before the key was lost stays; nothing more is asked of the server.
    sw.calls();
    const again = await sw.cycle([chat]);
    expect(again.calls).toBe(0);
    expect(sw.calls()).toEqual({});
    expect(outbox(sw.store, 'session.revoked')).toHaveLength(1);
  });
});
