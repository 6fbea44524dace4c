/**
 * The /links list and the /joiners header: what Telegram Desktop's invite-link screen shows per
 * link (title, creator, joined / limit, pending, created, expiry or revoked), plus last activity.
 */
import { bold, escapeHtml, userText } from './html.js';
import { formatDate } from './time.js';
import { personLine, type PersonFields } from './user.js';

export interface LinkView {
  readonly link: string;
  readonly title: string | null;
  readonly adminId: bigint;
  readonly date: number;
  readonly expireDate: number | null;
  readonly usageLimit: number | null;
  readonly revoked: boolean;
  readonly permanent: boolean;
  readonly requestNeeded?: boolean;
  /** Members through the link now. */
  readonly joined: number;
  /** Stays stored, and those still open: the difference left (shown as "N left"). */
  readonly joinsStored?: number;
  readonly membersStored?: number;
  /** Pending requests stored for the link. */
  readonly pending: number;
  /** Newest join or request date; `lastJoinDate` tells which of the two it was. */
  readonly lastActivity?: number | null;
  readonly lastJoinDate?: number | null;
  readonly goneAt?: number | null;
  /** false: the link is known but the userbot may not list its joiners (not its creator, not the owner). */
  readonly visible?: boolean;
}

/** The link itself, then the title when it has one. */
export function linkName(l: LinkView): string {
  const title = l.title ? ` ${userText(l.title, 32)}` : l.permanent ? ' (primary link)' : '';
  return `${escapeHtml(l.link, 120)}${title}`;
}

/** "ends 2026-02-01 00:00", "expired 2026-…", "revoked", "gone" or "" for a live link. */
export function linkState(l: LinkView, nowMs: number): string {
  if (l.goneAt) return 'deleted on Telegram';
  if (l.visible === false) return l.revoked ? 'revoked · joiners not visible to the userbot' : 'joiners not visible to the userbot';
  if (l.revoked) return 'revoked';
  if (l.expireDate) return `${l.expireDate * 1000 < nowMs ? 'expired' : 'expires'} ${formatDate(l.expireDate)}`;
  return '';
}

/**
 * Members through a link now: Telegram's own `usage` count (members who left are not in it), or the
 * members the store holds when there are more of them (a link whose joiners the userbot may not list).
 */
export function joinedCount(l: { usage: number; membersStored: number }): number {
  return Math.max(l.usage, l.membersStored);
}

export function joinedText(l: LinkView): string {
  const joined = l.usageLimit ? `${l.joined} / ${l.usageLimit} joined` : `${l.joined} joined`;
  const left = (l.joinsStored ?? 0) - (l.membersStored ?? 0);
  return left > 0 ? `${joined} · ${left} left` : joined;
}

/** Several lines: the header of a /joiners answer. */
export function linkHeader(l: LinkView, creator: PersonFields, nowMs: number): string[] {
  const state = linkState(l, nowMs);
  return [
    bold(linkName(l)),
    `Created by ${personLine(creator)} on ${formatDate(l.date)}`,
    `${joinedText(l)} · ${l.pending} pending${l.requestNeeded ? ' · admin approval' : ''}${state ? ` · ${state}` : ''}`,
  ];
}

/** One /links entry (two lines, both self-contained HTML). */
export function linkEntry(l: LinkView, creator: PersonFields, nowMs: number): string[] {
  const state = linkState(l, nowMs);
  const last = l.lastActivity ? ` · last ${l.lastActivity === l.lastJoinDate ? 'join' : 'request'} ${formatDate(l.lastActivity)}` : '';
  return [
    `• ${linkName(l)}`,
    `   by ${personLine(creator)} · ${joinedText(l)} · ${l.pending} pending${state ? ` · ${state}` : ''}${last}`,
  ];
}
