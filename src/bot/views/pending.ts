/** One line per pending join request: mention, @username, date, link (or "public username"), bio. */
import { escapeHtml, isolate } from './html.js';
import type { Texts } from '../i18n/texts.js';
import { formatDate } from './time.js';
import { personLine, type PersonFields } from './user.js';

export interface RequestView extends PersonFields {
  readonly date: number;
  readonly link: string | null;
  readonly about: string | null;
}

export function requestLine(tx: Texts, r: RequestView, index: number): string {
  const via = viaText(tx, r.link && escapeHtml(r.link, 120));
  const bio = r.about ? `\n   ${tx.t('request-bio', { bio: isolate(escapeHtml(r.about, 140)) })}` : '';
  return `${index}. ${personLine(tx, r)} · ${formatDate(tx, r.date)} · ${via}${bio}`;
}

/** "via https://t.me/+…" (the link already escaped), or "via the public username" for none. */
export function viaText(tx: Texts, escapedLink: string | null): string {
  return escapedLink ? tx.t('request-via-link', { link: escapedLink }) : tx.t('request-via-username');
}
