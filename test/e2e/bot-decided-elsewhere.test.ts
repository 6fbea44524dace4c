/**
 * Issue 9, defect 10 (the bot's side): a request handled elsewhere was stored as `gone` with no
 * decider for good, so /stats counted an approval made in the Telegram app as "withdrawn". When
 * Telegram answers HIDE_REQUESTER_MISSING the bot now asks whether the person is a member: an
 * approval is recorded as one (by someone else), and the views and statistics say so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { ADMIN_A, CHAT_A, SELF, buttons, startBotWorld, textOf, type BotWorld } from './bot-harness.js';

const chatA = botApiChatIdFromChannel(CHAT_A);
const plain = (t: string) => t.replace(/[\u2068\u2069]/g, '');
let w: BotWorld | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

async function pressApprove(world: BotWorld, query: string): Promise<string> {
  const list = await world.say(ADMIN_A, `/pending ${query}`);
  const redrawn = await world.press(ADMIN_A, list, buttons(list).find((b) => b.text.startsWith('✅'))!.data, (r) => r.message_id === list.message_id);
  return plain(textOf(redrawn));
}

describe('a request decided elsewhere', () => {
  it('approved in the Telegram app: recorded as approved (by someone else), counted as an approval', async () => {
    w = await startBotWorld();
    w.world.resolveRequest(CHAT_A, 9_200_005n, true, SELF); // another admin, in the app
    const status = await pressApprove(w, 'Req5');
    expect(status).toMatch(/^⚠️ Req5 was not approved: already approved by someone else\./);
    expect(w.store.whois(9_200_005n, [chatA]).requests[0]).toMatchObject({ status: 'approved', decidedBy: null });
    const whois = plain(textOf(await w.say(ADMIN_A, '/whois 9200005')));
    expect(whois).toMatch(/approved elsewhere/);
    const stats = await w.say(ADMIN_A, '/stats 7', { match: (r) => r.file?.kind === 'photo', timeoutMs: 30_000 });
    expect(plain(textOf(stats))).toContain('(1 approved, 0 declined, 0 withdrawn or declined elsewhere)');
  });

  it('declined or withdrawn elsewhere: recorded as gone, not as an approval', async () => {
    w = await startBotWorld();
    w.world.resolveRequest(CHAT_A, 9_200_006n, false, SELF);
    const status = await pressApprove(w, 'Req6');
    expect(status).toMatch(/^⚠️ Req6 was not approved: already declined by another admin or withdrawn by the user/);
    expect(w.store.whois(9_200_006n, [chatA]).requests[0]).toMatchObject({ status: 'gone', decidedBy: null });
  });
});
