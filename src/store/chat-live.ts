/**
 * Per chat, the live sync's state (migration NNN_live_sync): the admin-log cursor, the dirty mark
 * a signal sets and a targeted pending check clears, and the full reconcile's bookkeeping. In
 * SQLite, so it outlives a restart and is how the bot process tells the sync process "this chat
 * changed" (never a socket). Rows are made on first use; a chat must be stored first.
 */
import type { Database as Db } from 'better-sqlite3';
import { bool, id, num, optId, optNum, optStr, type RawRow } from './row.js';

export interface ChatLiveRow {
  chatId: bigint;
  /** The newest admin-log event applied; 0n: the log was read empty; null: never read. */
  logEventId: bigint | null;
  /** When the log was last read up to its newest event. */
  logReadAt: number | null;
  /** 'live', or why the log cannot be read (Telegram's error name, 'unsupported'). */
  logStatus: string | null;
  dirtyAt: number | null;
  pendingCheckedAt: number | null;
  /** When Telegram last pushed this chat's pending count: the account gets updates for it. */
  pushedAt: number | null;
  reconciledAt: number | null;
  reconcileDue: boolean;
  linksStale: boolean;
}

export interface ChatLiveRepo {
  get(chatId: bigint): ChatLiveRow | undefined;
  /** A signal: the chat's pending requests changed (the newest signal's time is kept until a check that began after it). */
  markDirty(chatId: bigint, at: number): void;
  /** Pushed by Telegram (also a dirty mark). */
  markPushed(chatId: bigint, at: number): void;
  /** Chats with a dirty mark whose last targeted check is older than `checkedBefore` (the debounce). */
  dirty(checkedBefore: number): bigint[];
  /** A check began at `at`: a mark from an earlier second is cleared (one from that second or later stays). */
  checked(chatId: bigint, at: number): void;
  /** The admin log was read up to `eventId` at `at` (null: nothing new; an empty log's first read stores 0). */
  logRead(chatId: bigint, eventId: bigint | null, at: number): void;
  /** The log cannot be read (`status`: why); the chat falls back to full cycles. */
  logUnavailable(chatId: bigint, status: string): void;
  /** The next cycle lists the chat's links again (an unknown link or a link event). */
  setLinksStale(chatId: bigint, stale: boolean): void;
  /** The next cycle of these chats is a full reconcile (the reconcile schedule). */
  markReconcileDue(chatIds: readonly bigint[]): void;
  /** A full reconcile of the chat completed. */
  reconciled(chatId: bigint, at: number): void;
}

export function createChatLiveRepo(db: Db): ChatLiveRepo {
  const ensure = db.prepare('INSERT INTO chat_live (chat_id) SELECT id FROM chats WHERE id = ? ON CONFLICT (chat_id) DO NOTHING');
  const get = db.prepare('SELECT * FROM chat_live WHERE chat_id = ?');
  // The newest signal: a check that began before it must not clear it.
  const markDirty = db.prepare('UPDATE chat_live SET dirty_at = max(coalesce(dirty_at, 0), ?) WHERE chat_id = ?');
  const markPushed = db.prepare('UPDATE chat_live SET dirty_at = max(coalesce(dirty_at, 0), @at), pushed_at = @at WHERE chat_id = @chatId');
  const dirty = db.prepare('SELECT chat_id FROM chat_live WHERE dirty_at IS NOT NULL AND coalesce(pending_checked_at, 0) < ? ORDER BY dirty_at').pluck();
  const checked = db.prepare('UPDATE chat_live SET pending_checked_at = @at, dirty_at = CASE WHEN dirty_at < @at THEN NULL ELSE dirty_at END WHERE chat_id = @chatId');
  const logRead = db.prepare(`UPDATE chat_live SET log_event_id = coalesce(@eventId, log_event_id, 0), log_read_at = @at, log_status = 'live' WHERE chat_id = @chatId`);
  const logUnavailable = db.prepare('UPDATE chat_live SET log_status = ? WHERE chat_id = ?');
  const linksStale = db.prepare('UPDATE chat_live SET links_stale = ? WHERE chat_id = ?');
  const due = db.prepare('UPDATE chat_live SET reconcile_due = 1 WHERE chat_id = ?');
  const reconciled = db.prepare('UPDATE chat_live SET reconciled_at = ?, reconcile_due = 0, links_stale = 0 WHERE chat_id = ?');
  const withRow = (chatId: bigint, write: () => void): void => {
    ensure.run(chatId);
    write();
  };
  return {
    get: (chatId) => {
      const r = get.get(chatId) as RawRow | undefined;
      return r && toRow(r);
    },
    markDirty: (chatId, at) => withRow(chatId, () => markDirty.run(at, chatId)),
    markPushed: (chatId, at) => withRow(chatId, () => markPushed.run({ at, chatId })),
    dirty: (checkedBefore) => (dirty.all(checkedBefore) as unknown[]).map(id),
    checked: (chatId, at) => withRow(chatId, () => checked.run({ at, chatId })),
    logRead: (chatId, eventId, at) => withRow(chatId, () => logRead.run({ eventId, at, chatId })),
    logUnavailable: (chatId, status) => withRow(chatId, () => logUnavailable.run(status, chatId)),
    setLinksStale: (chatId, stale) => withRow(chatId, () => linksStale.run(stale ? 1 : 0, chatId)),
    markReconcileDue: (chatIds) => db.transaction(() => chatIds.forEach((c) => withRow(c, () => due.run(c))))(),
    reconciled: (chatId, at) => withRow(chatId, () => reconciled.run(at, chatId)),
  };
}

function toRow(r: RawRow): ChatLiveRow {
  return {
    chatId: id(r.chat_id),
    logEventId: optId(r.log_event_id),
    logReadAt: optNum(r.log_read_at),
    logStatus: optStr(r.log_status),
    dirtyAt: optNum(r.dirty_at),
    pendingCheckedAt: optNum(r.pending_checked_at),
    pushedAt: optNum(r.pushed_at),
    reconciledAt: optNum(r.reconciled_at),
    reconcileDue: bool(r.reconcile_due),
    linksStale: bool(r.links_stale),
  };
}
