/**
 * /whois <@username | id>, or as a reply to a (forwarded) message: every join and request of that
 * person in the chats the asker administers — and only those; another chat's rows never show.
 */
import { Composer } from 'grammy';
import type { Message } from 'grammy/types';
import type { BotContext } from '../context.js';
import { parseId } from '../../domain/chat-id.js';
import { requireSomeChat } from '../middlewares/access.js';
import { atUsername, bold, escapeHtml } from '../views/html.js';
import { personLine, type PersonFields } from '../views/user.js';
import { whoisJoinLine, whoisRequestLine } from '../views/whois.js';
import { freshnessClause, freshnessLine } from '../views/time.js';
import { answerLines, commandArgs, lastSyncAt } from './common.js';

/** Telegram ids are 64-bit signed: anything larger is no one (and would not fit the store's INTEGER). */
const MAX_USER_ID = 2n ** 63n - 1n;

type Target = { ok: true; userId: bigint; byUsername?: true } | { ok: false; message: string };

export function whoisFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command('whois', async (ctx) => {
    const args = await commandArgs(ctx, ctx.t('whois-example'));
    if (args === undefined || !(await requireSomeChat(ctx))) return;
    const target = findTarget(ctx, args, ctx.msg.reply_to_message);
    if (!target.ok) {
      await ctx.reply(target.message);
      return;
    }
    const lines = whoisLines(ctx, target.userId);
    // Known to joinwatch only through chats the asker does not administer: answer exactly as for
    // a username never seen, or the difference would tell them what other chats' data holds.
    if (lines === undefined && target.byUsername) await ctx.reply(notSeen(ctx));
    else await answerLines(ctx, lines ?? nothingLines(ctx, target.userId));
  });
  return feature;
}

function notSeen(ctx: BotContext): string {
  return ctx.t('whois-not-seen', { freshness: freshnessText(ctx, freshnessClause), example: ctx.t('whois-example') });
}

/** For an id (or a forward) with nothing in the asker's chats: no stored name, no name history. */
function nothingLines(ctx: BotContext, userId: bigint): string[] {
  return [ctx.t('whois-nothing', { id: String(userId) }), '', `<i>${escapeHtml(freshnessText(ctx), 200)}</i>`];
}

/** How fresh an answer drawn from all the asker's chats is: as fresh as the stalest of them. */
function freshnessText(ctx: BotContext, format = freshnessLine): string {
  const times = ctx.adminChats.map((c) => lastSyncAt(ctx, c.id));
  const stalest = times.length === 0 || times.includes(undefined) ? undefined : Math.min(...(times as number[]));
  return format(ctx.texts, stalest, ctx.deps.now());
}

function findTarget(ctx: BotContext, args: string, replied: Message | undefined): Target {
  const first = args.split(/\s+/)[0] ?? '';
  const example = ctx.t('whois-example');
  if (first === '' && replied) return fromReply(ctx, replied);
  if (first === '') return { ok: false, message: ctx.t('whois-whom', { example }) };
  if (/^[-+]?\d+$/.test(first)) {
    // Digits are an id (usernames start with a letter); one past 64 bits is no one's.
    const id = parseId(first);
    return id !== undefined && id > 0n && id <= MAX_USER_ID ? { ok: true, userId: id } : { ok: false, message: ctx.t('whois-not-an-id', { example }) };
  }
  if (!/^@?[A-Za-z0-9_]{3,32}$/.test(first)) return { ok: false, message: ctx.t('whois-not-a-username', { example }) };
  const user = ctx.store.users.byUsername(first.replace(/^@/, ''));
  return user ? { ok: true, userId: user.id, byUsername: true } : { ok: false, message: notSeen(ctx) };
}

function fromReply(ctx: BotContext, replied: Message): Target {
  const origin = replied.forward_origin;
  if (origin?.type === 'user') return { ok: true, userId: BigInt(origin.sender_user.id) };
  if (origin?.type === 'hidden_user') {
    return { ok: false, message: ctx.t('whois-hidden-forward') };
  }
  if (origin) return { ok: false, message: ctx.t('whois-forward-from-chat') };
  if (replied.from && !replied.from.is_bot) return { ok: true, userId: BigInt(replied.from.id) };
  return { ok: false, message: ctx.t('whois-reply-to-person', { example: ctx.t('whois-example') }) };
}

/** Every join and request of the user in the asker's chats; undefined when there is none. */
export function whoisLines(ctx: BotContext, userId: bigint): string[] | undefined {
  const chats = new Map(ctx.adminChats.map((c) => [c.id, c]));
  const activity = ctx.store.whois(userId, [...chats.keys()]);
  if (activity.joins.length === 0 && activity.requests.length === 0) return undefined;
  const names = (id: bigint): PersonFields => ({ ...ctx.store.users.get(id), id });
  const title = (chatId: bigint) => chats.get(chatId)?.title ?? chatId.toString();
  const who = activity.user ? { ...activity.user, id: userId } : { id: userId };
  const lines = [ctx.t('whois-title', { person: personLine(ctx.texts, who), id: String(userId) })];
  if (activity.joins.length > 0) lines.push('', bold(ctx.t('whois-joins')));
  for (const j of activity.joins) lines.push(whoisJoinLine(ctx.texts, { ...j, chatTitle: title(j.chatId) }, names));
  if (activity.requests.length > 0) lines.push('', bold(ctx.t('whois-requests')));
  for (const r of activity.requests) lines.push(whoisRequestLine(ctx.texts, { ...r, chatTitle: title(r.chatId) }, names));
  const changes = ctx.store.users.history(userId).slice(-5);
  if (changes.length > 0) lines.push('', bold(ctx.t('whois-earlier-names')));
  for (const c of changes) lines.push(`• ${escapeHtml([c.old.firstName, c.old.lastName].join(' ').trim() || '—')}${c.old.username ? ` ${atUsername(c.old.username)}` : ''}`);
  lines.push('', `<i>${escapeHtml(freshnessText(ctx), 200)}</i>`);
  return lines;
}
