/**
 * The notifier's texts, as Telegram HTML built with the bot views' one escaping function, so a
 * name full of `<`, `&` or right-to-left marks cannot break a notification. Each builder returns
 * message parts already split under Telegram's 4096-character limit.
 */
import type { Texts } from '../bot/i18n/texts.js';
import { bold, code, escapeHtml, userText } from '../bot/views/html.js';
import { splitMessage } from '../bot/views/split.js';
import { formatDate } from '../bot/views/time.js';
import { countByLink, type RequestEvent } from './digest.js';
import type { NotifyEvent } from './events.js';
import type { RaidFinding } from './raid-detector.js';

/** What the messages need to know about people, chats and links, looked up in the store. */
export interface Names {
  chat(chatId: bigint): string;
  user(userId: bigint): { name: string; username: string | null } | undefined;
  linkTitle(chatId: bigint, link: string): string | null;
}

const DIGEST_LINES = 10;

export function digestMessage(tx: Texts, chatId: bigint, requests: readonly RequestEvent[], names: Names): string[] {
  const n = requests.length;
  const lines = [tx.t('digest-head', { count: n, chat: userText(names.chat(chatId)) })];
  for (const r of requests.slice(0, DIGEST_LINES)) lines.push(tx.t('digest-line', { person: personText(tx, r.userId, names), date: formatDate(tx, r.date) }));
  if (n > DIGEST_LINES) lines.push(tx.t('digest-more', { count: n - DIGEST_LINES }));
  const byLink = countByLink(requests);
  if (byLink.length > 1 || byLink[0]?.link !== null || byLink[0]?.unlisted || byLink[0]?.unknown) {
    const through = (l: (typeof byLink)[number]) =>
      l.unlisted ? tx.t('notify-unlisted-links') : l.unknown ? (l.shown ? code(l.shown) : tx.t('notify-link-unknown')) : linkText(tx, chatId, l.link, names);
    lines.push(tx.t('digest-through', { links: byLink.slice(0, 5).map((l) => `${through(l)} ${tx.number(l.count)}`).join(', ') }));
  }
  lines.push(tx.t('digest-review'));
  return splitMessage(lines);
}

export function raidMessage(tx: Texts, finding: RaidFinding, names: Names): string[] {
  const minutes = Math.max(1, Math.round((finding.windowEnd - finding.windowStart) / 60));
  const where = finding.link === null ? tx.t('raid-across-chat') : tx.t('raid-through', { link: linkText(tx, finding.chatId, finding.link, names) });
  const usual = finding.expected < 1 ? tx.t('raid-usual-under-one') : tx.t('raid-usual', { expected: Math.round(finding.expected) });
  return splitMessage([
    tx.t('raid-head', { chat: userText(names.chat(finding.chatId)) }),
    tx.t('raid-count', { count: finding.count, minutes, where, usual }),
    tx.t('raid-window', { from: formatDate(tx, finding.windowStart), to: formatDate(tx, finding.windowEnd) }),
  ]);
}

type AlertEvent = Extract<NotifyEvent, { type: 'link_near_limit' | 'link_expiring' | 'sync_failed' | 'session_revoked' }>;

/** Several alerts of one drain for one chat (or global ones) in one message. */
export function alertsMessage(tx: Texts, chatId: bigint | null, alerts: readonly AlertEvent[], names: Names): string[] {
  const head = chatId === null ? `⚠️ ${bold('joinwatch')}` : `⚠️ ${bold('joinwatch')} · ${userText(names.chat(chatId))}`;
  return splitMessage([head, ...alerts.map((a) => alertLine(tx, a, names))]);
}

function alertLine(tx: Texts, a: AlertEvent, names: Names): string {
  switch (a.type) {
    case 'link_near_limit':
      return tx.t('alert-near-limit', { link: linkText(tx, a.chatId, a.link, names, a.title), usage: a.usage, limit: a.usageLimit });
    case 'link_expiring':
      return tx.t('alert-expiring', { link: linkText(tx, a.chatId, a.link, names, a.title), date: formatDate(tx, a.expireDate) });
    case 'sync_failed':
      return tx.t('alert-sync-failed', { error: escapeHtml(syncError(tx, a), 300) });
    case 'session_revoked':
      return tx.t('alert-session-revoked', { error: escapeHtml(a.error, 100) });
  }
}

/** "FloodWait FLOOD_WAIT_3600 on https://t.me/+…" (plain text: the caller escapes it). */
function syncError(tx: Texts, a: Extract<AlertEvent, { type: 'sync_failed' }>): string {
  const error = a.what ?? tx.t('alert-sync-error-unknown');
  if (a.link !== null) return tx.t('alert-sync-error-on-link', { error, link: a.link });
  return a.chat !== null ? tx.t('alert-sync-error-in-chat', { error, chat: a.chat }) : error;
}

function personText(tx: Texts, userId: bigint, names: Names): string {
  const u = names.user(userId);
  if (u === undefined) return tx.t('user-fallback-name', { id: String(userId) });
  const name = `<a href="tg://user?id=${userId}">${userText(u.name || String(userId))}</a>`;
  return u.username ? `${name} @${escapeHtml(u.username, 40)}` : name;
}

function linkText(tx: Texts, chatId: bigint, link: string | null, names: Names, title?: string | null): string {
  if (link === null) return tx.t('notify-public-username');
  const t = title ?? names.linkTitle(chatId, link);
  return t ? `${userText(t, 32)} (${code(link)})` : code(link);
}

/** To the admins who can be reached: the notification target refuses, nothing is lost. */
export function refusalMessage(tx: Texts, recipient: string, reason: string): string {
  return [tx.t('notify-refused', { recipient: escapeHtml(recipient), reason: escapeHtml(reason, 200) }), tx.t('notify-refused-kept')].join('\n');
}
