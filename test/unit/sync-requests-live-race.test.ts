/**
 * Found by the fault suite (seed 635463768, split: the bot and the sync as two processes on one
 * database): a request the bot stores live while the sync reads the chat-wide pending list — after
 * Telegram served the page it would be on — is not on the list the sync read, yet is in the store
 * when the sync closes what the list no longer shows. It used to be closed there ('gone', then
 * settled 'declined': the admins told so), and since a decided request never comes back, every
 * later listing showing it pending was ignored: lost from the export for good. Only what the store
 * held before the list was read can have vanished from it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventKind } from '../../src/sync/events.js';
import { A, CHAT_A, SELF, events, harness, requestRows, type Harness } from './sync-world-harness.js';

let h: Harness;
afterEach(() => h?.store.close());

/** What bot/features/live.ts does with a `chat_join_request`: the user, then the request, in one transaction. */
function botStoresLive(x: Harness, userId: bigint, date: number, link: string, now: number): void {
  x.store.tx(() => {
    x.store.users.upsertMany([{ id: userId, accessHash: null, firstName: `P${userId}`, lastName: '', username: null }], now);
    expect(x.store.live.request(CHAT_A, { userId, date, link: { shown: link }, source: 'bot' }, now).outcome).toBe('new');
  });
}

describe('a request the bot stores while the sync reads the pending list', () => {
  // The harness's clock moves a second with every call: the page is answered a second after it was asked for.
  it.each([
    ['a second after the page was answered', (x: Harness) => x.tick()],
    ['in the very second the list was asked for (the fault run: asked, stored, closed in one second)', (x: Harness) => x.clock.now - 1],
  ])('stays pending when it arrives %s: the list read before it cannot show it vanished', async (_when, second) => {
    let asker: bigint | undefined;
    let arrived = false;
    h = harness({
      onListing: (l, x) => {
        // Telegram answered the chat-wide list; the person asks now, the bot stores it at once.
        if (asker !== undefined && !arrived && l.kind === 'requests' && l.link === undefined) {
          arrived = true;
          const date = second(x);
          x.world.addRequest(A, { userId: asker, link, date });
          botStoresLive(x, asker, date, link, date);
        }
      },
    });
    const link = h.world.createLink(A, { adminId: SELF, requestNeeded: true, date: h.tick() }).link;
    const earlier = h.person();
    h.world.addRequest(A, { userId: earlier, link, date: h.tick() });
    await h.cycle();
    asker = h.person();
    h.tick(60);
    await h.cycle();
    expect(arrived).toBe(true);
    const mine = () => requestRows(h).filter((r) => r.user_id === asker);
    expect(mine()).toEqual([expect.objectContaining({ link, status: 'pending' })]);
    expect(events(h, EventKind.RequestResolved).filter((e) => e.userId === String(asker))).toEqual([]);
    // The next cycles see it pending on Telegram, as it is: still one pending request.
    h.tick(60);
    await h.cycle();
    await h.cycle();
    expect(mine()).toEqual([expect.objectContaining({ link, status: 'pending' })]);
    expect(requestRows(h).filter((r) => r.status === 'pending').map((r) => r.user_id).sort()).toEqual([earlier, asker].sort());
  });
});
