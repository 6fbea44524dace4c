import type { Database as Db } from 'better-sqlite3';
import { num, optId, optNum, optStr, unixNow, type RawRow } from './row.js';

export type RunOutcome = 'ok' | 'partial' | 'deferred' | 'failed';

export interface RunFinish {
  calls: number;
  rowsAdded: number;
  outcome: RunOutcome;
  error?: string | null; // a short, secret-free description
}

export interface RunRow {
  id: number; // local row id
  chatId: bigint | null;
  startedAt: number;
  finishedAt: number | null;
  calls: number;
  rowsAdded: number;
  outcome: RunOutcome | null;
  error: string | null;
}

export interface RunsRepo {
  /** Records the start of a sync of one chat (null: a run not tied to a chat); returns its id. */
  start(chatId: bigint | null, now?: number): number;
  finish(runId: number, result: RunFinish, now?: number): void;
  /** The newest finished run of the chat: how fresh its data is. */
  lastFinished(chatId: bigint): RunRow | undefined;
}

export function toRun(r: RawRow): RunRow {
  return {
    id: num(r.id),
    chatId: optId(r.chat_id),
    startedAt: num(r.started_at),
    finishedAt: optNum(r.finished_at),
    calls: num(r.calls),
    rowsAdded: num(r.rows_added),
    outcome: optStr(r.outcome) as RunOutcome | null,
    error: optStr(r.error),
  };
}

export function createRunsRepo(db: Db): RunsRepo {
  const start = db.prepare('INSERT INTO sync_runs (chat_id, started_at) VALUES (?, ?)');
  const finish = db.prepare(
    'UPDATE sync_runs SET finished_at = ?, calls = ?, rows_added = ?, outcome = ?, error = ? WHERE id = ?',
  );
  const last = db.prepare(`
    SELECT * FROM sync_runs WHERE chat_id = ? AND finished_at IS NOT NULL
    ORDER BY finished_at DESC, id DESC LIMIT 1`);
  return {
    start: (chatId, now = unixNow()) => num(start.run(chatId, now).lastInsertRowid),
    finish: (runId, r, now = unixNow()) =>
      void finish.run(now, r.calls, r.rowsAdded, r.outcome, r.error ?? null, runId),
    lastFinished: (chatId) => {
      const r = last.get(chatId) as RawRow | undefined;
      return r && toRun(r);
    },
  };
}
