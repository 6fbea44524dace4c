/**
 * Issue 11, item 1, for the bot: every button keeps working after a restart for as long as its
 * data exists (a /pending list's pages, approve and decline, an "approve all" question, the
 * "Which chat?" pick); a button whose data is gone says so; forged or changed callback data gets
 * a clear answer and never acts; an "approve all" run a restart cut short is reported as such.
 * Real grammY against the sandbox; the restart is a new bot on the same database.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ButtonBook } from '../../src/bot/buttons.js';
import { reportInterruptedRuns } from '../../src/bot/features/pending-bulk.js';
import { openStore } from '../../src/store/index.js';
import { ADMIN_A, CHAT_A, OPERATOR, T0, buttons, startBotWorld, textOf, type BotWorld } from './bot-harness.js';

const plain = (t: string) => t.replace(/[\u2068\u2069]/g, '');
let w: BotWorld | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

function fileStore() {
  return openStore(join(mkdtempSync(join(tmpdir(), 'jw-bot-restart-')), 'joinwatch.db'));
}

const button = (r: Parameters<typeof buttons>[0], text: string | RegExp) => {
  const b = buttons(r).find((x) => (typeof text === 'string' ? x.text === text : text.test(x.text)));
  if (!b) throw new Error(`no button ${String(text)} in ${JSON.stringify(buttons(r))}`);
  return b;
};

describe('buttons after a restart', () => {
  it('a /pending list pages, approves and asks "approve all" after the restart, answered by the new bot', async () => {
    w = await startBotWorld({ store: fileStore(), bot: { bulkRatePerSecond: 100 } });
    const list = await w.say(ADMIN_A, '/pending Req');
    const next = button(list, 'Next ▶');
    await w.restart();
    const page2 = await w.press(ADMIN_A, list, next.data, (r) => r.message_id === list.message_id);
    expect(plain(textOf(page2))).toMatch(/Requests 11–20 of \d+/);
    // Approve the first person of page 2, after a second restart.
    await w.restart();
    const approve = button(page2, /^✅ 11\./);
    const before = w.world.pendingCount(CHAT_A);
    const redrawn = await w.press(ADMIN_A, page2, approve.data, (r) => r.message_id === list.message_id && /Approved/.test(textOf(r)));
    expect(plain(textOf(redrawn))).toMatch(/^✅ Approved /);
    expect(w.world.pendingCount(CHAT_A)).toBe(before - 1);
    // "Approve all" asked before a restart is answered after it.
    const all = button(redrawn, /^Approve all \d+$/);
    const count = Number(/\d+/.exec(all.text)![0]);
    const ask = await w.press(ADMIN_A, redrawn, all.data, (r) => r.message_id !== list.message_id);
    await w.restart();
    w.server.driver.press({ from: ADMIN_A, messageId: ask.message_id, data: button(ask, /^✅ Yes/).data });
    const done = await w.server.driver.waitForSent((r) => r.message_id === ask.message_id && /^Done/.test(textOf(r)), { timeoutMs: 20_000 });
    expect(plain(textOf(done))).toBe(`Done: approved ${count} of ${count} matching “Req”.`);
  });

  it('the "Which chat?" pick runs the command for the chat picked after a restart, with access checked again', async () => {
    w = await startBotWorld({ store: fileStore(), bot: { adminIds: [OPERATOR] } });
    const ask = await w.say(OPERATOR, '/links');
    expect(textOf(ask)).toMatch(/^Which chat\?/);
    const secret = button(ask, 'Secret B');
    await w.restart();
    const links = await w.press(OPERATOR, ask, secret.data, (r) => /invite link/.test(textOf(r)));
    expect(plain(textOf(links))).toMatch(/^1 invite link of Secret B/);
    // The question is answered: pressing again says so instead of running it twice.
    const again = w.server.driver.press({ from: OPERATOR, messageId: ask.message_id, data: secret.data });
    await expect.poll(() => w!.server.driver.answer(again)).toBeDefined();
    expect(w.server.driver.answer(again)?.text).toMatch(/expired/);
  });

  it('a button whose data is gone says so; forged or changed data gets a clear answer and never acts', async () => {
    w = await startBotWorld({ store: fileStore() });
    const list = await w.say(ADMIN_A, '/pending');
    const approve = button(list, /^✅ 1\./);
    // Changed by hand: another person's id in place of the one shown, or another chat.
    const [verb, token, chat, user, sig] = approve.data.split(':');
    const forgeries = [
      [verb, token, chat, (BigInt(parseInt(user!, 36)) + 1n).toString(36), sig].join(':'),
      ['pd', token, chat, user, sig].join(':'),
      [verb, 'AAAAAAAAAAA', chat, user, sig].join(':'),
      'pa:x:y:z',
      '',
    ];
    const pending = w.world.pendingCount(CHAT_A);
    for (const data of forgeries) {
      const id = w.server.driver.press({ from: ADMIN_A, messageId: list.message_id, data, forged: true });
      await expect.poll(() => w!.server.driver.answer(id)).toBeDefined();
      expect(w.server.driver.answer(id)?.text).toBe('This button was changed or is not from this bot, so it does nothing.');
    }
    expect(w.world.pendingCount(CHAT_A)).toBe(pending);
    expect(w.server.driver.calls('approveChatJoinRequest') + w.server.driver.calls('declineChatJoinRequest')).toBe(0);
    // Data gone (a list's data is kept a week): the button says so.
    w.store.db.prepare('DELETE FROM button_contexts').run();
    const next = w.server.driver.press({ from: ADMIN_A, messageId: list.message_id, data: button(list, 'Next ▶').data });
    await expect.poll(() => w!.server.driver.answer(next)).toBeDefined();
    expect(w.server.driver.answer(next)?.text).toBe('This list has expired; send /pending again.');
  });

  it('an "approve all" run a restart cut short is reported as such at the next start, and the list may run again', async () => {
    w = await startBotWorld({ store: fileStore(), bot: { bulkRatePerSecond: 4 } });
    const list = await w.say(ADMIN_A, '/pending');
    const all = button(list, /^Approve all \d+$/);
    const count = Number(/\d+/.exec(all.text)![0]);
    const ask = await w.press(ADMIN_A, list, all.data, (r) => r.message_id !== list.message_id);
    w.server.driver.press({ from: ADMIN_A, messageId: ask.message_id, data: button(ask, /^✅ Yes/).data });
    await expect.poll(() => w!.server.driver.calls('approveChatJoinRequest'), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await w.restart();
    const calls = w.server.driver.calls('approveChatJoinRequest');
    expect(calls).toBeLessThan(count);
    // The next start: the run's message tells how far it got (a call cut off by the stop may have
    // reached Telegram unrecorded: at most one).
    expect(await reportInterruptedRuns(w.bot.api, new ButtonBook(w.store, () => (T0 + 10_000) * 1000), w.store, pino({ level: 'silent' }))).toBe(1);
    const report = plain(textOf(w.server.driver.sent(0).find((r) => r.message_id === ask.message_id)!));
    const m = /^Stopped by a restart: approved (\d+) of (\d+); (\d+) not attempted\./.exec(report);
    expect(m, report).not.toBeNull();
    const approved = Number(m![1]);
    expect(approved).toBeGreaterThanOrEqual(calls - 1);
    expect(approved).toBeLessThanOrEqual(calls);
    expect([Number(m![2]), Number(m![3])]).toEqual([count, count - approved]);
    const again = await w.press(ADMIN_A, list, all.data, (r) => r.message_id !== list.message_id && r.message_id !== ask.message_id);
    expect(plain(textOf(again))).toMatch(new RegExp(`^Approve all ${w.world.pendingCount(CHAT_A)} pending requests`));
  });
});
