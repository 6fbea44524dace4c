/**
 * Live signals through real GramJS: Telegram's pushed `updatePendingJoinRequests` sets the chat's
 * dirty mark in SQLite and a targeted pending sync stores the request within seconds, with no cron
 * cycle; no more than one targeted sync per chat per 10 s; after a reconnect (pushes sent meanwhile
 * are lost) the pending count is checked again. A mark set by another process (the bot) is heard too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startLiveTrigger, type LiveTrigger } from '../../src/sync/live-trigger.js';
import { listenForSignals } from '../../src/telegram/live-signals.js';
import { liveWorld } from './live-sync-world.js';
import { startSyncWorld, type SyncWorld } from './sync-harness.js';
import { until } from '../support/until.js';

let h: SyncWorld | undefined;
let trigger: LiveTrigger | undefined;
afterEach(async () => {
  await trigger?.stop();
  await h?.stop();
  h = trigger = undefined;
});


/** A world on a clock the test moves, synced once (its first, full cycle). */
async function syncedWorld() {
  const { world, mtChat, chatId } = liveWorld({ owner: true });
  const clock = { t: world.now() };
  world.setClock(() => clock.t);
  const started = await startSyncWorld(world, { engine: { now: () => world.now() } });
  h = started;
  await started.cycle([chatId]);
  return { world, mtChat, chatId, clock, h: started };
}

describe('live signals: dirty marks and targeted pending syncs', () => {
  it('a pushed request is stored within seconds, one targeted sync per chat per 10 s, and after a reconnect', async () => {
    const { world, mtChat, chatId, clock, h } = await syncedWorld();
    const checks: number[] = [];
    let inflight: Promise<unknown> = Promise.resolve();
    const engine = {
      sessionRevoked: false,
      checkPending: (c: readonly (string | bigint)[]) => {
        checks.push(clock.t);
        const run = h!.engine.checkPending(c);
        inflight = run;
        return run;
      },
    };
    trigger = startLiveTrigger({ store: h.store, engine, chats: [chatId], signals: listenForSignals(h.client), pollMs: 50, now: () => world.now() });
    // At start every chat is marked (pushes sent while down are lost) and checked once the
    // debounce since the cycle's own check allows.
    expect(h.store.chatLive.get(chatId)?.dirtyAt).toBe(clock.t);
    clock.t += 10;
    await until(() => checks.length === 1 && h!.store.chatLive.get(chatId)?.dirtyAt === null, 5000);
    await h.client.getMe(); // the connection has spoken since the handler was added

    clock.t += 11;
    world.addUser({ id: 9_500_001n, firstName: 'Asker' });
    const link = world.links(mtChat).find((l) => l.requestNeeded)!;
    world.addRequest(mtChat, { userId: 9_500_001n, link: link.link });
    const ms = await until(() => h!.store.requests.pendingOf(chatId, 9_500_001n) !== undefined, 3000);
    expect(ms).toBeLessThan(2000);
    expect(h.store.chatLive.get(chatId)?.pushedAt).toBe(clock.t);
    // Stored at once; the same targeted sync then names its link.
    await inflight;
    expect(h.store.requests.pendingOf(chatId, 9_500_001n)?.link).toBe(link.link);

    // Another within 10 s: marked, not synced until 10 s after the last targeted sync.
    clock.t += 3;
    world.addUser({ id: 9_500_002n, firstName: 'Second' });
    world.addRequest(mtChat, { userId: 9_500_002n, link: null });
    await until(() => h!.store.chatLive.get(chatId)?.dirtyAt === clock.t, 3000);
    await new Promise((r) => setTimeout(r, 400));
    expect(h.store.requests.pendingOf(chatId, 9_500_002n)).toBeUndefined();
    expect(checks).toHaveLength(2);
    clock.t += 8; // 11 s after the last one
    await until(() => h!.store.requests.pendingOf(chatId, 9_500_002n) !== undefined, 3000);
    expect(checks).toHaveLength(3);
    await inflight;

    // Disconnected: no push reaches the client; the reconnect makes every chat be checked.
    await h.client.disconnect();
    clock.t += 20;
    world.addUser({ id: 9_500_003n, firstName: 'Unheard' });
    world.addRequest(mtChat, { userId: 9_500_003n, link: null });
    await new Promise((r) => setTimeout(r, 300));
    expect(h.store.requests.pendingOf(chatId, 9_500_003n)).toBeUndefined();
    await h.client.connect();
    await until(() => h!.store.requests.pendingOf(chatId, 9_500_003n) !== undefined, 5000);
  });

  it("hears a dirty mark another process set (the bot's), within the debounce", async () => {
    const { world, mtChat, chatId, clock, h } = await syncedWorld();
    trigger = startLiveTrigger({ store: h.store, engine: h.engine, chats: [chatId], pollMs: 50, now: () => world.now() });
    clock.t += 10;
    await until(() => h!.store.chatLive.get(chatId)?.dirtyAt === null, 5000);
    clock.t += 30;
    world.addUser({ id: 9_600_001n, firstName: 'Quiet' });
    world.addRequest(mtChat, { userId: 9_600_001n, link: null });
    h.store.chatLive.markDirty(chatId, clock.t);
    await until(() => h!.store.requests.pendingOf(chatId, 9_600_001n) !== undefined, 3000);
  });
});
