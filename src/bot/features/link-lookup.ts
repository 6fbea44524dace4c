/**
 * Finding the link an admin typed: parsed by THE normaliser, then looked up only among the chats
 * the sender administers (in a group: that group). Every failure is one line with an example.
 */
import type { BotContext, AdminChat } from '../context.js';
import type { LinkRow } from '../../store/index.js';
import { isInvalidInviteLinkError, parseInviteLink, type InvalidLinkCode } from '../../domain/invite-link.js';
import { requireSomeChat } from '../middlewares/access.js';
import { escapeHtml } from '../views/html.js';
import { freshnessLine } from '../views/time.js';
import { lastSyncAt } from './common.js';

export type LinkLookup = { ok: true; chat: AdminChat; link: LinkRow } | { ok: false; message: string };

export function lookupLink(ctx: BotContext, input: string, example: string): LinkLookup {
  let canonical: string;
  try {
    canonical = parseInviteLink(input).link;
  } catch (error) {
    if (!isInvalidInviteLinkError(error)) throw error;
    const reason = ctx.t(INVALID_LINK_REASONS[error.code], { detail: escapeHtml(error.detail, 100) });
    return { ok: false, message: ctx.t('link-invalid', { reason, example }) };
  }
  const inGroup = ctx.chat !== undefined && ctx.chat.type !== 'private';
  const groupId = inGroup ? BigInt(ctx.chat!.id) : undefined;
  // In a group only the group's own links exist: the members reading the answer must not learn
  // that another chat is watched, so another chat's link is answered exactly like an unknown one.
  const scope = groupId !== undefined ? ctx.adminChats.filter((c) => c.id === groupId) : ctx.adminChats;
  for (const chat of scope) {
    const link = ctx.store.links.get(chat.id, canonical);
    if (link) return { ok: true, chat, link };
  }
  // Same answer for "unknown" and "someone else's chat": no probing of what joinwatch watches.
  const newest = Math.max(...scope.map((c) => lastSyncAt(ctx, c.id) ?? 0));
  const when = freshnessLine(ctx.texts, newest > 0 ? newest : undefined, ctx.deps.now());
  return { ok: false, message: ctx.t('link-not-seen', { link: escapeHtml(canonical, 120), freshness: when, example }) };
}

const INVALID_LINK_REASONS: Record<InvalidLinkCode, string> = {
  'not-text': 'link-invalid-not-text',
  empty: 'link-invalid-empty',
  'too-long': 'link-invalid-too-long',
  'malformed-tg': 'link-invalid-malformed-tg',
  'tg-not-join': 'link-invalid-tg-not-join',
  'malformed-url': 'link-invalid-malformed-url',
  scheme: 'link-invalid-scheme',
  host: 'link-invalid-host',
  public: 'link-invalid-public',
  phone: 'link-invalid-phone',
  hash: 'link-invalid-hash',
};

/** What a command taking "a link, or a chat" (/stats, /export) is about, as its parser found it. */
export interface LinkOrChat {
  readonly link?: string | undefined;
  readonly chat?: string | undefined;
}

/**
 * Runs `run` for the chat such a command is about: with a link, the sender's chat that holds it
 * (unknown or foreign links get one line with `example`); without one, the chat `ctx.withChat`
 * settles on (this group, the named chat, the only one, or a "Which chat?" pick).
 */
export async function withLinkOrChat(
  ctx: BotContext,
  target: LinkOrChat,
  example: string,
  run: (chat: AdminChat, link: LinkRow | undefined) => Promise<void>,
): Promise<void> {
  if (target.link === undefined) return ctx.withChat(target.chat, (chat) => run(chat, undefined));
  if (!(await requireSomeChat(ctx))) return;
  const found = lookupLink(ctx, target.link, example);
  if (!found.ok) {
    await ctx.reply(found.message, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
    return;
  }
  await run(found.chat, found.link);
}
