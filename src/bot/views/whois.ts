/** /whois lines: every join and request of one user in the chats the asker administers. */
import { escapeHtml, isolate, userText } from './html.js';
import { formatDate } from './time.js';
import { mention, type PersonFields } from './user.js';

export interface WhoisJoin {
  chatTitle: string;
  link: string;
  linkTitle: string | null;
  date: number;
  approvedBy: bigint | null;
  viaChatlist: boolean;
}

export interface WhoisRequest {
  chatTitle: string;
  link: string | null;
  date: number;
  about: string | null;
  status: 'pending' | 'approved' | 'declined' | 'gone';
  decidedAt: number | null;
  decidedBy: bigint | null;
}

type Names = (id: bigint) => PersonFields;

function linkText(link: string | null, title: string | null): string {
  if (link === null) return 'the public username';
  return `${escapeHtml(link, 120)}${title ? ` (${userText(title, 32)})` : ''}`;
}

export function whoisJoinLine(j: WhoisJoin, names: Names): string {
  const parts = [`• ${userText(j.chatTitle)}: joined ${formatDate(j.date)} via ${linkText(j.link, j.linkTitle)}`];
  if (j.approvedBy !== null) parts.push(`approved by ${mention(names(j.approvedBy))}`);
  if (j.viaChatlist) parts.push('via folder');
  return parts.join(' · ');
}

const STATUS: Record<WhoisRequest['status'], string> = {
  pending: 'pending',
  approved: 'approved',
  declined: 'declined',
  gone: 'withdrawn or handled elsewhere',
};

export function whoisRequestLine(r: WhoisRequest, names: Names): string {
  let status = STATUS[r.status];
  if (r.decidedBy !== null) status += ` by ${mention(names(r.decidedBy))}`;
  else if (r.status === 'approved') status += ' elsewhere';
  if (r.decidedAt !== null && r.status !== 'pending') status += ` on ${formatDate(r.decidedAt)}`;
  const bio = r.about ? ` · bio “${isolate(escapeHtml(r.about, 140))}”` : '';
  return `• ${userText(r.chatTitle)}: requested ${formatDate(r.date)} via ${linkText(r.link, null)} · ${status}${bio}`;
}
