import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { ADMIN_A, ADMIN_B, BOT, CHAT_A, HOSTILE_NAME, REQ_LINK, buttons, startBotWorld, textOf, type BotWorld } from './bot-harness.js';

let w: BotWorld;
beforeAll(async () => {
  w = await startBotWorld({ bot: { bulkRatePerSecond: 200 } });
});
afterAll(async () => {
  await w?.stop();
});

const chatA = botApiChatIdFromChannel(CHAT_A);
const plain = (t: string) => t.replace(/[\u2068\u2069]/g, '');

describe('/pending', () => {
  it('lists pending requests newest first with Approve/Decline buttons and paging', async () => {
    const r = await w.say(ADMIN_A, '/pending');
    const text = plain(textOf(r));
    expect(text).toMatch(/^30 pending requests in Rust <Learners> & Co/);
    expect(text).toContain('Requests 1–10 of 30');
    expect(text).toContain(`via ${REQ_LINK}`);
    expect(text).toContain('via the public username');
    const b = buttons(r);
    expect(b.filter((x) => x.text.startsWith('✅'))).toHaveLength(10);
    expect(b.filter((x) => x.text.startsWith('❌'))).toHaveLength(10);
    expect(b.map((x) => x.text)).toEqual(expect.arrayContaining(['Next ▶', 'Approve all 30', 'Decline all 30']));
    for (const x of b) expect(Buffer.byteLength(x.data)).toBeLessThanOrEqual(64);
    const page2 = await w.press(ADMIN_A, r, b.find((x) => x.text === 'Next ▶')!.data);
    expect(textOf(page2)).toContain('Requests 11–20 of 30');
    expect(textOf(page2)).toMatch(/^11\. /m);
  });

  it('searches names, usernames and bios; Cyrillic; hostile queries render literally', async () => {
    const ann = plain(textOf(await w.say(ADMIN_A, '/pending ann')));
    expect(ann).toMatch(/^4 pending requests matching “ann”/); // Annabel, @ann_fan, a bio, the hostile <b>Ann</b>
    expect(ann).toContain('Annabel');
    expect(ann).toContain('@ann_fan');
    expect(ann).toContain('“I love <Rust> & Ann”');
    const ivan = plain(textOf(await w.say(ADMIN_A, '/pending Иван')));
    expect(ivan).toMatch(/^1 pending request matching “Иван”/);
    const hostile = plain(textOf(await w.say(ADMIN_A, '/pending <b>Ann</b> &')));
    expect(hostile).toMatch(/^1 pending request matching “<b>Ann<\/b> &”/);
    expect(hostile).toContain(HOSTILE_NAME);
    const fts = plain(textOf(await w.say(ADMIN_A, '/pending "a" OR b*')));
    // No match is not "nothing pending": 30 requests are.
    expect(fts).toMatch(/^No pending request matches “"a" OR b\*” in Rust <Learners> & Co \(30 pending in all\)\.$/m);
    expect(fts).not.toContain('Nothing is pending');
    const leeAnn = plain(textOf(await w.say(ADMIN_A, '/pending lee ann')));
    expect(leeAnn).toMatch(/^No pending request matches “lee ann” in .* \(30 pending in all\)\./);
    expect(leeAnn).not.toContain('Nothing is pending');
    // Only a chat with truly nothing pending says so.
    const none = plain(textOf(await w.say(ADMIN_B, '/pending ann')));
    expect(none).toMatch(/^0 pending requests matching “ann” in Secret B/);
    expect(none).toContain('Nothing is pending.');
    const huge = textOf(await w.say(ADMIN_A, `/pending ${'q'.repeat(10_240)}`));
    expect(huge).toMatch(/^That is too long \(10,240 characters, at most 300\)\. Example: \/pending ann$/);
  });

  it('approve and decline change the world and the store, with who decided', async () => {
    const list = await w.say(ADMIN_A, '/pending Annabel');
    const approve = buttons(list).find((b) => b.text.startsWith('✅ 1. '))!;
    const edited = await w.press(ADMIN_A, list, approve.data);
    expect(plain(textOf(edited))).toMatch(/^✅ Approved Annabel\.\n\nNo pending request matches “Annabel” in .* \(29 pending in all\)\./);
    expect(w.world.pendingRequest(CHAT_A, 9_200_000n)).toBeUndefined();
    const joins = w.world.importers(CHAT_A, { link: REQ_LINK, requested: false, offsetDate: 0, offsetUser: 0n, limit: 10 }).rows;
    expect(joins.find((j) => j.userId === 9_200_000n)?.approvedBy).toBe(BOT);
    const history = w.store.whois(9_200_000n, [chatA]);
    expect(history.requests[0]).toMatchObject({ status: 'approved', decidedBy: ADMIN_A });

    const ivan = await w.say(ADMIN_A, '/pending Иван');
    await w.press(ADMIN_A, ivan, buttons(ivan).find((b) => b.text.startsWith('❌ 1. '))!.data);
    expect(w.world.pendingRequest(CHAT_A, 9_200_001n)).toBeUndefined();
    expect(w.store.whois(9_200_001n, [chatA]).requests[0]).toMatchObject({ status: 'declined', decidedBy: ADMIN_A });
  });

  it('explains HIDE_REQUESTER_MISSING when someone else already decided', async () => {
    const list = await w.say(ADMIN_A, '/pending Req5');
    w.world.resolveRequest(CHAT_A, 9_200_005n, false, 7000001n); // another admin, in the Telegram app
    const redrawn = await w.press(ADMIN_A, list, buttons(list).find((b) => b.text.startsWith('✅ 1. '))!.data, (r) => r.message_id === list.message_id);
    expect(plain(textOf(redrawn))).toMatch(/^⚠️ Req5 was not approved: already declined by another admin or withdrawn by the user\./);
    expect(w.store.whois(9_200_005n, [chatA]).requests[0]).toMatchObject({ status: 'gone' });
  });

  it('"decline all N matching" asks first, then declines exactly those and reports', async () => {
    const list = await w.say(ADMIN_A, '/pending Req1');
    const count = Number(/^(\d+) pending/.exec(textOf(list))![1]);
    expect(count).toBeGreaterThan(5);
    const ask = await w.press(ADMIN_A, list, buttons(list).find((b) => b.text === `Decline all ${count}`)!.data, (r) => r.message_id !== list.message_id);
    expect(plain(textOf(ask))).toBe(`Decline all ${count} pending requests matching “Req1” in Rust <Learners> & Co? This cannot be undone.`);
    // Nothing happened yet.
    expect(w.store.pending.count(chatA, { query: 'Req1' })).toBe(count);
    const yes = buttons(ask).find((b) => b.text.startsWith('❌ Yes'))!;
    const done = await w.press(ADMIN_A, ask, yes.data, (r) => r.message_id === ask.message_id && /^Done/.test(textOf(r)));
    expect(plain(textOf(done))).toBe(`Done: declined ${count} of ${count} matching “Req1”.`);
    expect(w.store.pending.count(chatA, { query: 'Req1' })).toBe(0);
    expect(w.world.importers(CHAT_A, { requested: true, q: 'Req1', offsetDate: 0, offsetUser: 0n, limit: 100 }).count).toBe(0);
    // Others untouched.
    expect(w.world.pendingRequest(CHAT_A, 9_200_020n)).toBeDefined();
  });

  it('"approve all" rides out Telegram 429s (auto-retry) and approves every confirmed request', async () => {
    const list = await w.say(ADMIN_A, '/pending Req2');
    const count = Number(/^(\d+) pending/.exec(textOf(list))![1]);
    expect(count).toBeGreaterThan(3);
    const ask = await w.press(ADMIN_A, list, buttons(list).find((b) => b.text === `Approve all ${count}`)!.data, (r) => r.message_id !== list.message_id);
    w.server.driver.tooManyRequests({ method: 'approveChatJoinRequest', count: 2, retryAfter: 1 });
    const yes = buttons(ask).find((b) => b.text.startsWith('✅ Yes'))!;
    const done = await w.press(ADMIN_A, ask, yes.data, (r) => r.message_id === ask.message_id && /^Done/.test(textOf(r)));
    expect(plain(textOf(done))).toBe(`Done: approved ${count} of ${count} matching “Req2”.`);
    // Both injected 429s were met and retried, none lost a request.
    expect(w.server.state.tooMany.every((t) => t.remaining === 0)).toBe(true);
    expect(w.world.importers(CHAT_A, { requested: true, q: 'Req2', offsetDate: 0, offsetUser: 0n, limit: 100 }).count).toBe(0);
    const approvedInStore = w.store.whois(9_200_020n, [chatA]).requests[0];
    expect(approvedInStore).toMatchObject({ status: 'approved', decidedBy: ADMIN_A });
  });

  it('cancel changes nothing', async () => {
    const before = w.store.pending.count(chatA);
    const list = await w.say(ADMIN_A, '/pending');
    const ask = await w.press(ADMIN_A, list, buttons(list).find((b) => b.text.startsWith('Approve all'))!.data, (r) => r.message_id !== list.message_id);
    const cancelled = await w.press(ADMIN_A, ask, buttons(ask).find((b) => b.text === 'Cancel')!.data);
    expect(textOf(cancelled)).toBe('Cancelled; nothing was changed.');
    expect(w.store.pending.count(chatA)).toBe(before);
  });
});
