/**
 * How a person appears in an answer: their name as a mention (a `tg://user?id=` link, which opens
 * the profile even without a username), then `@username` when there is one.
 */
import { atUsername, escapeHtml, isolate, link } from './html.js';

export interface PersonFields {
  readonly id: bigint;
  readonly firstName?: string | null;
  readonly lastName?: string | null;
  readonly username?: string | null;
}

/** "Ann Lee", or "Deleted account" / "user 123" when Telegram gave no name. */
export function displayName(p: PersonFields): string {
  const name = [p.firstName ?? '', p.lastName ?? ''].join(' ').trim();
  return name === '' ? `user ${p.id}` : name;
}

/** The name as a clickable mention, escaped and isolated (RTL-safe). */
export function mention(p: PersonFields): string {
  return link(`tg://user?id=${p.id}`, isolate(escapeHtml(displayName(p))));
}

/** Mention plus " @username" when the user has one. */
export function personLine(p: PersonFields): string {
  const handle = p.username ? ` ${atUsername(p.username)}` : '';
  return `${mention(p)}${handle}`;
}
