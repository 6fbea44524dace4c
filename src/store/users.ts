import type { Database as Db } from 'better-sqlite3';
import { stripAt } from './chats.js';
import { id, num, optId, optStr, str, unixNow, type RawRow } from './row.js';

export interface UserInput {
  id: bigint;
  accessHash: bigint | null; // null keeps the stored hash (min users carry none)
  username: string | null; // without '@'; null when the user has none
  firstName: string;
  lastName: string;
}

export interface UserRow extends UserInput {
  firstSeen: number;
  lastSeen: number;
}

export interface UserChange {
  changedAt: number;
  old: { username: string | null; firstName: string; lastName: string };
  new: { username: string | null; firstName: string; lastName: string };
}

export interface UsersRepo {
  /** Inserts or refreshes users; a name/username change also writes a user_history row (by trigger). */
  upsertMany(users: readonly UserInput[], now?: number): void;
  get(userId: bigint): UserRow | undefined;
  byUsername(username: string): UserRow | undefined;
  history(userId: bigint): UserChange[];
}

export function toUser(r: RawRow): UserRow {
  return {
    id: id(r.id),
    accessHash: optId(r.access_hash),
    username: optStr(r.username),
    firstName: str(r.first_name),
    lastName: str(r.last_name),
    firstSeen: num(r.first_seen),
    lastSeen: num(r.last_seen),
  };
}

export function createUsersRepo(db: Db): UsersRepo {
  const upsert = db.prepare(`
    INSERT INTO users (id, access_hash, username, first_name, last_name, first_seen, last_seen)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET
      access_hash = coalesce(excluded.access_hash, access_hash),
      username = excluded.username, first_name = excluded.first_name,
      last_name = excluded.last_name, last_seen = max(last_seen, excluded.last_seen)`);
  const get = db.prepare('SELECT * FROM users WHERE id = ?');
  const byUsername = db.prepare('SELECT * FROM users WHERE username = ? COLLATE NOCASE AND username IS NOT NULL LIMIT 1');
  const history = db.prepare('SELECT * FROM user_history WHERE user_id = ? ORDER BY changed_at, id');

  const upsertMany = db.transaction((users: readonly UserInput[], now: number) => {
    for (const u of users) {
      const username = u.username ? stripAt(u.username) : null;
      upsert.run(u.id, u.accessHash, username || null, u.firstName, u.lastName, now, now);
    }
  });

  return {
    upsertMany: (users, now = unixNow()) => upsertMany(users, now),
    get: (userId) => {
      const r = get.get(userId) as RawRow | undefined;
      return r && toUser(r);
    },
    byUsername: (username) => {
      const r = byUsername.get(stripAt(username)) as RawRow | undefined;
      return r && toUser(r);
    },
    history: (userId) =>
      (history.all(userId) as RawRow[]).map((r) => ({
        changedAt: num(r.changed_at),
        old: { username: optStr(r.old_username), firstName: str(r.old_first_name), lastName: str(r.old_last_name) },
        new: { username: optStr(r.new_username), firstName: str(r.new_first_name), lastName: str(r.new_last_name) },
      })),
  };
}
