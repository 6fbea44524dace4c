/**
 * The one place where GramJS failures become typed `SourceError`s. Nothing outside `src/telegram/`
 * looks at Telegram's error strings; the engine decides on `kind` alone.
 */
import { errors } from 'telegram';
import { SourceError, type SourceErrorKind } from '../sync/types.js';

const BY_MESSAGE: ReadonlyMap<string, SourceErrorKind> = new Map<string, SourceErrorKind>([
  // 401: the account or its session is gone; syncing must stop until `joinwatch login`.
  ['AUTH_KEY_UNREGISTERED', 'SessionRevoked'],
  ['AUTH_KEY_INVALID', 'SessionRevoked'],
  ['AUTH_KEY_PERM_EMPTY', 'SessionRevoked'],
  ['AUTH_KEY_DUPLICATED', 'SessionRevoked'],
  ['SESSION_REVOKED', 'SessionRevoked'],
  ['SESSION_EXPIRED', 'SessionRevoked'],
  ['USER_DEACTIVATED', 'SessionRevoked'],
  ['USER_DEACTIVATED_BAN', 'SessionRevoked'],
  // The account lacks a right, or is not the owner (other admins' links).
  ['CHAT_ADMIN_REQUIRED', 'NotPermitted'],
  ['CHAT_WRITE_FORBIDDEN', 'NotPermitted'],
  ['CHANNEL_PRIVATE', 'NotPermitted'],
  ['RIGHT_FORBIDDEN', 'NotPermitted'],
  ['USER_NOT_PARTICIPANT', 'NotPermitted'],
  ['CHAT_FORBIDDEN', 'NotPermitted'],
  // getExportedChatInvites for an admin_id that is not (any more) an admin of the chat.
  ['ADMIN_ID_INVALID', 'NotPermitted'],
  // The link is unknown to Telegram (deleted, or never existed).
  ['INVITE_HASH_EXPIRED', 'LinkGone'],
  ['INVITE_HASH_INVALID', 'LinkGone'],
  ['INVITE_HASH_EMPTY', 'LinkGone'],
  ['INVITE_REVOKED_MISSING', 'LinkGone'],
  // The chat or user does not resolve.
  ['CHANNEL_INVALID', 'PeerInvalid'],
  ['PEER_ID_INVALID', 'PeerInvalid'],
  ['CHAT_ID_INVALID', 'PeerInvalid'],
  ['USER_ID_INVALID', 'PeerInvalid'],
  ['USERNAME_INVALID', 'PeerInvalid'],
  ['USERNAME_NOT_OCCUPIED', 'PeerInvalid'],
  ['INPUT_USER_DEACTIVATED', 'PeerInvalid'],
]);

const FLOOD_RE = /^(?:FLOOD_WAIT|FLOOD_PREMIUM_WAIT|SLOWMODE_WAIT|FLOOD_TEST_PHONE_WAIT)_(\d+)$/;

/** Maps anything GramJS (or the network under it) threw. Idempotent on a `SourceError`. */
export function toSourceError(e: unknown): SourceError {
  if (e instanceof SourceError) return e;
  const seconds = floodSeconds(e);
  if (seconds !== undefined) return new SourceError('FloodWait', rpcName(e) ?? 'FLOOD_WAIT', seconds);
  const name = rpcName(e);
  if (name !== undefined) return sourceErrorOf(name, e instanceof errors.RPCError ? e.code : undefined);
  // Not an RPC answer: a dropped socket, a timeout, "Cannot send requests while disconnected".
  return new SourceError('Transient', e instanceof Error ? e.message.slice(0, 120) : 'unknown failure');
}

/** Telegram's error by name (and HTTP-like code when known) as the kind the engine decides on. */
export function sourceErrorOf(name: string, code?: number): SourceError {
  const m = FLOOD_RE.exec(name);
  if (m?.[1] !== undefined) return new SourceError('FloodWait', name, Number(m[1]));
  return new SourceError(BY_MESSAGE.get(name) ?? kindByCode(code), name);
}

/** Runs one Telegram call and maps its failure. */
export async function mapErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw toSourceError(e);
  }
}

function floodSeconds(e: unknown): number | undefined {
  if (e instanceof errors.FloodWaitError || e instanceof errors.FloodTestPhoneWaitError || e instanceof errors.SlowModeWaitError) {
    return e.seconds;
  }
  const m = FLOOD_RE.exec(rpcName(e) ?? '');
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

function rpcName(e: unknown): string | undefined {
  if (!(e instanceof errors.RPCError)) return undefined;
  if (e instanceof errors.FloodWaitError) return `FLOOD_WAIT_${e.seconds}`;
  return typeof e.errorMessage === 'string' && e.errorMessage !== '' ? e.errorMessage : undefined;
}

function kindByCode(code: number | undefined): SourceErrorKind {
  if (code === 401) return 'SessionRevoked';
  if (code === 403) return 'NotPermitted';
  // 400s not listed above are requests we built wrongly; retrying next cycle is the best we can do,
  // and the error name travels with the kind into the sync run's record.
  return 'Transient';
}
