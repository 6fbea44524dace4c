/**
 * The notifier's memory per recipient (migration NNN_restart), so a restart changes nothing an
 * admin sees: when each chat's last digest went out, when each sync failure was last told, which
 * raids were alerted and how big they were, and the raid detector's window of recent joins.
 */
import type { Database as Db } from 'better-sqlite3';
import { id, num, optNum, str, type RawRow } from './row.js';

export type MemoryKind = 'digest' | 'throttle' | 'raid';

export interface Remembered {
  atMs: number;
  count: number | null;
}

export interface RaidSample {
  chatId: bigint;
  /** null: a join through no link. */
  link: string | null;
  userId: bigint;
  date: number;
}

export interface NotifyMemoryRepo {
  get(recipient: string, kind: MemoryKind, key: string): Remembered | undefined;
  set(recipient: string, kind: MemoryKind, key: string, atMs: number, count?: number | null): void;
  /** Forgets entries of `kind` older than `beforeMs`. */
  forget(recipient: string, kind: MemoryKind, beforeMs: number): void;
  /** Adds joins to the raid window (a join seen twice is kept once). */
  addSamples(recipient: string, samples: readonly RaidSample[]): void;
  /** The raid window: joins dated at or after `sinceUnix`, after dropping the older ones. */
  samplesSince(recipient: string, sinceUnix: number): RaidSample[];
}

export function createNotifyMemoryRepo(db: Db): NotifyMemoryRepo {
  const get = db.prepare('SELECT at_ms, count FROM notify_memory WHERE recipient = ? AND kind = ? AND key = ?');
  const set = db.prepare(`INSERT INTO notify_memory (recipient, kind, key, at_ms, count) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (recipient, kind, key) DO UPDATE SET at_ms = excluded.at_ms, count = excluded.count`);
  const forget = db.prepare('DELETE FROM notify_memory WHERE recipient = ? AND kind = ? AND at_ms < ?');
  const addSample = db.prepare('INSERT OR IGNORE INTO raid_samples (recipient, chat_id, link, user_id, date) VALUES (?, ?, ?, ?, ?)');
  const prune = db.prepare('DELETE FROM raid_samples WHERE recipient = ? AND date < ?');
  const since = db.prepare('SELECT chat_id, link, user_id, date FROM raid_samples WHERE recipient = ? AND date >= ? ORDER BY date, chat_id, link, user_id');
  const addMany = db.transaction((recipient: string, samples: readonly RaidSample[]) => {
    for (const s of samples) addSample.run(recipient, s.chatId, s.link ?? '', s.userId, s.date);
  });
  return {
    get: (recipient, kind, key) => {
      const r = get.get(recipient, kind, key) as RawRow | undefined;
      return r && { atMs: num(r.at_ms), count: optNum(r.count) };
    },
    set: (recipient, kind, key, atMs, count = null) => void set.run(recipient, kind, key, Math.round(atMs), count),
    forget: (recipient, kind, beforeMs) => void forget.run(recipient, kind, Math.round(beforeMs)),
    addSamples: (recipient, samples) => {
      if (samples.length > 0) addMany(recipient, samples);
    },
    samplesSince: (recipient, sinceUnix) => {
      prune.run(recipient, sinceUnix);
      return (since.all(recipient, sinceUnix) as RawRow[]).map((r) => ({
        chatId: id(r.chat_id),
        link: str(r.link) === '' ? null : str(r.link),
        userId: id(r.user_id),
        date: num(r.date),
      }));
    },
  };
}
