/**
 * How a person appears in an answer: their name as a mention (a `tg://user?id=` link, which opens
 * the profile even without a username), then `@username` when there is one.
 */
import type { Texts } from '../i18n/texts.js';
import { atUsername, escapeHtml, isolate, link } from './html.js';

export interface PersonFields {
  readonly id: bigint;
  readonly firstName?: string | null;
  readonly lastName?: string | null;
  readonly username?: string | null;
}

/** "Ann Lee", or "Deleted account" / "user 123" when Telegram gave no name. */
export function displayName(tx: Texts, p: PersonFields): string {
  const name = [p.firstName ?? '', p.lastName ?? ''].join(' ').trim();
  return name === '' ? tx.t('user-fallback-name', { id: String(p.id) }) : name;
}

/** The name as a clickable mention, escaped and isolated (RTL-safe). */
export function mention(tx: Texts, p: PersonFields): string {
  return link(`tg://user?id=${p.id}`, isolate(escapeHtml(displayName(tx, p))));
}

/** Mention plus " @username" when the user has one. */
export function personLine(tx: Texts, p: PersonFields): string {
  const handle = p.username ? ` ${atUsername(p.username)}` : '';
  return `${mention(tx, p)}${handle}`;
}

/**
 * The person as a button label (plain text, no HTML): the display name, cut in the middle when
 * long so that both its start and its end stay readable ("&&&&&…& host_6" stays "host_6").
 */
export function buttonName(tx: Texts, p: PersonFields, max = 28): string {
  // eslint-disable-next-line no-control-regex
  const points = Array.from(displayName(tx, p).replace(/[\u0000-\u001f\u007f\u2066-\u2069\u202a-\u202e]+/g, ' '));
  if (points.length <= max) return points.join('');
  const head = Math.ceil((max - 1) / 2);
  return `${points.slice(0, head).join('')}…${points.slice(points.length - (max - 1 - head)).join('')}`;
}
