/**
 * Shared set-up of the bot e2e tests: a sandbox (real HTTP Bot API, optionally the MTProto server),
 * a store, and the REAL grammY bot long-polling the sandbox. No mocks: the driver plays the human
 * (sends messages, presses buttons) and reads what the bot sent over the wire.
 */
import { pino } from 'pino';
import type { Bot } from 'grammy';
import { createBot, type CreateBotOptions } from '../../src/bot/create-bot.js';
import { runBot, type RunningBot } from '../../src/bot/run-bot.js';
import type { BotContext } from '../../src/bot/context.js';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import type { BotApiServer } from '../../src/sandbox/botapi/server.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import type { SentRecord } from '../../src/sandbox/botapi/state.js';
import { World } from '../../src/sandbox/world.js';
import { openStore, type Store } from '../../src/store/index.js';

export const SELF = 7000001n;
export const BOT = 8000001n;
export const ADMIN_A = 7100001n; // admin of chat A only
export const ADMIN_B = 7100002n; // admin of chat B only
export const OUTSIDER = 7100003n; // admin of nothing
export const NO_INVITE = 7100004n; // admin of chat A without the "Invite users" right
export const OPERATOR = 7100005n; // in ADMIN_IDS when a test says so; admin of no chat on Telegram
export const CHAT_A = 1700000001n;
export const CHAT_B = 1700000002n;
export const BIG_LINK = 'https://t.me/+BigLink500aa';
export const REQ_LINK = 'https://t.me/+ReqLinkAaaa1';
export const B_LINK = 'https://t.me/+OtherChatBb2';
export const HOSTILE_NAME = '<b>Ann</b> & *star* _under_ \u202Eevil';
export const T0 = 1767225600;

/** Two chats; chat A has a link with 500 joiners (many on equal dates) and pending requests. */
export function scenario(o: { joiners?: number; pending?: number } = {}): Record<string, unknown> {
  const joiners = o.joiners ?? 500;
  const pending = o.pending ?? 30;
  const users: Record<string, unknown>[] = [
    { id: Number(ADMIN_A), first_name: 'Alice', last_name: 'Admin', username: 'alice_admin' },
    { id: Number(ADMIN_B), first_name: 'Bob', last_name: 'Admin', username: 'bob_admin' },
    { id: Number(OUTSIDER), first_name: 'Olga', username: 'olga_out' },
    { id: Number(NO_INVITE), first_name: 'Nina', last_name: 'NoInvite', username: 'nina_noinv' },
    { id: Number(OPERATOR), first_name: 'Oscar', last_name: 'Operator', username: 'oscar_op' },
  ];
  const joins: Record<string, unknown>[] = [];
  for (let i = 0; i < joiners; i++) {
    const id = 9_100_000 + i;
    users.push({ id, first_name: i === 7 ? HOSTILE_NAME : `Joiner${i}`, last_name: 'J', ...(i % 3 === 0 ? { username: `joiner_${i}` } : {}) });
    // Groups of 7 share one date, so page boundaries fall inside equal dates.
    joins.push({ user_id: id, link: BIG_LINK, date: T0 + 100 + Math.floor(i / 7), approved_by: i % 50 === 0 ? Number(ADMIN_A) : null, via_chatlist: i % 40 === 1 });
  }
  const requests: Record<string, unknown>[] = [];
  for (let i = 0; i < pending; i++) {
    const id = 9_200_000 + i;
    const name = i === 0 ? 'Annabel' : i === 1 ? 'Иван' : i === 2 ? HOSTILE_NAME : `Req${i}`;
    users.push({ id, first_name: name, ...(i === 3 ? { username: 'ann_fan' } : {}) });
    requests.push({ user_id: id, link: i % 2 === 0 ? REQ_LINK : null, date: T0 + 5000 + Math.floor(i / 3), about: i === 4 ? 'I love <Rust> & Ann' : null });
  }
  users.push({ id: 9_300_001, first_name: 'Bea', username: 'bea_b' });
  return {
    self: { id: Number(SELF), first_name: 'Moderator', username: 'mod_account' },
    bot: { id: Number(BOT), first_name: 'Joinwatch', username: 'joinwatch_bot' },
    users,
    chats: [
      {
        id: Number(CHAT_A), type: 'supergroup', title: 'Rust <Learners> & Co', username: 'rust_learners', owner_id: Number(SELF),
        admins: [Number(SELF), Number(BOT), Number(ADMIN_A), Number(NO_INVITE)],
        admins_without_invite_rights: [Number(NO_INVITE)],
        links: [
          { link: BIG_LINK, admin_id: Number(SELF), date: T0, title: 'Spring <ads>', permanent: false, revoked: false, request_needed: false, usage_limit: 1000 },
          { link: REQ_LINK, admin_id: Number(ADMIN_A), date: T0 + 10, title: 'Approval', permanent: false, revoked: false, request_needed: true },
        ],
        joins,
        requests,
      },
      {
        id: Number(CHAT_B), type: 'channel', title: 'Secret B', owner_id: Number(SELF),
        admins: [Number(SELF), Number(BOT), Number(ADMIN_B)],
        links: [{ link: B_LINK, admin_id: Number(SELF), date: T0, title: 'B only', permanent: false, revoked: false, request_needed: false }],
        joins: [{ user_id: 9_300_001, link: B_LINK, date: T0 + 50, approved_by: null, via_chatlist: false }],
        requests: [],
      },
    ],
  };
}

/**
 * Mirrors the world into the store the way a sync would (chats, links, users, joins, pending),
 * for tests that are about the bot, not the sync. The final happy path uses the real sync.
 */
export function fillStoreFromWorld(store: Store, world: World, now = T0 + 10_000): void {
  store.tx(() => {
    store.users.upsertMany(world.users().map((u) => ({ id: u.id, accessHash: u.accessHash, username: u.username ?? null, firstName: u.firstName, lastName: u.lastName ?? '' })), now);
    for (const chat of world.chats()) {
      const chatId = botApiChatIdFromChannel(chat.id);
      store.chats.upsert({ id: chatId, title: chat.title, username: chat.username ?? null, type: chat.type, accessHash: chat.accessHash, isOwner: chat.ownerId === world.self.id }, now);
      for (const l of [...world.links(chat.id, { revoked: false }), ...world.links(chat.id, { revoked: true })]) {
        store.links.upsert(chatId, { link: l.link, adminId: l.adminId, date: l.date, title: l.title ?? null, permanent: l.permanent, revoked: l.revoked, requestNeeded: l.requestNeeded, expireDate: l.expireDate ?? null, usageLimit: l.usageLimit ?? null, usage: world.usage(l.link), requested: world.requested(l.link) }, now);
        const rows = world.importers(chat.id, { link: l.link, requested: false, offsetDate: 0, offsetUser: 0n, limit: 1_000_000 }).rows;
        store.joins.insertMany(chatId, l.link, rows.map((r) => ({ userId: r.userId, date: r.date, approvedBy: r.approvedBy ?? null, viaChatlist: r.viaChatlist })), now);
      }
      const pending = world.importers(chat.id, { requested: true, offsetDate: 0, offsetUser: 0n, limit: 1_000_000 }).rows;
      store.requests.upsertPending(chatId, pending.map((r) => ({ userId: r.userId, date: r.date, about: r.about ?? null, link: r.link })), now);
      const run = store.runs.start(chatId, now - 60);
      store.runs.finish(run, { calls: 0, rowsAdded: 0, outcome: 'ok' }, now);
    }
  });
}

export interface BotWorld {
  world: World;
  store: Store;
  bot: Bot<BotContext>;
  /** The runner polling for `bot` (stop() is bounded). */
  running: RunningBot;
  /** The whole sandbox (MTProto too when asked for); `sandbox.bot` is the driver. */
  sandbox: Sandbox;
  /** The Bot API server (= sandbox.botApi). */
  server: BotApiServer;
  /** A user sends `text` (in private, or in `chat` given as the MTProto id); resolves with the bot's first matching message. */
  say(from: bigint, text: string, o?: { chat?: bigint; match?: (r: SentRecord) => boolean; timeoutMs?: number }): Promise<SentRecord>;
  /** Presses a button of a bot message; resolves with the next matching message or edit. */
  press(from: bigint, message: SentRecord, data: string, match?: (r: SentRecord) => boolean): Promise<SentRecord>;
  /** Everything the bot sent since `after` (sequence number). */
  sentSince(after: number): SentRecord[];
  stop(): Promise<void>;
}

export async function startBotWorld(o: {
  scenario?: Record<string, unknown>;
  world?: World;
  store?: Store;
  fill?: 'world' | 'none';
  /** Also start the MTProto server (for tests that fill the store through a real sync). */
  mtproto?: boolean;
  bot?: Partial<CreateBotOptions>;
} = {}): Promise<BotWorld> {
  const world = o.world ?? World.fromScenario(o.scenario ?? scenario());
  if (!o.world) world.setClock(() => T0 + 10_000);
  const sandbox = await startSandbox({ world, mtproto: o.mtproto ?? false });
  const server = sandbox.botApi;
  const store = o.store ?? openStore(':memory:');
  if ((o.fill ?? 'world') === 'world') fillStoreFromWorld(store, world);
  const bot = createBot({
    token: server.token,
    apiRoot: server.root,
    store,
    logger: pino({ level: process.env.BOT_TEST_LOG ?? 'silent' }),
    adminIds: [],
    watchChats: world.chats().map((c) => ({ kind: 'id' as const, chatId: botApiChatIdFromChannel(c.id) })),
    now: () => (T0 + 10_000) * 1000,
    ...o.bot,
  });
  const running = runBot(bot, { timeoutSeconds: 1 });
  // Polling has started once the first getUpdates reached the server.
  await waitUntil(() => server.driver.calls('getUpdates') > 0);
  const driver = server.driver;

  const say: BotWorld['say'] = async (from, text, opts = {}) => {
    const after = driver.cursor;
    const chat = opts.chat === undefined ? undefined : botApiChatIdFromChannel(opts.chat);
    driver.message({ from, text, ...(chat !== undefined ? { chat } : {}) });
    return driver.waitForSent(opts.match ?? (() => true), { after, timeoutMs: opts.timeoutMs ?? 10_000 });
  };
  const press: BotWorld['press'] = async (from, message, data, match) => {
    const after = driver.cursor;
    driver.press({ from, messageId: message.message_id, data });
    return driver.waitForSent(match ?? (() => true), { after, timeoutMs: 10_000 });
  };
  return {
    world,
    store,
    bot,
    running,
    sandbox,
    server,
    say,
    press,
    sentSince: (after) => driver.sent(after),
    async stop() {
      await running.stop();
      await sandbox.stop();
      store.close();
    },
  };
}

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting for the bot to start polling');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Polls `read` until it gives a value (the store written by an update the bot is handling); fails after `timeoutMs`. */
export async function eventually<T>(read: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The buttons of a message as [text, callback_data] pairs. */
export function buttons(r: SentRecord): { text: string; data: string }[] {
  const markup = r.reply_markup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined;
  return (markup?.inline_keyboard ?? []).flat().flatMap((b) => (b.callback_data ? [{ text: b.text, data: b.callback_data }] : []));
}

/** The text of a message as last sent or edited. */
export function textOf(r: SentRecord): string {
  return r.text ?? r.caption ?? '';
}
