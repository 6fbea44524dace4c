import type { Database as Db } from 'better-sqlite3';
import type { Cursor } from './cursor.js';
import { id, num, optId, optNum, optStr, str, unixNow, type RawRow } from './row.js';

export type RequestStatus = 'pending' | 'approved' | 'declined' | 'gone';
export type RequestOutcome = Exclude<RequestStatus, 'pending'>;

/** One chatInviteImporter row with `requested`; link null = asked through the public @username. */
export interface RequestInput {
  userId: bigint;
  date: number;
  about?: string | null;
  link?: string | null;
}

export interface RequestRow {
  id: number; // local row id, not a Telegram id
  chatId: bigint;
  userId: bigint;
  link: string | null;
  date: number;
  about: string | null;
  status: RequestStatus;
  firstSeen: number;
  decidedAt: number | null;
  decidedBy: bigint | null;
}

export interface RequestsRepo {
  /**
   * Stores pending requests; a user already pending in the chat is refreshed, not duplicated, and a
   * request already decided (same user and date: read before the decision) is left decided.
   * Returns the new ones.
   */
  upsertPending(chatId: bigint, rows: readonly RequestInput[], now?: number): RequestInput[];
  /** The newest stored pending request (of one link, or null: public; undefined: chat-wide): pending walks stop there. */
  newestPending(chatId: bigint, link?: string | null): Cursor | undefined;
  pendingCount(chatId: bigint, link?: string | null): number;
  pendingUserIds(chatId: bigint, link?: string | null): bigint[];
  /** Closes the user's pending request and writes the history; false when none was pending. */
  resolve(chatId: bigint, userId: bigint, outcome: RequestOutcome, observedAt?: number, decidedBy?: bigint | null): boolean;
  pendingOf(chatId: bigint, userId: bigint): RequestRow | undefined;
}

export function toRequest(r: RawRow): RequestRow {
  return {
    id: num(r.id),
    chatId: id(r.chat_id),
    userId: id(r.user_id),
    link: optStr(r.link),
    date: num(r.date),
    about: optStr(r.about),
    status: str(r.status) as RequestStatus,
    firstSeen: num(r.first_seen),
    decidedAt: optNum(r.decided_at),
    decidedBy: optId(r.decided_by),
  };
}

/** `link` undefined = every link and the public username; null = the public username only. */
function linkFilter(link: string | null | undefined): { any: number; link: string | null } {
  return link === undefined ? { any: 1, link: null } : { any: 0, link };
}

export function createRequestsRepo(db: Db): RequestsRepo {
  const findPending = db.prepare(
    "SELECT * FROM join_requests WHERE chat_id = ? AND user_id = ? AND status = 'pending'",
  );
  // The same request (same person, same date) already decided: a list read before the decision.
  const decided = db.prepare("SELECT 1 FROM join_requests WHERE user_id = ? AND chat_id = ? AND date = ? AND status <> 'pending'").pluck();
  const insert = db.prepare(`
    INSERT INTO join_requests (chat_id, user_id, link, date, about, status, first_seen)
    VALUES (?, ?, ?, ?, ?, 'pending', ?)`);
  const refresh = db.prepare(
    'UPDATE join_requests SET link = ?, date = ?, about = ? WHERE id = ? AND (link IS NOT ? OR date IS NOT ? OR about IS NOT ?)',
  );
  const history = db.prepare(
    'INSERT INTO join_request_history (request_id, status, observed_at, decided_by) VALUES (?, ?, ?, ?)',
  );
  const where = "chat_id = @chatId AND status = 'pending' AND (@any OR link IS @link)";
  const newest = db.prepare(`
    SELECT date, user_id FROM join_requests WHERE ${where}
    ORDER BY date DESC, user_id DESC LIMIT 1`);
  const count = db.prepare(`SELECT count(*) AS n FROM join_requests WHERE ${where}`);
  const userIds = db.prepare(`SELECT user_id FROM join_requests WHERE ${where}`).pluck();
  const close = db.prepare(
    'UPDATE join_requests SET status = ?, decided_at = ?, decided_by = ? WHERE id = ?',
  );

  const upsertPending = db.transaction((chatId: bigint, rows: readonly RequestInput[], now: number) => {
    const fresh: RequestInput[] = [];
    for (const row of rows) {
      const link = row.link ?? null;
      const about = row.about ?? null;
      const existing = findPending.get(chatId, row.userId) as RawRow | undefined;
      if (existing) {
        refresh.run(link, row.date, about, existing.id, link, row.date, about);
        continue;
      }
      // Decided meanwhile (the bot approved it while the sync was paging): it does not come back.
      if (decided.get(row.userId, chatId, row.date) !== undefined) continue;
      const { lastInsertRowid } = insert.run(chatId, row.userId, link, row.date, about, now);
      history.run(lastInsertRowid, 'pending', now, null);
      fresh.push(row);
    }
    return fresh;
  });

  const resolve = db.transaction(
    (chatId: bigint, userId: bigint, outcome: RequestOutcome, at: number, by: bigint | null) => {
      const existing = findPending.get(chatId, userId) as RawRow | undefined;
      if (!existing) return false;
      close.run(outcome, at, by, existing.id);
      history.run(existing.id, outcome, at, by);
      return true;
    },
  );

  return {
    upsertPending: (chatId, rows, now = unixNow()) => upsertPending(chatId, rows, now),
    newestPending: (chatId, link) => {
      const r = newest.get({ chatId, ...linkFilter(link) }) as RawRow | undefined;
      return r && { date: num(r.date), userId: id(r.user_id) };
    },
    pendingCount: (chatId, link) =>
      num((count.get({ chatId, ...linkFilter(link) }) as RawRow).n),
    pendingUserIds: (chatId, link) =>
      (userIds.all({ chatId, ...linkFilter(link) }) as unknown[]).map(id),
    resolve: (chatId, userId, outcome, observedAt = unixNow(), decidedBy = null) =>
      resolve(chatId, userId, outcome, observedAt, decidedBy ?? null),
    pendingOf: (chatId, userId) => {
      const r = findPending.get(chatId, userId) as RawRow | undefined;
      return r && toRequest(r);
    },
  };
}
