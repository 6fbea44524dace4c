/**
 * Finding the link an admin typed: parsed by THE normaliser, then looked up only among the chats
 * the sender administers (in a group: that group). Every failure is one line with an example.
 */
import type { BotContext, AdminChat } from '../context.js';
import type { LinkRow } from '../../store/index.js';
import { isInvalidInviteLinkError, parseInviteLink } from '../../domain/invite-link.js';
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
    return { ok: false, message: `${escapeHtml(error.message, 300)}. Example: ${example}` };
  }
  const inGroup = ctx.chat !== undefined && ctx.chat.type !== 'private';
  const groupId = inGroup ? BigInt(ctx.chat!.id) : undefined;
  for (const chat of ctx.adminChats) {
    const link = ctx.store.links.get(chat.id, canonical);
    if (!link) continue;
    if (groupId !== undefined && chat.id !== groupId) {
      return { ok: false, message: 'That link belongs to another chat; ask about it there or in a private chat with me.' };
    }
    return { ok: true, chat, link };
  }
  // Same answer for "unknown" and "someone else's chat": no probing of what joinwatch watches.
  const scope = groupId !== undefined ? ctx.adminChats.filter((c) => c.id === groupId) : ctx.adminChats;
  const newest = Math.max(...scope.map((c) => lastSyncAt(ctx, c.id) ?? 0));
  const when = freshnessLine(newest > 0 ? newest : undefined, ctx.deps.now());
  return { ok: false, message: `${escapeHtml(canonical, 120)} has not been seen in your chats yet. ${when} Example: ${example}` };
}
