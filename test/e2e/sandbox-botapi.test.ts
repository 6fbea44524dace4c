/**
 * Real grammY (long polling through `client.apiRoot`) against the sandbox Bot API server: no mocks.
 */
import { Bot, GrammyError, InputFile, InlineKeyboard } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotApiServer, type BotApiServer } from '../../src/sandbox/botapi/server.js';
import { World } from '../../src/sandbox/world.js';
import example from '../../scenarios/example.json' with { type: 'json' };

const CHAT = 1700000001n;
const BOT_CHAT_ID = -1001700000001;
const ANN = 9000001n;

let world: World;
let server: BotApiServer;
let bot: Bot;
const seen: string[] = [];

async function rejection(p: Promise<unknown>): Promise<GrammyError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GrammyError) return e;
    throw e;
  }
  throw new Error('call succeeded');
}

beforeAll(async () => {
  world = World.fromScenario(example);
  server = await startBotApiServer({ world });
  bot = new Bot(server.token, { client: { apiRoot: server.root } });
  bot.command('start', (ctx) =>
    ctx.reply(`<b>Hi</b> ${ctx.from?.first_name ?? ''} &amp; welcome`, {
      parse_mode: 'HTML',
      reply_markup: new InlineKeyboard().text('Yes', 'yes').text('No', 'no'),
    }),
  );
  bot.callbackQuery('yes', async (ctx) => {
    await ctx.answerCallbackQuery({ text: 'noted' });
    await ctx.editMessageText('Thanks, <i>noted</i>', { parse_mode: 'HTML' });
  });
  bot.on('chat_join_request', async (ctx) => {
    seen.push(`request:${ctx.chatJoinRequest.from.id}:${ctx.chatJoinRequest.invite_link?.invite_link ?? '-'}`);
    await ctx.approveChatJoinRequest(ctx.chatJoinRequest.from.id);
  });
  bot.on('chat_member', (ctx) => {
    seen.push(`member:${ctx.chatMember.new_chat_member.user.id}:${ctx.chatMember.new_chat_member.status}`);
  });
  await new Promise<void>((resolve) => {
    void bot.start({ allowed_updates: ['message', 'callback_query', 'chat_join_request', 'chat_member'], onStart: () => resolve() });
  });
});

afterAll(async () => {
  await bot.stop();
  await server.stop();
});

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('grammY against the sandbox Bot API', () => {
  it('receives an injected message and its HTML reply is read back with entities and keyboard', async () => {
    const after = server.driver.cursor;
    server.driver.message({ from: ANN, text: '/start' });
    const reply = await server.driver.waitForSent((r) => r.chat === Number(ANN), { after });
    expect(reply.text).toBe('Hi Ann & welcome');
    expect(reply.entities).toEqual([{ type: 'bold', offset: 0, length: 2 }]);
    expect(reply.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }, { text: 'No', callback_data: 'no' }]] });

    const q = server.driver.press({ from: ANN, messageId: reply.message_id, data: 'yes' });
    const edited = await server.driver.waitForSent((r) => r.message_id === reply.message_id && r.edits.length > 0, { after: reply.seq });
    expect(edited.text).toBe('Thanks, noted');
    expect(edited.entities).toEqual([{ type: 'italic', offset: 8, length: 5 }]);
    expect(edited.reply_markup).toBeUndefined();
    expect(server.driver.answer(q)).toEqual({ text: 'noted', show_alert: false });
  });

  it('refuses a button that is not on the message', () => {
    const [last] = server.driver.sent().slice(-1);
    expect(() => server.driver.press({ from: ANN, messageId: last!.message_id, data: 'nope' })).toThrow(/no button/);
  });

  it('rejects HTML Telegram could not parse, with Telegram’s description', async () => {
    const e = await rejection(bot.api.sendMessage(Number(ANN), '<b>unclosed', { parse_mode: 'HTML' }));
    expect(e.error_code).toBe(400);
    expect(e.description).toBe('Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"');
    const e2 = await rejection(bot.api.sendMessage(Number(ANN), 'a < b', { parse_mode: 'HTML' }));
    expect(e2.description).toBe('Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 2');
    const e3 = await rejection(bot.api.sendMessage(Number(ANN), 'Иван <i>x</b>', { parse_mode: 'HTML' }));
    expect(e3.description).toBe('Bad Request: can\'t parse entities: Unmatched end tag at byte offset 13, expected "</i>", found "</b>"');
  });

  it('rejects MarkdownV2 with an unescaped reserved character', async () => {
    const e = await rejection(bot.api.sendMessage(Number(ANN), 'Version 1.0', { parse_mode: 'MarkdownV2' }));
    expect(e.description).toBe("Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'");
    const ok = await bot.api.sendMessage(Number(ANN), '*bold* and \\. _it_', { parse_mode: 'MarkdownV2' });
    expect(ok.text).toBe('bold and . it');
    expect(ok.entities).toEqual([{ type: 'bold', offset: 0, length: 4 }, { type: 'italic', offset: 11, length: 2 }]);
  });

  it('enforces text, caption and callback_data limits', async () => {
    expect((await rejection(bot.api.sendMessage(Number(ANN), 'x'.repeat(4097)))).description).toBe('Bad Request: message is too long');
    await bot.api.sendMessage(Number(ANN), 'я'.repeat(4096));
    const cap = await rejection(bot.api.sendDocument(Number(ANN), new InputFile(Buffer.from('a'), 'a.txt'), { caption: 'c'.repeat(1025) }));
    expect(cap.description).toBe('Bad Request: message caption is too long');
    const kb = new InlineKeyboard().text('big', 'd'.repeat(65));
    const e = await rejection(bot.api.sendMessage(Number(ANN), 'pick', { reply_markup: kb }));
    expect([e.error_code, e.description]).toEqual([400, 'Bad Request: BUTTON_DATA_INVALID']);
    await bot.api.sendMessage(Number(ANN), 'pick', { reply_markup: new InlineKeyboard().text('ok', 'd'.repeat(64)) });
  });

  it('cannot write first to a user who never started it, except a pending requester', async () => {
    const e = await rejection(bot.api.sendMessage(9000004, 'hello'));
    expect([e.error_code, e.description]).toEqual([403, "Forbidden: bot can't initiate conversation with a user"]);
    // 9000002 has a request pending in a chat where the bot manages requests (Bot API's user_chat_id).
    await bot.api.sendMessage(9000002, 'about your request');
    server.driver.message({ from: 9000004n, text: 'hi' });
    await bot.api.sendMessage(9000004, 'hello');
    // The scenario can say a user started the bot before the sandbox ran.
    const s = structuredClone(example) as typeof example & { users: { started_bot?: boolean }[] };
    s.users[0]!.started_bot = true;
    const w = World.fromScenario(s);
    expect([w.botCanMessage(9000001n), w.botCanMessage(9000004n)]).toEqual([true, false]);
  });

  it('answers 401 to a wrong token and 404 to an unknown method', async () => {
    const other = new Bot('8000001:wrong', { client: { apiRoot: server.root } });
    const e = await rejection(other.api.getMe());
    expect([e.error_code, e.description]).toEqual([401, 'Unauthorized']);
    const res = await fetch(`${server.root}/bot${server.token}/sendSticker`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
  });

  it('injects 429 with retry_after', async () => {
    server.driver.tooManyRequests({ method: 'sendMessage', retryAfter: 3 });
    const e = await rejection(bot.api.sendMessage(Number(ANN), 'hello'));
    expect([e.error_code, e.parameters.retry_after]).toEqual([429, 3]);
    await bot.api.sendMessage(Number(ANN), 'hello again');
  });

  it('uploads a document through multipart and keeps name, size and bytes', async () => {
    const csv = 'user_id,name\n9000001,Ann\n';
    const m = await bot.api.sendDocument(Number(ANN), new InputFile(Buffer.from(csv), 'joins 2026.csv'), { caption: '<b>export</b>', parse_mode: 'HTML' });
    expect(m.document?.file_name).toBe('joins 2026.csv');
    const rec = server.driver.sent().find((r) => r.message_id === m.message_id);
    expect(rec?.file).toMatchObject({ kind: 'document', name: 'joins 2026.csv', size: Buffer.byteLength(csv), mime: 'text/csv' });
    expect(server.driver.file(rec!.file!.file_id)?.bytes.toString()).toBe(csv);
    expect(rec?.caption).toBe('export');
  });

  it('sets commands per scope as @grammyjs/commands does', async () => {
    await bot.api.setMyCommands([{ command: 'pending', description: 'Pending requests' }], { scope: { type: 'all_private_chats' } });
    expect(server.driver.commands({ type: 'all_private_chats' })).toEqual([{ command: 'pending', description: 'Pending requests' }]);
    const e = await rejection(bot.api.setMyCommands([{ command: 'Bad-Name', description: 'x' }]));
    expect(e.description).toBe('Bad Request: BOT_COMMAND_INVALID');
  });

  it('reads chats and members from the world', async () => {
    const chat = await bot.api.getChat(BOT_CHAT_ID);
    expect(chat).toMatchObject({ id: BOT_CHAT_ID, type: 'supergroup', title: 'Rust Learners' });
    expect((await bot.api.getChatMember(BOT_CHAT_ID, 8000001)).status).toBe('administrator');
    expect((await bot.api.getChatMember(BOT_CHAT_ID, 7000001)).status).toBe('creator');
    expect((await bot.api.getChatMember(BOT_CHAT_ID, Number(ANN))).status).toBe('member');
    expect((await bot.api.getChatAdministrators(BOT_CHAT_ID)).map((m) => m.user.id)).toEqual([7000001, 8000001]);
    expect((await rejection(bot.api.getChat(-1009999999999))).description).toBe('Bad Request: chat not found');
  });

  it('a new request reaches the bot, its approval moves the world and produces chat_member', async () => {
    world.addUser({ id: 9100001n, firstName: 'Zoë' });
    world.addRequest(CHAT, { userId: 9100001n, link: 'https://t.me/+ReQuEsT0456', about: 'let me in' });
    await until(() => seen.includes('member:9100001:member'));
    expect(seen).toContain('request:9100001:https://t.me/+ReQuEs...');
    expect(world.pendingRequest(CHAT, 9100001n)).toBeUndefined();
    const join = world.importers(CHAT, { link: 'https://t.me/+ReQuEsT0456', requested: false, offsetDate: 0, offsetUser: 0n, limit: 1 }).rows[0];
    expect(join).toMatchObject({ userId: 9100001n, approvedBy: 8000001n });
    const again = await rejection(bot.api.approveChatJoinRequest(BOT_CHAT_ID, 9100001));
    expect(again.description).toBe('Bad Request: HIDE_REQUESTER_MISSING');
    // Leaving and being removed are chat_member updates too.
    world.leave(CHAT, 9100001n);
    await until(() => seen.includes('member:9100001:left'));
    world.addJoin(CHAT, { userId: 9100001n, link: 'https://t.me/+AbCdEf0123' });
    world.leave(CHAT, 9100001n, { kicked: true });
    await until(() => seen.includes('member:9100001:kicked'));
  });
});

describe('a bot without can_invite_users', () => {
  it('cannot approve', async () => {
    const s = structuredClone(example) as typeof example & { chats: { admins_without_invite_rights?: number[] }[] };
    s.chats[0]!.admins_without_invite_rights = [8000001];
    const w = World.fromScenario(s);
    const srv = await startBotApiServer({ world: w });
    try {
      const b = new Bot(srv.token, { client: { apiRoot: srv.root } });
      const e = await rejection(b.api.approveChatJoinRequest(BOT_CHAT_ID, 9000002));
      expect(e.error_code).toBe(400);
      expect(w.pendingCount(CHAT)).toBe(2);
      expect((await b.api.getChatMember(BOT_CHAT_ID, 8000001))).toMatchObject({ status: 'administrator', can_invite_users: false });
    } finally {
      await srv.stop();
    }
  });
});

describe('control endpoints over HTTP', () => {
  it('message, sent?after, world and calls', async () => {
    const w = World.fromScenario(example);
    const srv = await startBotApiServer({ world: w, calls: () => ({ 'messages.getChatInviteImporters': 3 }) });
    try {
      const post = (path: string, body: unknown): Promise<Response> =>
        fetch(`${srv.root}/sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const m = (await (await post('message', { from: 9000001, text: '/help' })).json()) as { entities: unknown };
      expect(m.entities).toEqual([{ type: 'bot_command', offset: 0, length: 5 }]);
      const b = new Bot(srv.token, { client: { apiRoot: srv.root } });
      const updates = await b.api.getUpdates({ timeout: 0 });
      expect(updates[0]?.message?.text).toBe('/help');
      const sent = await b.api.sendMessage(9000001, 'hi');
      const list = (await (await fetch(`${srv.root}/sandbox/sent?after=0`)).json()) as { seq: number; message_id: number; text: string }[];
      expect(list.map((r) => [r.message_id, r.text])).toEqual([[sent.message_id, 'hi']]);
      const added = await post('world', { users: [{ id: 9200001, first_name: 'New' }], requests: [{ chat: -1001700000001, user_id: 9200001, about: 'hello' }] });
      expect(await added.json()).toEqual({ added: { users: 1, links: 0, joins: 0, requests: 1, leaves: 0, decisions: 0 } });
      expect(w.pendingCount(CHAT)).toBe(3);
      const bad = await post('world', { joins: [{ chat: 1700000001, user_id: 1 }] });
      expect(bad.status).toBe(400);
      const notObject = await post('world', [1, 2]);
      expect([notObject.status, await notObject.json()]).toEqual([400, { error: "Bad Request: can't parse JSON object" }]);
      expect(await (await fetch(`${srv.root}/sandbox/calls`)).json()).toEqual({ 'messages.getChatInviteImporters': 3 });

      // A press over HTTP reaches the bot; the edit moves the message past the cursor, with its edits.
      const kb = await b.api.sendMessage(9000001, 'pick', { reply_markup: new InlineKeyboard().text('Go', 'go:1') });
      type Rec = { seq: number; message_id: number; text: string; edits: { text?: string }[]; reply_markup?: unknown };
      const [rec] = (await (await fetch(`${srv.root}/sandbox/sent?after=${list[0]!.seq}`)).json()) as Rec[];
      expect([rec?.message_id, rec?.reply_markup]).toEqual([kb.message_id, { inline_keyboard: [[{ text: 'Go', callback_data: 'go:1' }]] }]);
      expect((await post('press', { from: 9000001, message_id: kb.message_id, data: 'nope' })).status).toBe(400);
      const { callback_query_id } = (await (await post('press', { from: 9000001, message_id: kb.message_id, data: 'go:1' })).json()) as { callback_query_id: string };
      const press = (await b.api.getUpdates({ offset: updates[0]!.update_id + 1, timeout: 0 })).find((u) => u.callback_query)?.callback_query;
      expect([press?.id, press?.data, press?.from.id]).toEqual([callback_query_id, 'go:1', 9000001]);
      await b.api.editMessageText(9000001, kb.message_id, 'picked');
      const after = (await (await fetch(`${srv.root}/sandbox/sent?after=${rec!.seq}`)).json()) as Rec[];
      expect(after.map((r) => [r.message_id, r.text, r.edits.map((e) => e.text)])).toEqual([[kb.message_id, 'picked', ['picked']]]);
      expect(await (await fetch(`${srv.root}/sandbox/sent?after=${after[0]!.seq}`)).json()).toEqual([]);
    } finally {
      await srv.stop();
    }
  });
});
