import type { Database as Db } from 'better-sqlite3';
import { num, optNum, str, type RawRow } from './row.js';

/** A notification target that refused (see migrations/002_bot_delivery.sql). */
export interface RefusedTarget {
  recipient: string;
  refusedAt: number;
  reason: string;
  reportedAt: number | null;
  nextTryAt: number;
}

export interface NotifyTargetsRepo {
  get(recipient: string): RefusedTarget | undefined;
  /** Records a refusal; the streak's first time and report are kept. */
  refused(recipient: string, reason: string, now: number, nextTryAt: number): void;
  reported(recipient: string, now: number): void;
  /** Something suggests the target may accept now (the person wrote to the bot): try at the next drain. */
  retryNow(recipient: string, now: number): void;
  /** The target accepted a message again. Returns whether it had been refusing. */
  cleared(recipient: string): boolean;
}

export function createNotifyTargetsRepo(db: Db): NotifyTargetsRepo {
  const get = db.prepare('SELECT * FROM notify_targets WHERE recipient = ?');
  const upsert = db.prepare(`INSERT INTO notify_targets (recipient, refused_at, reason, next_try_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (recipient) DO UPDATE SET reason = excluded.reason, next_try_at = excluded.next_try_at`);
  const reported = db.prepare('UPDATE notify_targets SET reported_at = ? WHERE recipient = ?');
  const clear = db.prepare('DELETE FROM notify_targets WHERE recipient = ?');
  const retry = db.prepare('UPDATE notify_targets SET next_try_at = ? WHERE recipient = ? AND next_try_at > ?');
  return {
    get: (recipient) => {
      const r = get.get(recipient) as RawRow | undefined;
      return r && { recipient: str(r.recipient), refusedAt: num(r.refused_at), reason: str(r.reason), reportedAt: optNum(r.reported_at), nextTryAt: num(r.next_try_at) };
    },
    refused: (recipient, reason, now, nextTryAt) => void upsert.run(recipient, now, reason, nextTryAt),
    reported: (recipient, now) => void reported.run(now, recipient),
    retryNow: (recipient, now) => void retry.run(now, recipient, now),
    cleared: (recipient) => clear.run(recipient).changes > 0,
  };
}
