/**
 * Which cycle a chat gets (live-plan.ts): where the admin log cannot be read the chat falls back to
 * today's cycle (a full reconcile every time) and the store says why; a log that can be read gives
 * the ordinary cycle once a reconcile completed, and the full one again when it is due, forced, or
 * the log was not read for more than 48 hours.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { SyncEngine } from '../../src/sync/engine.js';
import { SourceError, type AdminLogPage } from '../../src/sync/types.js';
import { CHAT_ID, FakeSource } from './sync-fake-source.js';

let store: Store;
afterEach(() => store?.close());
let clock = 1767225600;

class LoggedSource extends FakeSource {
  refuse: string | undefined;
  async readAdminLog(): Promise<AdminLogPage> {
    if (this.refuse) throw new SourceError('NotPermitted', this.refuse);
    return { events: [], users: [], returned: 0 };
  }
}

function setup(source: FakeSource) {
  store = openStore(':memory:');
  source.addLink({ hash: 'PlanLink0001', date: clock - 100 });
  const engine = new SyncEngine({ store, source, now: () => clock, maxCallsPerMinute: 1_000_000 });
  return async (o: { full?: boolean } = {}) => (await engine.runCycle([CHAT_ID], o)).chats[0]!;
}

describe('live plan: ordinary cycle or full reconcile', () => {
  it('falls back to a full cycle every time where the admin log cannot be read, and records why', async () => {
    const source = new LoggedSource();
    source.refuse = 'CHAT_ADMIN_REQUIRED';
    const cycle = setup(source);
    expect((await cycle()).mode).toBe('full');
    expect((await cycle()).mode).toBe('full');
    expect(store.chatLive.get(CHAT_ID)?.logStatus).toBe('CHAT_ADMIN_REQUIRED');
    source.refuse = undefined; // made an admin that may read it: live from the next reconcile on
    expect((await cycle()).mode).toBe('full');
    expect((await cycle()).mode).toBe('ordinary');
  });

  it('a source without an admin log (older fakes) is always synced in full', async () => {
    const cycle = setup(new FakeSource());
    await cycle();
    expect((await cycle()).mode).toBe('full');
    expect(store.chatLive.get(CHAT_ID)?.logStatus).toBe('unsupported');
  });

  it('reconciles again when due, when forced, and after 48 hours without reading the log', async () => {
    const cycle = setup(new LoggedSource());
    await cycle();
    expect((await cycle()).mode).toBe('ordinary');
    store.chatLive.markReconcileDue([CHAT_ID]);
    expect((await cycle()).mode).toBe('full');
    expect((await cycle()).mode).toBe('ordinary');
    expect((await cycle({ full: true })).mode).toBe('full');
    clock += 47 * 3600;
    expect((await cycle()).mode).toBe('ordinary');
    clock += 48 * 3600 + 1;
    expect((await cycle()).mode).toBe('full');
    expect((await cycle()).mode).toBe('ordinary');
  });
});
