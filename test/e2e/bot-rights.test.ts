/**
 * Issue 9, defects 1–3: the bot acts for the right person with the right rights, checked the way
 * Telegram would, through the REAL grammY against the sandbox Bot API. Reading needs an admin of the
 * chat; deciding needs `can_invite_users` (or the owner), re-checked fresh at each press; admin
 * changes seen in `chat_member` updates take effect at once; chats not in WATCH_CHATS are not served.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { ADMIN_A, ADMIN_B, CHAT_A, CHAT_B, NO_INVITE, OPERATOR, buttons, startBotWorld, textOf, type BotWorld } from './bot-harness.js';

const chatA = botApiChatIdFromChannel(CHAT_A);
const chatB = botApiChatIdFromChannel(CHAT_B);
const plain = (t: string) => t.replace(/[\u2068\u2069]/g, '');

let w: BotWorld | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

/** Presses the first ✅ of a /pending list; resolves with the callback answer and the requester it names. */
async function pressFirstApprove(world: BotWorld, from: bigint, query: string): Promise<{ answer: string; status: string }> {
  const list = await world.say(from, `/pending ${query}`);
  const approve = buttons(list).find((b) => b.text.startsWith('✅'));
  expect(approve, `no approve button in: ${textOf(list)}`).toBeDefined();
  const after = world.server.driver.cursor;
  const id = world.server.driver.press({ from, messageId: list.message_id, data: approve!.data });
  await expect.poll(() => world.server.driver.answer(id), { timeout: 10_000 }).toBeDefined();
  // The outcome is shown in the list (redrawn) or in a new message: wait for the redraw.
  const redrawn = await world.server.driver.waitForSent((r) => r.message_id === list.message_id || r.chat === Number(from), { after, timeoutMs: 10_000 });
  const answer = world.server.driver.answer(id)?.text ?? '';
  return { answer, status: `${answer}\n${plain(textOf(redrawn))}` };
}

describe('rights: reading needs an admin, deciding needs "Invite users"', () => {
  it('an admin without can_invite_users reads the list but cannot approve, and the request stays pending', async () => {
    w = await startBotWorld();
    const list = await w.say(NO_INVITE, '/pending Annabel');
    expect(plain(textOf(list))).toMatch(/^1 pending request matching “Annabel”/);
    const press = await pressFirstApprove(w, NO_INVITE, 'Annabel');
    expect(press.status).toMatch(/Invite users/);
    expect(w.world.pendingRequest(CHAT_A, 9_200_000n)).toBeDefined();
    expect(w.store.pending.count(chatA, { query: 'Annabel' })).toBe(1);
  });

  it('"approve all" is refused to an admin without the right before any question is asked', async () => {
    w = await startBotWorld();
    const list = await w.say(NO_INVITE, '/pending Req1');
    const all = buttons(list).find((b) => b.text.startsWith('Approve all'));
    if (all) {
      const id = w.server.driver.press({ from: NO_INVITE, messageId: list.message_id, data: all.data });
      await expect.poll(() => w!.server.driver.answer(id)).toBeDefined();
      expect(w.server.driver.answer(id)?.text).toMatch(/Invite users/);
    }
    expect(w.world.importers(CHAT_A, { requested: true, q: 'Req1', offsetDate: 0, offsetUser: 0n, limit: 100 }).count).toBeGreaterThan(5);
  });

  it('ADMIN_IDS may read every watched chat but decide only where Telegram lets them', async () => {
    w = await startBotWorld({ bot: { adminIds: [OPERATOR] } });
    const links = await w.say(OPERATOR, `/links ${chatA}`);
    expect(plain(textOf(links))).toMatch(/invite links of Rust <Learners> & Co/);
    const press = await pressFirstApprove(w, OPERATOR, `${chatA} Annabel`);
    expect(press.status).toMatch(/Invite users|not an admin/);
    expect(w.world.pendingRequest(CHAT_A, 9_200_000n)).toBeDefined();
  });
});

describe('rights change: demotion takes effect at once', () => {
  it('a demotion between the list and the press: the press is refused, nothing is decided', async () => {
    w = await startBotWorld();
    const list = await w.say(ADMIN_A, '/pending Annabel');
    const approve = buttons(list).find((b) => b.text.startsWith('✅'))!;
    // Demoted in the Telegram app; the bot gets no update about it (chat_member not delivered yet).
    w.world.setAdmin(CHAT_A, ADMIN_A, { admin: false });
    const after = w.server.driver.cursor;
    const id = w.server.driver.press({ from: ADMIN_A, messageId: list.message_id, data: approve.data });
    await expect.poll(() => w!.server.driver.answer(id), { timeout: 10_000 }).toBeDefined();
    await new Promise((r) => setTimeout(r, 300));
    expect(w.world.pendingRequest(CHAT_A, 9_200_000n)).toBeDefined();
    const said = [w.server.driver.answer(id)?.text ?? '', ...w.sentSince(after).map((r) => plain(textOf(r)))].join('\n');
    expect(said).toMatch(/no longer an admin|not an admin/i);
    expect(said).not.toMatch(/Approved/);
  });

  it('taking "Invite users" away: the next press is refused at once, reading still works', async () => {
    w = await startBotWorld();
    await w.say(ADMIN_A, '/pending Annabel');
    w.world.setAdmin(CHAT_A, ADMIN_A, { admin: true, canInvite: false });
    const press = await pressFirstApprove(w, ADMIN_A, 'Annabel');
    expect(press.status).toMatch(/Invite users/);
    expect(w.world.pendingRequest(CHAT_A, 9_200_000n)).toBeDefined();
    expect(plain(textOf(await w.say(ADMIN_A, '/links')))).toMatch(/invite links of Rust/);
  });

  it('a chat_member update invalidates the cached admin list: the demoted admin reads nothing more', async () => {
    w = await startBotWorld();
    expect(plain(textOf(await w.say(ADMIN_A, '/links')))).toMatch(/invite links of Rust/);
    const fetchedBefore = w.server.driver.calls('getChatAdministrators');
    w.world.setAdmin(CHAT_A, ADMIN_A, { admin: false });
    // The update reaches the bot; the next command re-reads the admins instead of trusting 5 minutes of cache.
    await expect.poll(() => w!.server.state.updates.pending, { timeout: 5000 }).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    const reply = await w.say(ADMIN_A, '/links');
    expect(textOf(reply)).toMatch(/^Only admins/);
    expect(w.server.driver.calls('getChatAdministrators')).toBeGreaterThan(fetchedBefore);
  });

  it('a promotion is seen at once too', async () => {
    w = await startBotWorld();
    expect(textOf(await w.say(ADMIN_B, `/links ${chatA}`))).toMatch(/^You are not an admin of that chat/);
    w.world.setAdmin(CHAT_A, ADMIN_B, { admin: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(plain(textOf(await w.say(ADMIN_B, `/links ${chatA}`)))).toMatch(/invite links of Rust/);
  });

  it('"not enough rights" from Telegram clears the cache', async () => {
    w = await startBotWorld();
    await w.say(ADMIN_A, '/links');
    // The bot itself loses the right; Telegram refuses the approve.
    w.world.chat(CHAT_A)!.adminsWithoutInvite.push(8000001n);
    const fetchedBefore = w.server.driver.calls('getChatAdministrators');
    const press = await pressFirstApprove(w, ADMIN_A, 'Annabel');
    expect(press.status).toMatch(/bot needs/);
    await w.say(ADMIN_A, '/links');
    expect(w.server.driver.calls('getChatAdministrators')).toBeGreaterThan(fetchedBefore);
  });
});

describe('only chats in WATCH_CHATS are served', () => {
  it('a chat still in the store but removed from WATCH_CHATS is refused: commands, group commands and old buttons', async () => {
    w = await startBotWorld({ bot: { watchChats: [{ kind: 'id', chatId: chatA }] } });
    expect(textOf(await w.say(ADMIN_B, '/links'))).toMatch(/^Only admins of a chat joinwatch watches/);
    expect(textOf(await w.say(ADMIN_B, `/pending ${chatB}`))).toMatch(/^Only admins of a chat joinwatch watches/);
    expect(textOf(await w.say(ADMIN_B, '/links', { chat: CHAT_B }))).toBe('joinwatch does not watch this chat yet.');
    // A's admin sees only A in /start.
    expect(plain(textOf(await w.say(ADMIN_A, '/start')))).not.toContain('Secret B');
  });

  it('a chat named by @username in WATCH_CHATS is served', async () => {
    w = await startBotWorld({ bot: { watchChats: [{ kind: 'username', username: 'RUST_learners' }] } });
    expect(plain(textOf(await w.say(ADMIN_A, '/links')))).toMatch(/invite links of Rust/);
    expect(textOf(await w.say(ADMIN_B, '/links'))).toMatch(/^Only admins/);
  });
});
