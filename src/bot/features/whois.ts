/**
 * /whois <@username | id>, or as a reply to a (forwarded) message: every join and request of that
 * person in the chats the asker administers — and only those; another chat's rows never show.
 */
import { Composer } from 'grammy';
import type { Message } from 'grammy/types';
import type { BotContext } from '../context.js';
import { parseId } from '../../domain/chat-id.js';
import { requireSomeChat } from '../middlewares/access.js';
import { bold, escapeHtml } from '../views/html.js';
import { personLine, type PersonFields } from '../views/user.js';
import { whoisJoinLine, whoisRequestLine } from '../views/whois.js';
import { answerLines, commandArgs, freshness } from './common.js';

const EXAMPLE = '/whois @ann_lee or /whois 9000001';

/** Telegram ids are 64-bit signed: anything larger is no one (and would not fit the store's INTEGER). */
const MAX_USER_ID = 2n ** 63n - 1n;

type Target = { ok: true; userId: bigint } | { ok: false; message: string };

export function whoisFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command('whois', async (ctx) => {
    const args = await commandArgs(ctx, EXAMPLE);
    if (args === undefined || !(await requireSomeChat(ctx))) return;
    const target = findTarget(ctx, args, ctx.msg.reply_to_message);
    if (!target.ok) {
      await ctx.reply(target.message);
      return;
    }
    await answerLines(ctx, whoisLines(ctx, target.userId));
  });
  return feature;
}

function findTarget(ctx: BotContext, args: string, replied: Message | undefined): Target {
  const first = args.split(/\s+/)[0] ?? '';
  if (first === '' && replied) return fromReply(replied);
  if (first === '') return { ok: false, message: `Whom? Example: ${EXAMPLE}` };
  const id = parseId(first);
  if (id !== undefined) return id > 0n && id <= MAX_USER_ID ? { ok: true, userId: id } : { ok: false, message: `That is not a user id. Example: ${EXAMPLE}` };
  if (!/^@?[A-Za-z0-9_]{3,32}$/.test(first)) return { ok: false, message: `Not a @username or id. Example: ${EXAMPLE}` };
  const user = ctx.store.users.byUsername(first.replace(/^@/, ''));
  return user ? { ok: true, userId: user.id } : { ok: false, message: `No one with that username has been seen in your chats. Example: ${EXAMPLE}` };
}

function fromReply(replied: Message): Target {
  const origin = replied.forward_origin;
  if (origin?.type === 'user') return { ok: true, userId: BigInt(origin.sender_user.id) };
  if (origin?.type === 'hidden_user') {
    return { ok: false, message: 'That person hides their account in forwards; ask with their @username or id instead.' };
  }
  if (origin) return { ok: false, message: 'That message was forwarded from a chat, not a person.' };
  if (replied.from && !replied.from.is_bot) return { ok: true, userId: BigInt(replied.from.id) };
  return { ok: false, message: `Reply to a person's message, or: ${EXAMPLE}` };
}

export function whoisLines(ctx: BotContext, userId: bigint): string[] {
  const chats = new Map(ctx.adminChats.map((c) => [c.id, c]));
  const activity = ctx.store.whois(userId, [...chats.keys()]);
  const names = (id: bigint): PersonFields => ({ ...ctx.store.users.get(id), id });
  const title = (chatId: bigint) => chats.get(chatId)?.title ?? chatId.toString();
  const who = activity.user ? { ...activity.user, id: userId } : { id: userId };
  const lines = [`${bold('Who is')} ${personLine(who)} (id <code>${userId}</code>)`];
  if (activity.joins.length === 0 && activity.requests.length === 0) {
    lines.push('No joins or requests of this person in your chats (as far as the last sync saw).');
  }
  if (activity.joins.length > 0) lines.push('', bold('Joins'));
  for (const j of activity.joins) lines.push(whoisJoinLine({ ...j, chatTitle: title(j.chatId) }, names));
  if (activity.requests.length > 0) lines.push('', bold('Requests'));
  for (const r of activity.requests) lines.push(whoisRequestLine({ ...r, chatTitle: title(r.chatId) }, names));
  const changes = ctx.store.users.history(userId).slice(-5);
  if (changes.length > 0) lines.push('', bold('Earlier names'));
  for (const c of changes) lines.push(`• ${escapeHtml([c.old.firstName, c.old.lastName].join(' ').trim() || '—')}${c.old.username ? ` @${escapeHtml(c.old.username, 40)}` : ''}`);
  const firstChat = ctx.adminChats[0];
  if (firstChat) lines.push('', freshness(ctx, firstChat.id));
  return lines;
}
