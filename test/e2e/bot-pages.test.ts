/**
 * Issue 9, defect 4: names and bios chosen by requesters (full of `&` and `<`, which HTML escaping
 * makes five times longer) must not split a page over several messages, and a button must decide
 * the person it names, before and after redraws. Also /joiners paging: Next continues exactly where
 * the page ended. Real grammY against the sandbox Bot API, for an admin in each language (pages are
 * sized by the rendered text, and Russian lines are longer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { LOCALES, type Locale } from '../../src/bot/i18n/locale.js';
import { textsFor } from '../../src/bot/i18n/texts.js';
import { ADMIN_A, BIG_LINK, CHAT_A, buttons, scenario, startBotWorld, textOf, type BotWorld } from './bot-harness.js';
import type { SentRecord } from '../../src/sandbox/botapi/state.js';

const chatA = botApiChatIdFromChannel(CHAT_A);
const plain = (t: string) => t.replace(/[\u2068\u2069]/g, '');
const AMP = '&'.repeat(50);

/** Requesters named "&&&… host_N" with bios of "&<&<…", joiners named "&&&… jN". */
function hostileScenario(locale: Locale): Record<string, unknown> {
  const s = scenario({ joiners: 120, pending: 40 });
  const users = s.users as { id: number; first_name: string; language_code?: string }[];
  for (const u of users) {
    if (BigInt(u.id) === ADMIN_A) u.language_code = locale;
    if (u.id >= 9_200_000 && u.id < 9_300_000) u.first_name = `${AMP} host_${u.id - 9_200_000}`;
    if (u.id >= 9_100_000 && u.id < 9_200_000) u.first_name = `${AMP} j${u.id - 9_100_000}`;
  }
  const chat = (s.chats as { requests: { about: string | null }[] }[])[0]!;
  for (const r of chat.requests) r.about = '&<'.repeat(70);
  return s;
}

let w: BotWorld;

/** Everything the bot sent for one command, after it settled. */
async function answerOf(text: string): Promise<SentRecord[]> {
  const after = w.server.driver.cursor;
  await w.say(ADMIN_A, text);
  await new Promise((r) => setTimeout(r, 300));
  return w.sentSince(after);
}

/** Row numbers and names in a /pending page: "4. &&&… host_6 …" → [4, 6]. */
function rowsOf(text: string): [number, number][] {
  return [...plain(text).matchAll(/^(\d+)\. &+ host_(\d+)/gm)].map((m) => [Number(m[1]), Number(m[2])]);
}

describe.each(LOCALES)('pages sized by what Telegram renders, for an admin reading %s', (locale) => {
  const tx = textsFor(locale);
  beforeAll(async () => {
    w = await startBotWorld({ scenario: hostileScenario(locale) });
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('a /pending page of hostile names and bios is one message, under 4096 rendered characters', async () => {
    const sent = await answerOf('/pending');
    expect(sent).toHaveLength(1);
    expect(textOf(sent[0]!).length).toBeLessThanOrEqual(4096);
    expect(rowsOf(textOf(sent[0]!)).length).toBeGreaterThan(0);
  });

  it('each ✅ names the person it decides, and pressing it decides exactly that person, also after redraws', async () => {
    const [list] = await answerOf('/pending');
    let message = list!;
    for (let round = 0; round < 4; round++) {
      const rows = rowsOf(textOf(message));
      const pick = rows[Math.min(3, rows.length - 1)]!;
      const [number, host] = pick;
      const approve = buttons(message).find((b) => b.text.startsWith('✅') && new RegExp(`\\bhost_${host}\\b`).test(b.text));
      expect(approve, `no ✅ naming host_${host} among ${buttons(message).map((b) => b.text).join(' | ')}`).toBeDefined();
      expect(approve!.text).toContain(`${number}.`);
      const after = w.server.driver.cursor;
      w.server.driver.press({ from: ADMIN_A, messageId: message.message_id, data: approve!.data });
      message = await w.server.driver.waitForSent((r) => r.message_id === message.message_id, { after, timeoutMs: 10_000 });
      // Exactly that person was approved, nobody else.
      expect(w.world.pendingRequest(CHAT_A, 9_200_000n + BigInt(host))).toBeUndefined();
      expect(w.store.whois(9_200_000n + BigInt(host), [chatA]).requests[0]).toMatchObject({ status: 'approved', decidedBy: ADMIN_A });
      // The redraw is one consistent message: the numbers in the text are those on the buttons.
      expect(w.sentSince(after).filter((r) => r.message_id !== message.message_id)).toEqual([]);
      expect(textOf(message).length).toBeLessThanOrEqual(4096);
      for (const [n, h] of rowsOf(textOf(message))) {
        const b = buttons(message).find((x) => x.text.startsWith('✅') && new RegExp(`\\bhost_${h}\\b`).test(x.text));
        expect(b?.text).toContain(`${n}.`);
      }
    }
    expect(w.world.pendingCount(CHAT_A)).toBe(36);
  });

  it('/joiners pages fit one message and Next/Prev continue exactly where the page ended', async () => {
    const [first] = await answerOf(`/joiners ${BIG_LINK}`);
    expect(w.sentSince(first!.seq - 1).filter((r) => r.message_id !== first!.message_id)).toEqual([]);
    const seen: number[] = [];
    const numbers: number[] = [];
    let message = first!;
    for (;;) {
      expect(textOf(message).length).toBeLessThanOrEqual(4096);
      for (const m of plain(textOf(message)).matchAll(/^(\d+)\. &+ j(\d+)/gm)) {
        numbers.push(Number(m[1]));
        seen.push(Number(m[2]));
      }
      const next = buttons(message).find((b) => b.text === tx.t('button-next'));
      if (!next) break;
      const after = w.server.driver.cursor;
      w.server.driver.press({ from: ADMIN_A, messageId: message.message_id, data: next.data });
      message = await w.server.driver.waitForSent((r) => r.message_id === message.message_id, { after, timeoutMs: 10_000 });
    }
    // Every joiner once, newest first, numbered 1..120 without a gap or a jump.
    expect(numbers).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    const expected = w.world.importers(CHAT_A, { link: BIG_LINK, requested: false, offsetDate: 0, offsetUser: 0n, limit: 1000 }).rows.map((r) => Number(r.userId) - 9_100_000);
    expect(seen).toEqual(expected);
    // Prev goes back to the same rows with the same numbers.
    const prev = buttons(message).find((b) => b.text === tx.t('button-prev'))!;
    const lastNumbers = [...plain(textOf(message)).matchAll(/^(\d+)\. /gm)].map((m) => Number(m[1]));
    const after = w.server.driver.cursor;
    w.server.driver.press({ from: ADMIN_A, messageId: message.message_id, data: prev.data });
    const back = await w.server.driver.waitForSent((r) => r.message_id === message.message_id, { after, timeoutMs: 10_000 });
    const backNumbers = [...plain(textOf(back)).matchAll(/^(\d+)\. /gm)].map((m) => Number(m[1]));
    expect(backNumbers.at(-1)).toBe(lastNumbers[0]! - 1);
  });
});
