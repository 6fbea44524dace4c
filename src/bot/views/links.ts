/**
 * The /links list and the /joiners header: what Telegram Desktop's invite-link screen shows per
 * link (title, creator, joined / limit, pending, created, expiry or revoked), plus last activity.
 */
import type { Texts } from '../i18n/texts.js';
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
  /** When the sync found its creator no longer an admin of the chat (demoted or left). */
  readonly adminDepartedAt?: number | null;
  /** false: the link is known but the userbot may not list its joiners (not its creator, not the owner). */
  readonly visible?: boolean;
}

/** The link itself, then the title when it has one. */
export function linkName(tx: Texts, l: LinkView): string {
  const title = l.title ? ` ${userText(l.title, 32)}` : l.permanent ? ` ${tx.t('link-primary')}` : '';
  return `${escapeHtml(l.link, 120)}${title}`;
}

/**
 * "ends 2026-02-01 00:00", "expired 2026-…", "revoked", "gone" or "" for a live link; then, when
 * its creator is no longer an admin, "admin departed 2026-…" (a deleted link says only that).
 */
export function linkState(tx: Texts, l: LinkView, nowMs: number): string {
  if (l.goneAt) return tx.t('link-deleted');
  const own = ownState(tx, l, nowMs);
  if (!l.adminDepartedAt) return own;
  const departed = tx.t('link-admin-departed', { date: formatDate(tx, l.adminDepartedAt) });
  return own ? `${own} · ${departed}` : departed;
}

function ownState(tx: Texts, l: LinkView, nowMs: number): string {
  if (l.visible === false) return l.revoked ? `${tx.t('link-revoked')} · ${tx.t('link-invisible')}` : tx.t('link-invisible');
  if (l.revoked) return tx.t('link-revoked');
  if (l.expireDate) return tx.t(l.expireDate * 1000 < nowMs ? 'link-expired' : 'link-expires', { date: formatDate(tx, l.expireDate) });
  return '';
}

/**
 * Members through a link now: Telegram's own `usage` count (members who left are not in it), or the
 * members the store holds when there are more of them (a link whose joiners the userbot may not list).
 */
export function joinedCount(l: { usage: number; membersStored: number }): number {
  return Math.max(l.usage, l.membersStored);
}

export function joinedText(tx: Texts, l: LinkView): string {
  const joined = l.usageLimit ? tx.t('link-joined-of-limit', { joined: l.joined, limit: l.usageLimit }) : tx.t('link-joined', { joined: l.joined });
  const left = (l.joinsStored ?? 0) - (l.membersStored ?? 0);
  return left > 0 ? `${joined} · ${tx.t('link-left', { count: left })}` : joined;
}

/** Several lines: the header of a /joiners answer. */
export function linkHeader(tx: Texts, l: LinkView, creator: PersonFields, nowMs: number): string[] {
  const state = linkState(tx, l, nowMs);
  return [
    bold(linkName(tx, l)),
    tx.t('link-created-by', { creator: personLine(tx, creator), date: formatDate(tx, l.date) }),
    `${joinedText(tx, l)} · ${tx.t('link-pending', { count: l.pending })}${l.requestNeeded ? ` · ${tx.t('link-admin-approval')}` : ''}${state ? ` · ${state}` : ''}`,
  ];
}

/** One /links entry (two lines, both self-contained HTML). */
export function linkEntry(tx: Texts, l: LinkView, creator: PersonFields, nowMs: number): string[] {
  const state = linkState(tx, l, nowMs);
  const last = l.lastActivity ? ` · ${tx.t(l.lastActivity === l.lastJoinDate ? 'link-last-join' : 'link-last-request', { date: formatDate(tx, l.lastActivity) })}` : '';
  return [
    `• ${linkName(tx, l)}`,
    `   ${tx.t('link-by', { creator: personLine(tx, creator) })} · ${joinedText(tx, l)} · ${tx.t('link-pending', { count: l.pending })}${state ? ` · ${state}` : ''}${last}`,
  ];
}

/**
 * The note /links shows when some links are invisible. The sync stores it as English text (the
 * operator's `doctor` shows it as is); the two shapes it writes are shown in the admin's language,
 * anything else escaped as it is.
 */
export function invisibleLinksNote(tx: Texts, stored: string): string {
  if (stored.startsWith("the account is not the chat's owner")) return tx.t('links-invisible-not-owner');
  const admin = /^links of admin (\d+) cannot be listed \(([A-Z0-9_]{1,64})\)$/.exec(stored);
  if (admin) return tx.t('links-invisible-admin', { admin: admin[1] ?? '', code: admin[2] ?? '' });
  return escapeHtml(stored, 400);
}
