/**
 * A chat's initial import (migration NNN_restart): the trigger `chat_imported` records it, with
 * its `chat.imported` outbox event, when the chat's first sync completes. The notifier asks here
 * whether a chat's events are news or part of the import it sums up in one message.
 */
import type { Database as Db } from 'better-sqlite3';
import { optNum, type RawRow } from './row.js';

export type ImportState =
  /** The first sync completed; events before `eventId` (its summary) belong to the import. */
  | { kind: 'imported'; eventId: number | null }
  /** A sync has begun and none has completed yet: what it writes is the import, not news. */
  | { kind: 'importing' }
  /** Never synced (events that did not come from a sync): nothing to sum up. */
  | { kind: 'unknown' };

export interface ImportsRepo {
  state(chatId: bigint): ImportState;
}

export function createImportsRepo(db: Db): ImportsRepo {
  const imported = db.prepare('SELECT event_id FROM chat_imports WHERE chat_id = ?');
  const anyRun = db.prepare('SELECT 1 FROM sync_runs WHERE chat_id = ? LIMIT 1').pluck();
  return {
    state: (chatId) => {
      const r = imported.get(chatId) as RawRow | undefined;
      if (r) return { kind: 'imported', eventId: optNum(r.event_id) };
      return anyRun.get(chatId) === undefined ? { kind: 'unknown' } : { kind: 'importing' };
    },
  };
}
