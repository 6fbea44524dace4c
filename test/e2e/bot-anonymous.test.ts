/**
 * Issue 11, item 3: an admin who writes as the group (anonymous admin: `from` is
 * GroupAnonymousBot, `sender_chat` the group) is asked to confirm with a button instead of being
 * refused as a non-admin; the press reveals the person, who is then checked like anyone else.
 * Real grammY against the sandbox.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { textsFor } from '../../src/bot/i18n/texts.js';
import { openStore } from '../../src/store/index.js';
import { ADMIN_A, CHAT_A, OUTSIDER, buttons, startBotWorld, textOf, type BotWorld } from './bot-harness.js';

let w: BotWorld;
const group = Number(botApiChatIdFromChannel(CHAT_A));
const plain = (t: string) => t.replace(/[\u2068\u2069]/g, '');

beforeAll(async () => {
  w = await startBotWorld({ store: openStore(join(mkdtempSync(join(tmpdir(), 'jw-anon-')), 'joinwatch.db')) });
  await w.say(ADMIN_A, '/start'); // so the bot may write to them privately
});
afterAll(async () => {
  await w?.stop();
});

async function askAnonymously(text: string) {
  const after = w.server.driver.cursor;
  w.server.driver.message({ from: ADMIN_A, chat: botApiChatIdFromChannel(CHAT_A), text, anonymous: true });
  return w.server.driver.waitForSent((r) => r.chat === group, { after });
}

describe('anonymous group admins', () => {
  it('are asked to confirm with a button, not refused; the group sees no data', async () => {
    const before = w.server.driver.cursor;
    const ask = await askAnonymously('/links');
    expect(textOf(ask)).toBe('You wrote as the group, so Telegram does not tell me which admin you are. Press the button to confirm it is you: the answer then comes to you privately.');
    expect(buttons(ask).map((b) => b.text)).toEqual(["✋ It's me: confirm"]);
    await new Promise((r) => setTimeout(r, 150));
    expect(w.sentSince(before).map((r) => r.chat)).toEqual([group]);
  });

  it('a member who is not an admin pressing it is refused, and nothing runs', async () => {
    const ask = await askAnonymously('/pending');
    const before = w.server.driver.cursor;
    const id = w.server.driver.press({ from: OUTSIDER, messageId: ask.message_id, data: buttons(ask)[0]!.data });
    await expect.poll(() => w.server.driver.answer(id)).toBeDefined();
    expect(w.server.driver.answer(id)).toMatchObject({ text: 'Only admins of this chat can use joinwatch here.', show_alert: true });
    await new Promise((r) => setTimeout(r, 150));
    expect(w.sentSince(before)).toEqual([]);
  });

  it('the admin pressing it (after a restart, too) gets the answer privately, checked as themselves; the group only a pointer', async () => {
    const ask = await askAnonymously('/links');
    await w.restart();
    const before = w.server.driver.cursor;
    const id = w.server.driver.press({ from: ADMIN_A, messageId: ask.message_id, data: buttons(ask)[0]!.data });
    const answer = await w.server.driver.waitForSent((r) => r.chat === Number(ADMIN_A), { after: before });
    expect(plain(textOf(answer))).toMatch(/^2 invite links of Rust <Learners> & Co/);
    expect(w.server.driver.answer(id)?.text).toBe('Confirmed: the answer comes to you privately.');
    await w.server.driver.waitForSent((r) => r.chat === group && textOf(r) === '📬 Sent you the answer in a private message.', { after: before });
    const closed = w.server.driver.sent(before).find((r) => r.message_id === ask.message_id)!;
    expect(textOf(closed)).toBe('An admin confirmed; the answer went to them privately.');
    expect(buttons(closed)).toEqual([]);
    // The question is answered: its button (if anyone kept it) does nothing more.
    const again = w.server.driver.press({ from: ADMIN_A, messageId: ask.message_id, data: buttons(ask)[0]!.data, forged: true });
    await expect.poll(() => w.server.driver.answer(again)).toBeDefined();
    expect(w.server.driver.answer(again)?.text).toBe('This question has expired; send the command again.');
  });

  it('speak in the group the language chosen there (/language), and to the presser in their own', async () => {
    const ru = textsFor('ru');
    w.store.settings.chooseLanguage(BigInt(group), 'ru');
    try {
      const ask = await askAnonymously('/links');
      expect(textOf(ask)).toBe(ru.t('anonymous-ask'));
      expect(buttons(ask).map((b) => b.text)).toEqual([ru.t('anonymous-button')]);
      const before = w.server.driver.cursor;
      const id = w.server.driver.press({ from: ADMIN_A, messageId: ask.message_id, data: buttons(ask)[0]!.data });
      await w.server.driver.waitForSent((r) => r.message_id === ask.message_id && textOf(r) === ru.t('anonymous-done'), { after: before });
      expect(w.server.driver.answer(id)?.text).toBe('Confirmed: the answer comes to you privately.');
      await w.server.driver.waitForSent((r) => r.chat === group && textOf(r).startsWith('📬'), { after: before });
    } finally {
      w.store.settings.chooseLanguage(BigInt(group), null);
    }
  });

  it('/start and /help need no confirmation; commands for other bots are left alone', async () => {
    const after = w.server.driver.cursor;
    w.server.driver.message({ from: ADMIN_A, chat: botApiChatIdFromChannel(CHAT_A), text: '/links@some_other_bot', anonymous: true });
    const help = await askAnonymously('/help');
    expect(textOf(help)).toMatch(/^joinwatch shows chat admins/);
    expect(w.sentSince(after)).toHaveLength(1);
  });
});
