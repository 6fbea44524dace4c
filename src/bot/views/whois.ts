/** /whois lines: every join and request of one user in the chats the asker administers. */
import type { Texts } from '../i18n/texts.js';
import { escapeHtml, isolate, userText } from './html.js';
import { leftText, type LeftHow } from './joiners.js';
import { viaText, type RequestOrigin } from './pending.js';
import { formatDate } from './time.js';
import { mention, type PersonFields } from './user.js';

export interface WhoisJoin {
  chatTitle: string;
  link: string;
  linkTitle: string | null;
  date: number;
  approvedBy: bigint | null;
  viaChatlist: boolean;
  leftAt?: number | null;
  leftHow?: LeftHow | null;
}

export interface WhoisRequest {
  chatTitle: string;
  link: string | null;
  via?: RequestOrigin;
  date: number;
  about: string | null;
  status: 'pending' | 'approved' | 'declined' | 'gone';
  decidedAt: number | null;
  decidedBy: bigint | null;
}

type Names = (id: bigint) => PersonFields;

function via(tx: Texts, link: string | null, title: string | null, origin?: RequestOrigin): string {
  return viaText(tx, link === null ? null : `${escapeHtml(link, 120)}${title ? ` (${userText(title, 32)})` : ''}`, origin);
}

export function whoisJoinLine(tx: Texts, j: WhoisJoin, names: Names): string {
  const parts = [tx.t('whois-joined', { chat: userText(j.chatTitle), date: formatDate(tx, j.date), via: via(tx, j.link, j.linkTitle) })];
  if (j.approvedBy !== null) parts.push(tx.t('joiner-approved-by', { admin: mention(tx, names(j.approvedBy)) }));
  if (j.viaChatlist) parts.push(tx.t('joiner-via-folder'));
  if (j.leftAt != null) parts.push(leftText(tx, j.leftAt, j.leftHow ?? null));
  return parts.join(' · ');
}

export function whoisRequestLine(tx: Texts, r: WhoisRequest, names: Names): string {
  let status = tx.t('whois-status', { status: r.status });
  if (r.decidedBy !== null) status = tx.t('whois-status-by', { status, admin: mention(tx, names(r.decidedBy)) });
  else if (r.status === 'approved') status = tx.t('whois-status-elsewhere', { status });
  if (r.decidedAt !== null && r.status !== 'pending') status = tx.t('whois-status-on', { status, date: formatDate(tx, r.decidedAt) });
  const bio = r.about ? ` · ${tx.t('whois-bio', { bio: isolate(escapeHtml(r.about, 140)) })}` : '';
  return `${tx.t('whois-requested', { chat: userText(r.chatTitle), date: formatDate(tx, r.date), via: via(tx, r.link, null, r.via), status })}${bio}`;
}
