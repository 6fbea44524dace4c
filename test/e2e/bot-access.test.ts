import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { ADMIN_A, ADMIN_B, B_LINK, BIG_LINK, CHAT_A, CHAT_B, OUTSIDER, startBotWorld, textOf, type BotWorld } from './bot-harness.js';

let w: BotWorld;
beforeAll(async () => {
  w = await startBotWorld();
});
afterAll(async () => {
  await w?.stop();
});

const chatA = Number(botApiChatIdFromChannel(CHAT_A));

describe('access control (real grammY against the sandbox Bot API)', () => {
  it('a non-admin gets a short refusal and no data in private', async () => {
    for (const command of ['/links', `/joiners ${BIG_LINK}`, '/pending', '/whois 9100000', '/sync']) {
      const before = w.server.driver.cursor;
      const reply = await w.say(OUTSIDER, command);
      expect(reply.chat).toBe(Number(OUTSIDER));
      expect(textOf(reply)).toMatch(/^Only admins/);
      // Nothing else arrives for this command.
      await new Promise((r) => setTimeout(r, 150));
      expect(w.sentSince(before)).toHaveLength(1);
    }
  });

  it('a non-admin gets a refusal in a group and nothing is sent to them privately', async () => {
    const before = w.server.driver.cursor;
    const reply = await w.say(OUTSIDER, `/joiners ${BIG_LINK}`, { chat: CHAT_A });
    expect(reply.chat).toBe(chatA);
    expect(textOf(reply)).toBe('Only admins of this chat can use joinwatch here.');
    await new Promise((r) => setTimeout(r, 150));
    const sent = w.sentSince(before);
    expect(sent).toHaveLength(1);
    expect(sent.some((r) => r.chat === Number(OUTSIDER))).toBe(false);
  });

  it('an admin in a group gets the data privately and the group only a pointer', async () => {
    // Telegram lets a bot write first only to users who started it.
    await w.say(ADMIN_A, '/start');
    const before = w.server.driver.cursor;
    await w.say(ADMIN_A, '/links', { chat: CHAT_A, match: (r) => r.chat === chatA });
    await new Promise((r) => setTimeout(r, 150));
    const sent = w.sentSince(before);
    const inGroup = sent.filter((r) => r.chat === chatA);
    const inPrivate = sent.filter((r) => r.chat === Number(ADMIN_A));
    expect(inGroup.map(textOf)).toEqual(['📬 Sent you the answer in a private message.']);
    expect(inPrivate.map(textOf).join('\n')).toContain('Spring <ads>');
  });

  it('an admin who never started the bot gets a deep link in the group, and nothing privately', async () => {
    const chatB = Number(botApiChatIdFromChannel(CHAT_B));
    const before = w.server.driver.cursor;
    const reply = await w.say(ADMIN_B, '/links', { chat: CHAT_B, match: (r) => r.chat === chatB });
    expect(textOf(reply)).toBe('Results go to a private chat. Start me first (https://t.me/joinwatch_bot?start=hello), then send the command again.');
    await new Promise((r) => setTimeout(r, 150));
    expect(w.sentSince(before).map((r) => r.chat)).toEqual([chatB]);
  });

  it('an admin of chat A cannot read chat B by id, by link, or through /whois', async () => {
    const chatB = botApiChatIdFromChannel(CHAT_B).toString();
    const links = await w.say(ADMIN_A, `/links ${chatB}`);
    expect(textOf(links)).toMatch(/^You are not an admin of that chat/);
    const pending = await w.say(ADMIN_A, `/pending ${chatB}`);
    expect(textOf(pending)).toMatch(/^You are not an admin of that chat/);
    // The example is of the command that was sent, not always /links.
    expect(textOf(pending)).toMatch(/Example: \/pending -1001234567890$/);
    expect(textOf(await w.say(ADMIN_A, '/sync junk'))).toMatch(/^You are not an admin of that chat.*Example: \/sync -1001234567890$/);
    expect(textOf(await w.say(ADMIN_A, `/export ${chatB} all`))).toMatch(/^You are not an admin of that chat.*Example: \/export -1001234567890 pending$/);
    const joiners = await w.say(ADMIN_A, `/joiners ${B_LINK}`);
    expect(textOf(joiners)).toContain('has not been seen in your chats yet');
    expect(textOf(joiners)).not.toContain('B only');
    const whois = await w.say(ADMIN_A, '/whois @bea_b');
    expect(textOf(whois)).toContain('No joins or requests');
    expect(textOf(whois)).not.toContain('Secret B');
    // A user known only from chat B looks exactly like a user joinwatch never saw: no name, no name
    // history, nothing that tells A's admin that B's data holds them.
    const unknown = await w.say(ADMIN_A, '/whois @nobody_seen_anywhere');
    expect(textOf(whois)).toBe(textOf(unknown).replace('nobody_seen_anywhere', 'bea_b'));
    const byId = await w.say(ADMIN_A, '/whois 9300001');
    expect(textOf(byId)).toContain('No joins or requests');
    expect(textOf(byId)).not.toMatch(/Bea|bea_b|Secret B/);
    // …while B's admin sees it.
    const own = await w.say(ADMIN_B, '/whois @bea_b');
    expect(textOf(own)).toContain('Secret B');
  });

  it('an admin of A asking in group A about a chat-B link is refused there too', async () => {
    const reply = await w.say(ADMIN_B, `/joiners ${B_LINK}`, { chat: CHAT_A });
    expect(textOf(reply)).toBe('Only admins of this chat can use joinwatch here.');
  });

  it('buttons re-check access: a Next press by a non-admin does nothing', async () => {
    const page = await w.say(ADMIN_A, `/joiners ${BIG_LINK}`);
    const next = (page.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard.flat()[0]!;
    const id = w.server.driver.press({ from: OUTSIDER, messageId: page.message_id, data: next.callback_data });
    await expect.poll(() => w.server.driver.answer(id)).toBeDefined();
    expect(w.server.driver.answer(id)?.text).toMatch(/no longer available/);
  });
});
