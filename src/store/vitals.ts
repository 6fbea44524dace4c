/**
 * What an operator watches about the store: its size, how far behind the notifier is, when each
 * chat last synced successfully, and how many rows each table holds (for a backup's report).
 * Read-only, cheap: every query here is answered from an index or a pragma.
 */
import type { Database as Db } from 'better-sqlite3';
import { num, optNum, type RawRow } from './row.js';

export interface TableCounts {
  chats: number;
  users: number;
  inviteLinks: number;
  joins: number;
  joinRequests: number;
  pendingRequests: number;
  syncRuns: number;
  notifications: number;
  undeliveredNotifications: number;
}

export interface VitalsRepo {
  /** The main database file's size in bytes (page_count × page_size; the WAL is not counted). */
  databaseBytes(): number;
  /** created_at (unix seconds) of the oldest event the notifier has not delivered yet, or null. */
  oldestUndeliveredAt(): number | null;
  /** finished_at of the chat's newest run that stored its progress ('ok' or 'partial'), or null. */
  lastSuccessfulSyncAt(chatId: bigint): number | null;
  tableCounts(): TableCounts;
}

export function createVitalsRepo(db: Db): VitalsRepo {
  // The partial index outbox_undelivered holds only waiting rows, in id (= creation) order.
  const oldest = db.prepare('SELECT created_at FROM outbox WHERE delivered_at IS NULL ORDER BY id LIMIT 1');
  const lastOk = db.prepare(`
    SELECT finished_at FROM sync_runs
    WHERE chat_id = ? AND finished_at IS NOT NULL AND outcome IN ('ok', 'partial')
    ORDER BY finished_at DESC LIMIT 1`);
  const count = (sql: string) => db.prepare(sql).pluck();
  const counts = {
    chats: count('SELECT count(*) FROM chats'),
    users: count('SELECT count(*) FROM users'),
    inviteLinks: count('SELECT count(*) FROM invite_links'),
    joins: count('SELECT count(*) FROM joins'),
    joinRequests: count('SELECT count(*) FROM join_requests'),
    pendingRequests: count("SELECT count(*) FROM join_requests WHERE status = 'pending'"),
    syncRuns: count('SELECT count(*) FROM sync_runs'),
    notifications: count('SELECT count(*) FROM outbox'),
    undeliveredNotifications: count('SELECT count(*) FROM outbox WHERE delivered_at IS NULL'),
  };
  return {
    databaseBytes: () => num(db.pragma('page_count', { simple: true })) * num(db.pragma('page_size', { simple: true })),
    oldestUndeliveredAt: () => {
      const row = oldest.get() as RawRow | undefined;
      return row ? num(row.created_at) : null;
    },
    lastSuccessfulSyncAt: (chatId) => optNum((lastOk.get(chatId) as RawRow | undefined)?.finished_at),
    tableCounts: () => Object.fromEntries(Object.entries(counts).map(([name, stmt]) => [name, num(stmt.get())])) as unknown as TableCounts,
  };
}
