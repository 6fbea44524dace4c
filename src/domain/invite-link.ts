/**
 * THE invite-link normaliser. Telegram writes one link in many spellings (`https://t.me/+HASH`,
 * `t.me/joinchat/HASH`, `https://telegram.me/joinchat/HASH`, `tg://join?invite=HASH`, a bare
 * `+HASH`); the store, the sync and the bot must agree on one, so every link typed by a person or
 * read from Telegram goes through `parseInviteLink` and is kept as `https://t.me/+HASH`.
 */

export interface InviteLink {
  /** Canonical form: `https://t.me/+HASH`. */
  readonly link: string;
  readonly hash: string;
}

/** Why a text is not an invite link, as a stable code (the bot shows each in the admin's language). */
export type InvalidLinkCode =
  | 'not-text' | 'empty' | 'too-long' | 'malformed-tg' | 'tg-not-join' | 'malformed-url' | 'scheme' | 'host' | 'public' | 'phone' | 'hash';

/**
 * A typed failure: `message` is for the operator (CLI, logs) as is; the bot words it from `code`
 * and `detail` (the part of the input the reason names); `input` is kept for logs.
 */
export class InvalidInviteLinkError extends Error {
  readonly kind = 'InvalidInviteLink' as const;
  constructor(
    readonly input: string,
    readonly reason: string,
    readonly code: InvalidLinkCode,
    readonly detail = '',
  ) {
    super(`not an invite link (${reason}): expected https://t.me/+HASH, t.me/joinchat/HASH, tg://join?invite=HASH or +HASH`);
    this.name = 'InvalidInviteLinkError';
  }
}

// Invite hashes are URL-safe base64 (16 random bytes → 22 chars today; older links are shorter).
const HASH_RE = /^[A-Za-z0-9_-]{4,64}$/;
const HOSTS = new Set(['t.me', 'telegram.me', 'telegram.dog']);
const MAX_INPUT = 300;

export function canonicalInviteLink(hash: string): string {
  return `https://t.me/+${hash}`;
}

/** Parses any accepted spelling; throws `InvalidInviteLinkError` for everything else. */
export function parseInviteLink(input: string): InviteLink {
  if (typeof input !== 'string') throw new InvalidInviteLinkError(String(input), 'not text', 'not-text');
  const text = input.trim();
  if (text === '') throw new InvalidInviteLinkError(input, 'empty', 'empty');
  if (text.length > MAX_INPUT) throw new InvalidInviteLinkError(text.slice(0, 40), 'too long', 'too-long');
  const hash = text.toLowerCase().startsWith('tg:') ? hashFromTgUrl(text) : hashFromWebLink(text);
  return { link: canonicalInviteLink(hash), hash };
}

/** The same as `parseInviteLink` but `undefined` instead of an exception (for filters and guesses). */
export function tryParseInviteLink(input: string): InviteLink | undefined {
  try {
    return parseInviteLink(input);
  } catch {
    return undefined;
  }
}

export function isInvalidInviteLinkError(e: unknown): e is InvalidInviteLinkError {
  return e instanceof InvalidInviteLinkError;
}

function hashFromTgUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidInviteLinkError(text, 'malformed tg:// URL', 'malformed-tg');
  }
  // `tg://join?invite=H` parses with host "join" (or pathname "//join" on some runtimes).
  const target = (url.host || url.pathname.replace(/^\/+/, '')).toLowerCase();
  if (target !== 'join') throw new InvalidInviteLinkError(text, `tg://${target} is not a join link`, 'tg-not-join', target);
  return checkHash(text, url.searchParams.get('invite') ?? '', false);
}

function hashFromWebLink(text: string): string {
  if (text.startsWith('+')) return checkHash(text, text.slice(1), true);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new InvalidInviteLinkError(text, 'malformed URL', 'malformed-url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidInviteLinkError(text, `unsupported scheme ${url.protocol}`, 'scheme', url.protocol);
  }
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  if (!HOSTS.has(host)) throw new InvalidInviteLinkError(text, `host ${host} is not t.me`, 'host', host);
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const first = safeDecode(segments[0] ?? '');
  if (segments.length === 1 && first.startsWith('+')) return checkHash(text, first.slice(1), true);
  if (segments.length === 2 && first.toLowerCase() === 'joinchat') return checkHash(text, segments[1] ?? '', false);
  throw new InvalidInviteLinkError(text, 'a t.me link to a public @username or a message, not to an invite', 'public');
}

function checkHash(text: string, hash: string, plusForm: boolean): string {
  // t.me/+<digits> is a phone-number link to a user (tdlib treats it so), not an invite.
  if (plusForm && /^\d+$/.test(hash)) throw new InvalidInviteLinkError(text, 'a phone-number link, not an invite', 'phone');
  if (!HASH_RE.test(hash)) throw new InvalidInviteLinkError(text, 'the hash has characters or a length Telegram does not use', 'hash');
  return hash;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a broken %-escape: leave it, checkHash refuses it with a clear reason
  }
}
