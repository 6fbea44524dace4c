/**
 * Button contexts: what a button's short key stands for (migration NNN_restart). Callback data is
 * limited to 64 bytes, so a button carries a random token and this table holds the rest (a search
 * query, a page position, the requests an "approve all" question fixed) until it expires. In
 * SQLite, so a restart changes nothing for a button whose data still exists.
 */
import { randomBytes } from 'node:crypto';
import type { Database as Db } from 'better-sqlite3';
import { toJson } from './outbox.js';
import { num, optId, str, unixNow, type RawRow } from './row.js';

export interface ButtonContext {
  token: string;
  kind: string;
  /** Who asked (a question only they may answer), or null. */
  userId: bigint | null;
  /** As stored in JSON: bigints were written as decimal strings; the caller validates the shape. */
  payload: unknown;
  createdAt: number;
  expiresAt: number;
}

export interface ButtonsRepo {
  /** Stores `payload` behind a new token, for `ttlSeconds`; returns the token (11 URL-safe characters). */
  put(kind: string, payload: unknown, o: { userId?: bigint | null; ttlSeconds: number }, now?: number): string;
  /** The context behind `token`, or undefined when there is none (never was, expired, or deleted). */
  get(token: string, now?: number): ButtonContext | undefined;
  /** Replaces the payload (and, with `ttlSeconds`, moves the expiry from now); false when it is gone. */
  update(token: string, payload: unknown, o?: { ttlSeconds?: number }, now?: number): boolean;
  delete(token: string): void;
  /** Every live context of a kind, oldest first (e.g. bulk runs a restart interrupted). */
  ofKind(kind: string, now?: number): ButtonContext[];
}

/** Expired rows are deleted a few at a time as new ones are written: the table stays small. */
const PURGE_BATCH = 200;

function toContext(r: RawRow): ButtonContext {
  return {
    token: str(r.token),
    kind: str(r.kind),
    userId: optId(r.user_id),
    payload: JSON.parse(str(r.payload)) as unknown,
    createdAt: num(r.created_at),
    expiresAt: num(r.expires_at),
  };
}

export function createButtonsRepo(db: Db): ButtonsRepo {
  const insert = db.prepare('INSERT INTO button_contexts (token, kind, user_id, payload, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)');
  const purge = db.prepare(`DELETE FROM button_contexts WHERE token IN
    (SELECT token FROM button_contexts WHERE expires_at < ? ORDER BY expires_at LIMIT ${PURGE_BATCH})`);
  const get = db.prepare('SELECT * FROM button_contexts WHERE token = ? AND expires_at >= ?');
  const update = db.prepare('UPDATE button_contexts SET payload = ?, expires_at = coalesce(?, expires_at) WHERE token = ? AND expires_at >= ?');
  const remove = db.prepare('DELETE FROM button_contexts WHERE token = ?');
  const ofKind = db.prepare('SELECT * FROM button_contexts WHERE kind = ? AND expires_at >= ? ORDER BY created_at, token');
  const put = db.transaction((kind: string, payload: unknown, userId: bigint | null, ttlSeconds: number, now: number): string => {
    purge.run(now);
    const token = randomBytes(8).toString('base64url');
    insert.run(token, kind, userId, toJson(payload), now, now + Math.max(1, Math.round(ttlSeconds)));
    return token;
  });
  return {
    put: (kind, payload, o, now = unixNow()) => put(kind, payload, o.userId ?? null, o.ttlSeconds, now),
    get: (token, now = unixNow()) => {
      const r = get.get(token, now) as RawRow | undefined;
      return r && toContext(r);
    },
    update: (token, payload, o = {}, now = unixNow()) =>
      update.run(toJson(payload), o.ttlSeconds === undefined ? null : now + Math.round(o.ttlSeconds), token, now).changes > 0,
    delete: (token) => void remove.run(token),
    ofKind: (kind, now = unixNow()) => (ofKind.all(kind, now) as RawRow[]).map(toContext),
  };
}
