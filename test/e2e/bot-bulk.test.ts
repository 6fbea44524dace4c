/**
 * Issue 9, defect 12 and "Also": bulk runs check the presser's right before each decision, one
 * list starts one run, the report says exactly what Telegram did; in a group, a link of another
 * watched chat gets the same answer as an unknown link. Real grammY against the sandbox.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_A, B_LINK, CHAT_A, OPERATOR, buttons, startBotWorld, textOf, type BotWorld } from './bot-harness.js';
import type { SentRecord } from '../../src/sandbox/botapi/state.js';

const plain = (t: string) => t.replace(/[\u2068\u2069]/g, '');
let w: BotWorld | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

async function askApproveAll(world: BotWorld, query = ''): Promise<{ list: SentRecord; ask: SentRecord; count: number }> {
  const list = await world.say(ADMIN_A, `/pending ${query}`.trim());
  const count = Number(/^(\d+) pending/.exec(plain(textOf(list)))![1]);
  const ask = await world.press(ADMIN_A, list, buttons(list).find((b) => b.text === `Approve all ${count}`)!.data, (r) => r.message_id !== list.message_id);
  return { list, ask, count };
}

const report = (world: BotWorld, ask: SentRecord) =>
  world.server.driver.waitForSent((r) => r.message_id === ask.message_id && /^Done/.test(textOf(r)), { timeoutMs: 30_000 });

describe('bulk runs', () => {
  it('a second "approve all" of the same list, and a second confirmation, start no second run', async () => {
    w = await startBotWorld({ bot: { bulkRatePerSecond: 100 } });
    const { list, ask, count } = await askApproveAll(w, 'Req1');
    const again = w.server.driver.press({ from: ADMIN_A, messageId: list.message_id, data: buttons(list).find((b) => b.text === `Approve all ${count}`)!.data });
    await expect.poll(() => w!.server.driver.answer(again)).toBeDefined();
    expect(w.server.driver.answer(again)?.text).toMatch(/already asked/);
    const yes = buttons(ask).find((b) => b.text.startsWith('✅ Yes'))!;
    const first = w.server.driver.press({ from: ADMIN_A, messageId: ask.message_id, data: yes.data });
    const second = w.server.driver.press({ from: ADMIN_A, messageId: ask.message_id, data: yes.data });
    const done = await report(w, ask);
    expect(plain(textOf(done))).toBe(`Done: approved ${count} of ${count} matching “Req1”.`);
    expect(w.server.driver.answer(second)?.text ?? w.server.driver.answer(first)?.text).toMatch(/expired/);
    // Exactly `count` approvals reached Telegram: no second run.
    expect(w.server.driver.calls('approveChatJoinRequest')).toBe(count);
    const messages = w.sentSince(0).filter((r) => /^(Approve all|Done|Approving)/.test(plain(textOf(r))));
    expect(messages.map((r) => r.message_id)).toEqual([ask.message_id]);
  });

  it('checks the right before each decision: a demotion mid-run stops it, and the report says what was done', async () => {
    w = await startBotWorld({ bot: { bulkRatePerSecond: 10 } });
    const { ask, count } = await askApproveAll(w);
    w.server.driver.press({ from: ADMIN_A, messageId: ask.message_id, data: buttons(ask).find((b) => b.text.startsWith('✅ Yes'))!.data });
    await expect.poll(() => w!.world.pendingCount(CHAT_A), { timeout: 20_000, interval: 20 }).toBeLessThanOrEqual(count - 5);
    w.world.setAdmin(CHAT_A, ADMIN_A, { admin: false });
    const done = plain(textOf(await report(w, ask)));
    const approved = count - w.world.pendingCount(CHAT_A);
    expect(approved).toBeLessThan(count);
    const m = /^Done: approved (\d+) of (\d+)\.\n• Stopped: you are not an admin of this chat \(any more\); (\d+) not attempted\.$/.exec(done);
    expect(m, done).not.toBeNull();
    expect(Number(m![1])).toBe(approved);
    expect(Number(m![2])).toBe(count);
    expect(Number(m![3])).toBe(count - approved);
  });

  it('reports requests decided elsewhere during the run as such, and the rest as approved', async () => {
    w = await startBotWorld({ bot: { bulkRatePerSecond: 100 } });
    const { ask, count } = await askApproveAll(w, 'Req2');
    // Two of them are declined in the Telegram app before the run reaches them.
    const elsewhere = [9_200_027n, 9_200_028n];
    for (const u of elsewhere) w.world.resolveRequest(CHAT_A, u, false, 7000001n);
    w.server.driver.press({ from: ADMIN_A, messageId: ask.message_id, data: buttons(ask).find((b) => b.text.startsWith('✅ Yes'))!.data });
    const done = plain(textOf(await report(w, ask)));
    expect(done).toBe(`Done: approved ${count - 2} of ${count} matching “Req2”.\n• 2 not changed: already declined by another admin or withdrawn by the user`);
  });
});

describe('group answers do not reveal other watched chats', () => {
  it('a link of another watched chat gets, in a group, the same answer as an unknown link', async () => {
    w = await startBotWorld({ bot: { adminIds: [OPERATOR] } });
    const foreign = textOf(await w.say(OPERATOR, `/joiners ${B_LINK}`, { chat: CHAT_A }));
    const unknown = textOf(await w.say(OPERATOR, '/joiners https://t.me/+NeverSeen0001', { chat: CHAT_A }));
    expect(foreign).not.toMatch(/another chat/);
    expect(foreign).toBe(unknown.replace('https://t.me/+NeverSeen0001', B_LINK));
  });
});
