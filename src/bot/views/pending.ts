/** One line per pending join request: mention, @username, date, link (or "public username"), bio. */
import { escapeHtml, isolate } from './html.js';
import { formatDate } from './time.js';
import { personLine, type PersonFields } from './user.js';

export interface RequestView extends PersonFields {
  readonly date: number;
  readonly link: string | null;
  readonly about: string | null;
}

export function requestLine(r: RequestView, index: number): string {
  const via = r.link ? `via ${escapeHtml(r.link, 120)}` : 'via the public username';
  const bio = r.about ? `\n   “${isolate(escapeHtml(r.about, 140))}”` : '';
  return `${index}. ${personLine(r)} · ${formatDate(r.date)} · ${via}${bio}`;
}
