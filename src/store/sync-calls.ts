/**
 * The sync's Telegram calls of the last minute (migration NNN_restart), behind the per-minute call
 * budget (src/sync/budget.ts's CallLog): a process that restarts, or a `sync --once` run beside
 * `start`, counts the calls the account already made this minute instead of starting from zero.
 */
import type { Database as Db } from 'better-sqlite3';
import { num } from './row.js';

export interface SyncCallsRepo {
  /** Call times (unix ms) after `sinceMs`, oldest first; older rows are deleted. */
  since(sinceMs: number): number[];
  /** Records a call, and forgets those at or before `forgetBeforeMs` (the window has moved on). */
  record(atMs: number, forgetBeforeMs: number): void;
}

export function createSyncCallsRepo(db: Db): SyncCallsRepo {
  const prune = db.prepare('DELETE FROM sync_calls WHERE at_ms <= ?');
  const since = db.prepare('SELECT at_ms FROM sync_calls WHERE at_ms > ? ORDER BY at_ms').pluck();
  const insert = db.prepare('INSERT INTO sync_calls (at_ms) VALUES (?)');
  const record = db.transaction((atMs: number, forgetBeforeMs: number) => {
    insert.run(Math.round(atMs));
    prune.run(Math.floor(forgetBeforeMs));
  });
  return {
    since: (sinceMs) => {
      prune.run(Math.floor(sinceMs));
      return (since.all(Math.floor(sinceMs)) as unknown[]).map(num);
    },
    record: (atMs, forgetBeforeMs) => record(atMs, forgetBeforeMs),
  };
}
