/**
 * Found by the fault suite (issue 11): a request that arrives while a cycle runs, after the
 * chat-wide first page was read, is written by the cycle's link walk and must not be closed by the
 * same cycle's chat-wide settling, which used to continue from that stale first page and so never
 * saw it (it was recorded declined while still pending on Telegram, and came back later as a new
 * request: announced twice).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { SyncEngine } from '../../src/sync/engine.js';
import { EventKind } from '../../src/sync/events.js';
import { CHAT_ID, FakeSource } from './sync-fake-source.js';

const T0 = 1767225600;
let store: Store;
afterEach(() => store?.close());

describe('pending requests while the cycle runs', () => {
  it('a request arriving after the first page is not closed by the same cycle', async () => {
    store = openStore(':memory:');
    const source = new FakeSource();
    const engine = new SyncEngine({ store, source, now: () => T0 + 10_000, maxCallsPerMinute: 1_000_000 });
    const link = source.addLink({ hash: 'Requests77', date: T0, requestNeeded: true, requested: 1 });
    source.addRequest(link.link, 9_200_001n, T0 + 100);
    let requestCalls = 0;
    source.fault = (call) => {
      // Between the chat-wide first page and the link's walk, someone asks to join.
      if (call.method === 'listRequests' && ++requestCalls === 2) {
        source.addRequest(link.link, 9_200_002n, T0 + 200);
        link.requested = 2;
      }
    };
    await engine.runCycle([CHAT_ID]);
    const rows = store.db.prepare('SELECT user_id, status FROM join_requests ORDER BY user_id').all();
    expect(rows).toEqual([
      { user_id: 9_200_001n, status: 'pending' },
      { user_id: 9_200_002n, status: 'pending' },
    ]);
    expect(store.db.prepare('SELECT count(*) FROM outbox WHERE kind = ?').pluck().get(EventKind.RequestResolved)).toBe(0n);
  });
});
