/**
 * The notifier's texts, as Telegram HTML built with the bot views' one escaping function, so a
 * name full of `<`, `&` or right-to-left marks cannot break a notification. Each builder returns
 * message parts already split under Telegram's 4096-character limit.
 */
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
const IMPORT_LINK_LINES = 10;

/** What a chat's initial import brought, per link, as the store holds it when the summary goes out. */
export interface ImportSummary {
  links: readonly { link: string; title: string | null; joined: number; pending: number }[];
  /** Every pending request of the chat (those through the public username included). */
  pending: number;
}

/**
 * A chat's first sync, in a few lines: how many joined through each link and how many wait,
 * with a pointer to /pending, instead of a digest of every person the import found.
 */
export function importMessage(chatId: bigint, summary: ImportSummary, names: Names): string[] {
  const links = [...summary.links].sort((a, b) => b.joined - a.joined || b.pending - a.pending || a.link.localeCompare(b.link));
  const joined = links.reduce((n, l) => n + l.joined, 0);
  const lines = [
    `📥 ${bold('Initial import')} of ${userText(names.chat(chatId))}: ${count(links.length, 'invite link')}, ${count(joined, 'join')}, ${count(summary.pending, 'pending join request')}.`,
  ];
  for (const l of links.slice(0, IMPORT_LINK_LINES)) lines.push(`• ${linkText(chatId, l.link, names, l.title)}: ${l.joined} joined, ${l.pending} pending`);
  if (links.length > IMPORT_LINK_LINES) lines.push(`… and ${count(links.length - IMPORT_LINK_LINES, 'more link')}`);
  const publicPending = summary.pending - links.reduce((n, l) => n + l.pending, 0);
  if (publicPending > 0) lines.push(`• through the public username: ${publicPending} pending`);
  lines.push(summary.pending > 0 ? 'Review the pending requests with /pending. From now on, new ones come as digests.' : 'From now on, new join requests come as digests.');
  return splitMessage(lines);
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

export function digestMessage(chatId: bigint, requests: readonly RequestEvent[], names: Names): string[] {
  const n = requests.length;
  const lines = [`🔔 ${bold(`${n} new join request${n === 1 ? '' : 's'}`)} in ${userText(names.chat(chatId))}`];
  for (const r of requests.slice(0, DIGEST_LINES)) lines.push(`• ${personText(r.userId, names)} · ${formatDate(r.date)} UTC`);
  if (n > DIGEST_LINES) lines.push(`… and ${n - DIGEST_LINES} more`);
  const byLink = countByLink(requests);
  if (byLink.length > 1 || byLink[0]?.link !== null) {
    lines.push('Through: ' + byLink.slice(0, 5).map((l) => `${linkText(chatId, l.link, names)} ${l.count}`).join(', '));
  }
  lines.push('Review them with /pending');
  return splitMessage(lines);
}

export function raidMessage(finding: RaidFinding, names: Names): string[] {
  const minutes = Math.max(1, Math.round((finding.windowEnd - finding.windowStart) / 60));
  const where = finding.link === null ? 'across the chat' : `through ${linkText(finding.chatId, finding.link, names)}`;
  const usual = finding.expected < 1 ? 'usually under 1' : `usually about ${Math.round(finding.expected)}`;
  return splitMessage([
    `🚨 ${bold('Possible raid')} in ${userText(names.chat(finding.chatId))}`,
    `${finding.count} joins within ${minutes} min ${where} (${usual} in that time).`,
    `From ${formatDate(finding.windowStart)} to ${formatDate(finding.windowEnd)} UTC. Consider revoking the link or enabling join requests.`,
  ]);
}

type AlertEvent = Extract<NotifyEvent, { type: 'link_near_limit' | 'link_expiring' | 'sync_failed' | 'session_revoked' }>;

/** Several alerts of one drain for one chat (or global ones) in one message. */
export function alertsMessage(chatId: bigint | null, alerts: readonly AlertEvent[], names: Names): string[] {
  const head = chatId === null ? `⚠️ ${bold('joinwatch')}` : `⚠️ ${bold('joinwatch')} · ${userText(names.chat(chatId))}`;
  return splitMessage([head, ...alerts.map((a) => alertLine(a, names))]);
}

function alertLine(a: AlertEvent, names: Names): string {
  switch (a.type) {
    case 'link_near_limit':
      return `• Link ${linkText(a.chatId, a.link, names, a.title)} is near its usage limit: ${a.usage} / ${a.usageLimit} joined.`;
    case 'link_expiring':
      return `• Link ${linkText(a.chatId, a.link, names, a.title)} expires ${formatDate(a.expireDate)} UTC.`;
    case 'sync_failed':
      return `• Sync failed: ${code(a.error, 300)}. The data shown may be stale; it will be retried.`;
    case 'session_revoked':
      return `• The userbot session was revoked (${code(a.error, 100)}): syncing stopped. Run ${code('joinwatch login')} again.`;
  }
}

function personText(userId: bigint, names: Names): string {
  const u = names.user(userId);
  if (u === undefined) return `user ${userId}`;
  const name = `<a href="tg://user?id=${userId}">${userText(u.name || String(userId))}</a>`;
  return u.username ? `${name} @${escapeHtml(u.username, 40)}` : name;
}

function linkText(chatId: bigint, link: string | null, names: Names, title?: string | null): string {
  if (link === null) return 'public username';
  const t = title ?? names.linkTitle(chatId, link);
  return t ? `${userText(t, 32)} (${code(link)})` : code(link);
}

/** To the admins who can be reached: the notification target refuses, nothing is lost. */
export function refusalMessage(recipient: string, reason: string): string {
  return [
    `⚠️ ${bold('joinwatch')} cannot send notifications to ${code(recipient)}: ${escapeHtml(reason, 200)}.`,
    'They are kept and will all be sent once it accepts them: add the bot to that chat with the right to post (or, for a person, start a chat with the bot).',
  ].join('\n');
}
