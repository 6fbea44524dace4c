/** One line per pending join request: mention, @username, date, how it came (link, public username…), bio. */
import { escapeHtml, isolate } from './html.js';
import { formatDate } from './time.js';
import { personLine, type PersonFields } from './user.js';

export interface RequestView extends PersonFields {
  readonly date: number;
  readonly link: string | null;
  /** Without a link: 'username' (default), 'unlisted' (a link the userbot cannot list) or 'unknown' (not read yet). */
  readonly via?: 'link' | 'username' | 'unlisted' | 'unknown';
  readonly about: string | null;
}

/** How a request came, when not through a known link. */
export function viaText(r: { link: string | null; via?: RequestView['via'] }): string {
  if (r.link) return `via ${escapeHtml(r.link, 120)}`;
  if (r.via === 'unlisted') return 'via a link the userbot cannot list';
  if (r.via === 'unknown') return 'link not known yet';
  return 'via the public username';
}

export function requestLine(r: RequestView, index: number): string {
  const via = viaText(r);
  const bio = r.about ? `\n   “${isolate(escapeHtml(r.about, 140))}”` : '';
  return `${index}. ${personLine(r)} · ${formatDate(r.date)} · ${via}${bio}`;
}
