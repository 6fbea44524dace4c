/**
 * The sync's pending checks with the bot as a second writer: requests the bot stored (late,
 * out of order) between the sync's own listings must not fool a check into "nothing changed",
 * nor be closed by a listing that began before they were asked. Found by the model check with the
 * bot as a source (npm run test:sim -- --bot, seeds 10 and 92).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { A, CHAT_A, CO_ADMIN, SELF, harness, requestRows, type Harness } from './sync-world-harness.js';

let h: Harness;
afterEach(() => h?.store.close());

const askLink = () => h.world.createLink(A, { adminId: SELF, requestNeeded: true, date: h.tick() }).link;
/** A request in the world; `bot`: the bot's chat_join_request for it is stored now. */
function ask(link: string, o: { bot: boolean }): bigint {
  const id = h.person();
  const date = h.tick();
  h.world.addRequest(A, { userId: id, link, date });
  if (o.bot) {
    h.store.tx(() => {
      h.store.users.upsertMany([{ id, accessHash: null, username: null, firstName: `P${id}`, lastName: '' }], h.clock.now);
      h.store.live.request(CHAT_A, { userId: id, date, link: { shown: link }, source: 'bot' }, h.clock.now);
    });
  }
  return id;
}
const statusOf = (id: bigint) => requestRows(h).filter((r) => r.user_id === id).map((r) => r.status);

describe('the ordinary pending check with requests the bot stored', () => {
  it('a late bot update and a decision elsewhere that balance the count below the first page: the check reconciles', async () => {
    h = harness({ pageCap: 5, adminLog: true });
    const link = askLink();
    ask(link, { bot: false });
    expect((await h.cycle()).chats[0]?.outcome).toBe('ok'); // the first cycle: the full reconcile
    const late = ask(link, { bot: false }); // its chat_join_request has not reached the bot yet
    const declined = ask(link, { bot: true });
    for (let i = 0; i < 5; i++) ask(link, { bot: true }); // the first page: all stored
    h.world.resolveRequest(A, declined, false, CO_ADMIN, h.tick());
    h.tick(30);
    await h.cycle();
    expect(statusOf(declined)).not.toEqual(['pending']);
    expect(statusOf(late)).toEqual(['pending']);
  });
});

describe('the whole pending list with requests the bot stored', () => {
  it('a request the bot stored while the list was read, newer than it, stays pending', async () => {
    let link = '';
    let asked: bigint | undefined;
    let listCalls = 0;
    h = harness({
      pageCap: 5,
      beforeCall: (call) => {
        if (call.method === 'listRequests' && call.link === undefined && ++listCalls === 2) asked = ask(link, { bot: true });
      },
    });
    link = askLink();
    for (let i = 0; i < 8; i++) ask(link, { bot: false });
    await h.cycle();
    expect(asked).toBeDefined();
    expect(statusOf(asked!)).toEqual(['pending']);
  });

  it("a request the bot stored while the first page was asked for counts as one Telegram added, so a decision elsewhere cannot hide behind it", async () => {
    let link = '';
    let asked: bigint | undefined;
    let armed = false;
    h = harness({
      pageCap: 5,
      beforeCall: (call) => {
        if (armed && call.method === 'listRequests' && call.link === undefined) {
          armed = false;
          asked = ask(link, { bot: true });
        }
      },
    });
    link = askLink();
    const old = Array.from({ length: 8 }, () => ask(link, { bot: false }));
    await h.cycle();
    const declined = old[2]!; // below the first page and the pending mark
    h.world.resolveRequest(A, declined, false, CO_ADMIN, h.tick());
    h.tick(30);
    armed = true;
    await h.cycle();
    expect(asked).toBeDefined();
    expect(statusOf(asked!)).toEqual(['pending']);
    expect(statusOf(declined)).not.toEqual(['pending']);
  });
});
