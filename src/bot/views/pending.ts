/** One line per pending join request: mention, @username, date, how it came (link, public username…), bio. */
import { escapeHtml, isolate } from './html.js';
import type { Texts } from '../i18n/texts.js';
import { formatDate } from './time.js';
import { personLine, type PersonFields } from './user.js';

/** Without a link: 'username' (the default), 'unlisted' (a link the userbot cannot list) or 'unknown' (not read yet). */
export type RequestOrigin = 'link' | 'username' | 'unlisted' | 'unknown';

export interface RequestView extends PersonFields {
  readonly date: number;
  readonly link: string | null;
  readonly via?: RequestOrigin;
  readonly about: string | null;
}

export function requestLine(tx: Texts, r: RequestView, index: number): string {
  const via = viaText(tx, r.link && escapeHtml(r.link, 120), r.via);
  const bio = r.about ? `\n   ${tx.t('request-bio', { bio: isolate(escapeHtml(r.about, 140)) })}` : '';
  return `${index}. ${personLine(tx, r)} · ${formatDate(tx, r.date)} · ${via}${bio}`;
}

/**
 * "via https://t.me/+…" (the link already escaped); without one "via the public username", or "via a
 * link the userbot cannot list" (never claimed to be the username's), or "link not known yet".
 */
export function viaText(tx: Texts, escapedLink: string | null, origin?: RequestOrigin): string {
  if (escapedLink) return tx.t('request-via-link', { link: escapedLink });
  if (origin === 'unlisted') return tx.t('request-via-unlisted');
  if (origin === 'unknown') return tx.t('request-via-unknown');
  return tx.t('request-via-username');
}
