/**
 * Access control: a user may read chat X only if X is in WATCH_CHATS and the Bot API lists them
 * among X's administrators (cached, see admin-cache.ts), or they are in ADMIN_IDS (read only:
 * deciding is checked against Telegram's own rights in decide.ts). This middleware resolves, for
 * each update, the watched chats the sender may read (`ctx.adminChats`) and installs
 * `ctx.withChat`, the one place that decides which chat a command is about and refuses the rest.
 */
import type { MiddlewareFn } from 'grammy';
import type { AdminChat, BotContext } from '../context.js';
import { parseId } from '../../domain/chat-id.js';
import type { AdminCache } from './admin-cache.js';
import { pickedChatOf } from '../rerun.js';
import { askForChat } from './chat-pick.js';
import { isServed, servedChats } from '../watched.js';

/**
 * The answer for a sender who may read no chat: a refusal, unless there is simply nothing yet
 * (before the userbot's first sync the store knows no chat at all: say so rather than "not an admin").
 */
function refusalWithoutChats(ctx: BotContext): string {
  return ctx.t(servedChats(ctx.store, ctx.deps.watchChats).length === 0 ? 'access-nothing-synced' : 'access-not-admin');
}

export interface AccessOptions {
  readonly cache: AdminCache;
}

export function accessMiddleware(opts: AccessOptions): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    ctx.adminChats = await resolveAdminChats(ctx, opts.cache);
    ctx.withChat = (arg, run) => withChat(ctx, arg, run);
    await next();
  };
}

async function resolveAdminChats(ctx: BotContext, cache: AdminCache): Promise<AdminChat[]> {
  const from = ctx.from;
  if (!from || from.is_bot) return [];
  const userId = BigInt(from.id);
  const watched = servedChats(ctx.store, ctx.deps.watchChats);
  if (ctx.deps.adminIds.has(userId)) return watched;
  const allowed = await Promise.all(watched.map((chat) => cache.isAdmin(chat.id, userId)));
  return watched.filter((_, i) => allowed[i]);
}

/** The refusal in a group: "not an admin" only where joinwatch serves the group, else "not watched". */
export function groupRefusal(ctx: BotContext, groupId: bigint): string {
  return ctx.t(isServed(ctx.store, ctx.deps.watchChats, groupId) ? 'access-group-not-admin' : 'access-group-unwatched');
}

async function withChat(
  ctx: BotContext,
  arg: string | undefined,
  run: (chat: AdminChat) => Promise<void>,
): Promise<void> {
  const here = ctx.chat;
  if (here && here.type !== 'private') {
    // In a group the command is about the group itself; results still go to the admin privately.
    const chat = ctx.adminChats.find((c) => c.id === BigInt(here.id));
    if (chat) return run(chat);
    await ctx.reply(groupRefusal(ctx, BigInt(here.id)));
    return;
  }
  if (ctx.adminChats.length === 0) {
    await ctx.reply(refusalWithoutChats(ctx));
    return;
  }
  if (arg !== undefined && arg.trim() !== '') {
    const chat = findChat(ctx.adminChats, arg);
    // The same answer whether the chat is unknown or someone else's: no probing of what we watch.
    if (!chat) {
      await ctx.reply(ctx.t('access-unknown-chat', { example: chatExample(ctx) }));
      return;
    }
    return run(chat);
  }
  const picked = pickedChatOf(ctx);
  if (picked !== undefined) {
    // The command run again after a "Which chat?" press: that chat, if the presser may still read it.
    const chat = ctx.adminChats.find((c) => c.id === picked);
    if (chat) return run(chat);
    await ctx.reply(ctx.t('pick-chat-no-longer-admin'));
    return;
  }
  const only = ctx.adminChats.length === 1 ? ctx.adminChats[0] : undefined;
  if (only) return run(only);
  await askForChat(ctx);
}

/** How to name a chat, shown with the command that was sent (/export also needs what to export). */
function chatExample(ctx: BotContext): string {
  const command = /^\/([A-Za-z0-9_]{1,32})/.exec(ctx.msg?.text ?? '')?.[1]?.toLowerCase() ?? 'links';
  return `/${command} -1001234567890${command === 'export' ? ' pending' : ''}`;
}

/** Finds a chat by Bot API id (`-100…`) or `@username` among `chats`. */
export function findChat(chats: readonly AdminChat[], arg: string): AdminChat | undefined {
  const text = arg.trim();
  const id = parseId(text);
  if (id !== undefined) return chats.find((c) => c.id === id);
  if (!text.startsWith('@')) return undefined;
  const name = text.slice(1).toLowerCase();
  return chats.find((c) => c.username?.toLowerCase() === name);
}

/**
 * Splits a leading chat reference off a command's arguments: `-100…` or an `@username` that names a
 * watched chat. `/pending @rustgroup ann` → chat `@rustgroup`, rest `ann`; `/pending @ann` stays a query.
 */
export function splitChatArg(ctx: BotContext, text: string): { chatArg?: string; rest: string } {
  const trimmed = text.trim();
  const [first = '', ...others] = trimmed.split(/\s+/);
  const rest = others.join(' ');
  if (/^-100\d{1,16}$/.test(first)) return { chatArg: first, rest };
  if (first.startsWith('@') && ctx.store.chats.byUsername(first) !== undefined) return { chatArg: first, rest };
  return { rest: trimmed };
}

/**
 * For commands whose argument names the chat (a link, a user): refuses, and returns false, when the
 * sender may read no chat here (in a group: not this group). Same wording as `withChat`.
 */
export async function requireSomeChat(ctx: BotContext): Promise<boolean> {
  const here = ctx.chat;
  if (here && here.type !== 'private') {
    if (ctx.adminChats.some((c) => c.id === BigInt(here.id))) return true;
    await ctx.reply(groupRefusal(ctx, BigInt(here.id)));
    return false;
  }
  if (ctx.adminChats.length > 0) return true;
  await ctx.reply(refusalWithoutChats(ctx));
  return false;
}
