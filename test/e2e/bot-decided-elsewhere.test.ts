/**
 * Issue 9, defect 10 (the bot's side): a request handled elsewhere was stored as `gone` with no
 * decider for good, so /stats counted an approval made in the Telegram app as "withdrawn". When
 * Telegram answers HIDE_REQUESTER_MISSING the bot now asks whether the person is a member: an
 * approval is recorded as one (by someone else), and the views and statistics say so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { ADMIN_A, CHAT_A, SELF, T0, buttons, startBotWorld, textOf, type BotWorld } from './bot-harness.js';

const chatA = botApiChatIdFromChannel(CHAT_A);
const plain = (t: string) => t.replace(/[\u2068\u2069]/g, '');
let w: BotWorld | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

/** The admin opens /pending, the request is decided elsewhere (`decide`), then the admin presses Approve. */
async function pressApprove(world: BotWorld, query: string, decide: () => Promise<void>): Promise<string> {
  const list = await world.say(ADMIN_A, `/pending ${query}`);
  await decide();
  const redrawn = await world.press(ADMIN_A, list, buttons(list).find((b) => b.text.startsWith('✅'))!.data, (r) => r.message_id === list.message_id);
  return plain(textOf(redrawn));
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

describe('a request decided elsewhere', () => {
  it('approved in the Telegram app: the join (chat_member) records the approval and its approver; a late press says so', async () => {
    w = await startBotWorld();
    const world = w;
    const status = await pressApprove(w, 'Req5', async () => {
      world.world.resolveRequest(CHAT_A, 9_200_005n, true, SELF); // another admin, in the app
      await until(() => world.store.requests.pendingOf(chatA, 9_200_005n) === undefined);
    });
    expect(status).toMatch(/^⚠️ Req5 was not approved: already approved by someone else\./);
    expect(w.store.whois(9_200_005n, [chatA]).requests[0]).toMatchObject({ status: 'approved', decidedBy: SELF });
    const stats = await w.say(ADMIN_A, '/stats 7', { match: (r) => r.file?.kind === 'photo', timeoutMs: 30_000 });
    expect(plain(textOf(stats))).toContain('(1 approved, 0 declined, 0 withdrawn or declined elsewhere)');
  });

  it('approved in the Telegram app, the join unheard: recorded as approved (by someone else) when Telegram refuses the press', async () => {
    w = await startBotWorld();
    const world = w;
    const status = await pressApprove(w, 'Req7', async () => {
      // A join dated over 24 h ago: the Bot API no longer sends its update.
      world.world.resolveRequest(CHAT_A, 9_200_007n, true, SELF, T0 + 10_000 - 2 * 86_400);
    });
    expect(status).toMatch(/^⚠️ Req7 was not approved: already approved by someone else\./);
    expect(w.store.whois(9_200_007n, [chatA]).requests[0]).toMatchObject({ status: 'approved', decidedBy: null });
    const whois = plain(textOf(await w.say(ADMIN_A, '/whois 9200007')));
    expect(whois).toMatch(/approved elsewhere/);
  });

  it('declined or withdrawn elsewhere: recorded as gone, not as an approval', async () => {
    w = await startBotWorld();
    const world = w;
    const status = await pressApprove(w, 'Req6', async () => world.world.resolveRequest(CHAT_A, 9_200_006n, false, SELF));
    expect(status).toMatch(/^⚠️ Req6 was not approved: already declined by another admin or withdrawn by the user/);
    expect(w.store.whois(9_200_006n, [chatA]).requests[0]).toMatchObject({ status: 'gone', decidedBy: null });
  });
});
