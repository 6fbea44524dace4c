/**
 * Join requests: at most one pending per person and chat; every status a request went through is
 * in join_request_history. A request's origin (`via`) is its link, the public username, a link this
 * account cannot list, or not known yet. Outcomes learnt later (an approving join seen after the
 * request was closed) correct the row and add to its history.
 */
import type { Database as Db } from 'better-sqlite3';
import type { Cursor } from './cursor.js';
import { id, num, optId, optNum, optStr, str, unixNow, type RawRow } from './row.js';

export type RequestStatus = 'pending' | 'approved' | 'declined' | 'gone';
export type RequestOutcome = Exclude<RequestStatus, 'pending'>;
/**
 * 'link': through `link`; 'username': through the chat's public username (only the owner can tell);
 * 'unlisted': through a link this account cannot list; 'unknown': not attributed yet.
 */
export type RequestVia = 'link' | 'username' | 'unlisted' | 'unknown';
/** Which source first stored a request: a listing of the userbot, or a live one (store/live.ts). */
export type RequestSource = 'sync' | 'bot' | 'admin_log';

/** One chatInviteImporter row with `requested`. A link makes it 'link'; without one, `via` (default 'username'). */
export interface RequestInput {
  userId: bigint;
  date: number;
  about?: string | null;
  link?: string | null;
  via?: Exclude<RequestVia, 'link'>;
  /** Who stores it, when new (default 'sync'). A row a live source stored was announced then. */
  source?: RequestSource;
}

export interface RequestRow {
  id: number; // local row id, not a Telegram id
  chatId: bigint;
  userId: bigint;
  link: string | null;
  via: RequestVia;
  date: number;
  about: string | null;
  status: RequestStatus;
  firstSeen: number;
  decidedAt: number | null;
  decidedBy: bigint | null;
  source: RequestSource;
}

export interface RequestsRepo {
  /**
   * Stores pending requests. A request already decided (same person and date: read before the
   * decision) stays decided. A request already pending (same person and date) keeps its row; it
   * gets its origin when it had none yet or a link is now known. Returns the requests whose origin
   * became known now (new ones with a known origin included): those are news — except a row a live
   * source stored first, which was announced when it arrived. A person pending with
   * another date must be resolved first (it is another request).
   */
  upsertPending(chatId: bigint, rows: readonly RequestInput[], now?: number): RequestInput[];
  /** The newest stored pending request (of one link, or null: without a link; undefined: chat-wide). */
  newestPending(chatId: bigint, link?: string | null): Cursor | undefined;
  pendingCount(chatId: bigint, link?: string | null): number;
  pendingUserIds(chatId: bigint, link?: string | null): bigint[];
  /** Every pending request of the chat. */
  pendingRows(chatId: bigint): RequestRow[];
  /** Pending requests not attributed yet ('unknown'), asked before `before` (default: all), oldest first. */
  unknownPending(chatId: bigint, before?: number): RequestRow[];
  /** The oldest of those; undefined when none is left. */
  oldestUnknown(chatId: bigint): RequestRow | undefined;
  /**
   * Stores a request that is over already when it is first seen (a live source reporting it after a
   * newer request of the person, or after the join that ended it), with its history.
   */
  recordClosed(chatId: bigint, row: RequestInput, outcome: RequestOutcome, decidedAt: number, decidedBy: bigint | null, now?: number): RequestRow;
  /** Closes the user's pending request and writes the history; false when none was pending. */
  resolve(chatId: bigint, userId: bigint, outcome: RequestOutcome, observedAt?: number, decidedBy?: bigint | null): boolean;
  pendingOf(chatId: bigint, userId: bigint): RequestRow | undefined;
  /** The person's newest request in the chat, whatever its status. */
  latestOf(chatId: bigint, userId: bigint): RequestRow | undefined;
  /**
   * The request an approved join (through `link`, dated `joinDate`) belongs to: the person's latest
   * request through that link asked at or before the join, still pending or closed no earlier than
   * the join (an approval happens before its request vanishes). A request whose origin was never
   * learnt is not guessed at: the join could as well be another request's, asked and approved between
   * two looks.
   */
  approvedBy(chatId: bigint, userId: bigint, link: string, joinDate: number): RequestRow | undefined;
  /** Records an approval learnt after the request was closed (or its approver, when unknown); false when there was nothing to correct. */
  correctToApproved(requestId: number, decidedBy: bigint, observedAt: number, decidedAt?: number): boolean;
  /** Requests through `link` closed as 'gone' (the outcome unknown yet: an approving join may still show). */
  unsettled(chatId: bigint): RequestRow[];
  /**
   * An approval credited to a later join than the one that approved the request (that earlier join
   * arrived late): the approver and the date become the earlier join's. False when it is not approved.
   */
  correctApprover(requestId: number, decidedBy: bigint, decidedAt: number, observedAt: number): boolean;
  /**
   * An approval credited to the wrong request (a stale one, while the request the join approved was
   * not stored yet) is taken back: the request is over, its outcome unknown ('gone', decided by
   * nobody known, at `decidedAt`). False when it is not approved.
   */
  withdrawApproval(requestId: number, decidedAt: number, observedAt: number): boolean;
  /** Settles a 'gone' request once its link's joins showed no approval: declined. */
  settleDeclined(requestId: number, observedAt: number): boolean;
  /** Everything above this (date, user) of the chat-wide pending list is known; undefined: nothing is. */
  pendingMark(chatId: bigint): Cursor | undefined;
  setPendingMark(chatId: bigint, mark: Cursor): void;
}

export function toRequest(r: RawRow): RequestRow {
  return {
    id: num(r.id),
    chatId: id(r.chat_id),
    userId: id(r.user_id),
    link: optStr(r.link),
    via: str(r.via) as RequestVia,
    date: num(r.date),
    about: optStr(r.about),
    status: str(r.status) as RequestStatus,
    firstSeen: num(r.first_seen),
    decidedAt: optNum(r.decided_at),
    decidedBy: optId(r.decided_by),
    source: str(r.source) as RequestSource,
  };
}

/** `link` undefined = every request; null = those without a link; text = that link's. */
function linkFilter(link: string | null | undefined): { any: number; link: string | null } {
  return link === undefined ? { any: 1, link: null } : { any: 0, link };
}

const viaOf = (row: RequestInput): RequestVia => (row.link ? 'link' : (row.via ?? 'username'));

export function createRequestsRepo(db: Db): RequestsRepo {
  const findPending = db.prepare("SELECT * FROM join_requests WHERE chat_id = ? AND user_id = ? AND status = 'pending'");
  const unknown = db.prepare("SELECT * FROM join_requests WHERE chat_id = ? AND status = 'pending' AND via = 'unknown' AND date < ? ORDER BY date, user_id");
  const oldestUnknown = db.prepare("SELECT * FROM join_requests WHERE chat_id = ? AND status = 'pending' AND via = 'unknown' ORDER BY date, user_id LIMIT 1");
  const latest = db.prepare('SELECT * FROM join_requests WHERE user_id = ? AND chat_id = ? ORDER BY date DESC, id DESC LIMIT 1');
  // The same request (same person, same date) already decided: a list read before the decision.
  const decided = db.prepare("SELECT 1 FROM join_requests WHERE user_id = ? AND chat_id = ? AND date = ? AND status <> 'pending'").pluck();
  const insert = db.prepare(`
    INSERT INTO join_requests (chat_id, user_id, link, via, date, about, status, first_seen, source)
    VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`);
  const insertClosed = db.prepare(`
    INSERT INTO join_requests (chat_id, user_id, link, via, date, about, status, first_seen, source, decided_at, decided_by)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const setOrigin = db.prepare('UPDATE join_requests SET link = ?, via = ?, about = coalesce(?, about) WHERE id = ?');
  const history = db.prepare('INSERT INTO join_request_history (request_id, status, observed_at, decided_by) VALUES (?, ?, ?, ?)');
  const where = "chat_id = @chatId AND status = 'pending' AND (@any OR link IS @link)";
  const newest = db.prepare(`SELECT date, user_id FROM join_requests WHERE ${where} ORDER BY date DESC, user_id DESC LIMIT 1`);
  const count = db.prepare(`SELECT count(*) AS n FROM join_requests WHERE ${where}`);
  const userIds = db.prepare(`SELECT user_id FROM join_requests WHERE ${where}`).pluck();
  const pendingRows = db.prepare("SELECT * FROM join_requests WHERE chat_id = ? AND status = 'pending'");
  const close = db.prepare('UPDATE join_requests SET status = ?, decided_at = ?, decided_by = ? WHERE id = ?');
  const approvedBy = db.prepare(`
    SELECT * FROM join_requests
    WHERE chat_id = @chatId AND user_id = @userId AND link = @link AND date <= @joinDate
      AND (status = 'pending' OR decided_at >= @joinDate)
    ORDER BY date DESC, id DESC LIMIT 1`);
  const byId = db.prepare('SELECT * FROM join_requests WHERE id = ?');
  const unsettled = db.prepare("SELECT * FROM join_requests WHERE chat_id = ? AND status = 'gone' AND via = 'link' ORDER BY date");
  const mark = db.prepare('SELECT pending_hwm_date AS d, pending_hwm_user_id AS u FROM chats WHERE id = ?');
  const setMark = db.prepare('UPDATE chats SET pending_hwm_date = ?, pending_hwm_user_id = ? WHERE id = ?');

  const upsertPending = db.transaction((chatId: bigint, rows: readonly RequestInput[], now: number) => {
    const known: RequestInput[] = [];
    for (const row of rows) {
      const via = viaOf(row);
      const existing = findPending.get(chatId, row.userId) as RawRow | undefined;
      if (!existing) {
        // Decided meanwhile (e.g. through the bot while the sync was paging): it never comes back.
        if (decided.get(row.userId, chatId, row.date) !== undefined) continue;
        const source = row.source ?? 'sync';
        const { lastInsertRowid } = insert.run(chatId, row.userId, row.link ?? null, via, row.date, row.about ?? null, now, source);
        history.run(lastInsertRowid, 'pending', now, null);
        if (via !== 'unknown' && source === 'sync') known.push(row);
        continue;
      }
      if (num(existing.date) !== row.date) {
        throw new Error(`user ${row.userId} is pending in chat ${chatId} with another request: resolve it first`);
      }
      const was = str(existing.via) as RequestVia;
      // An origin only gets more precise: unknown → any; username or unlisted → a link; unlisted (what
      // a non-owner's listing says of the username too) → the username, which the bot is told.
      if ((was === 'unknown' && via !== 'unknown') || (was !== 'link' && via === 'link') || (was === 'unlisted' && via === 'username')) {
        setOrigin.run(row.link ?? null, via, row.about ?? null, existing.id);
        if (was === 'unknown' && existing.source === 'sync') known.push(row);
      }
    }
    return known;
  });

  const recordClosed = db.transaction((chatId: bigint, row: RequestInput, outcome: RequestOutcome, decidedAt: number, by: bigint | null, now: number) => {
    const { lastInsertRowid } = insertClosed.run(chatId, row.userId, row.link ?? null, viaOf(row), row.date, row.about ?? null, outcome, now, row.source ?? 'sync', decidedAt, by);
    history.run(lastInsertRowid, 'pending', now, null);
    history.run(lastInsertRowid, outcome, now, by);
    return toRequest(byId.get(lastInsertRowid) as RawRow);
  });

  const resolve = db.transaction((chatId: bigint, userId: bigint, outcome: RequestOutcome, at: number, by: bigint | null) => {
    const existing = findPending.get(chatId, userId) as RawRow | undefined;
    if (!existing) return false;
    close.run(outcome, at, by, existing.id);
    history.run(existing.id, outcome, at, by);
    return true;
  });

  const correct = db.transaction((requestId: number, by: bigint, at: number, decidedAt: number | undefined) => {
    const r = byId.get(requestId) as RawRow | undefined;
    if (!r || r.status === 'pending' || (r.status === 'approved' && r.decided_by !== null)) return false;
    close.run('approved', decidedAt ?? r.decided_at, by, requestId);
    history.run(requestId, 'approved', at, by);
    return true;
  });

  const reattribute = db.transaction((requestId: number, by: bigint, decidedAt: number, at: number) => {
    const r = byId.get(requestId) as RawRow | undefined;
    if (!r || r.status !== 'approved') return false;
    close.run('approved', decidedAt, by, requestId);
    history.run(requestId, 'approved', at, by);
    return true;
  });

  const withdraw = db.transaction((requestId: number, decidedAt: number, at: number) => {
    const r = byId.get(requestId) as RawRow | undefined;
    if (!r || r.status !== 'approved') return false;
    close.run('gone', decidedAt, null, requestId);
    history.run(requestId, 'gone', at, null);
    return true;
  });

  const settle = db.transaction((requestId: number, at: number) => {
    const r = byId.get(requestId) as RawRow | undefined;
    if (!r || r.status !== 'gone') return false;
    close.run('declined', r.decided_at, null, requestId);
    history.run(requestId, 'declined', at, null);
    return true;
  });

  return {
    upsertPending: (chatId, rows, now = unixNow()) => upsertPending(chatId, rows, now),
    newestPending: (chatId, link) => {
      const r = newest.get({ chatId, ...linkFilter(link) }) as RawRow | undefined;
      return r && { date: num(r.date), userId: id(r.user_id) };
    },
    pendingCount: (chatId, link) => num((count.get({ chatId, ...linkFilter(link) }) as RawRow).n),
    pendingUserIds: (chatId, link) => (userIds.all({ chatId, ...linkFilter(link) }) as unknown[]).map(id),
    pendingRows: (chatId) => (pendingRows.all(chatId) as RawRow[]).map(toRequest),
    unknownPending: (chatId, before = Number.MAX_SAFE_INTEGER) => (unknown.all(chatId, before) as RawRow[]).map(toRequest),
    oldestUnknown: (chatId) => {
      const r = oldestUnknown.get(chatId) as RawRow | undefined;
      return r && toRequest(r);
    },
    recordClosed: (chatId, row, outcome, decidedAt, decidedBy, now = unixNow()) => recordClosed(chatId, row, outcome, decidedAt, decidedBy, now),
    resolve: (chatId, userId, outcome, observedAt = unixNow(), decidedBy = null) => resolve(chatId, userId, outcome, observedAt, decidedBy ?? null),
    pendingOf: (chatId, userId) => {
      const r = findPending.get(chatId, userId) as RawRow | undefined;
      return r && toRequest(r);
    },
    latestOf: (chatId, userId) => {
      const r = latest.get(userId, chatId) as RawRow | undefined;
      return r && toRequest(r);
    },
    approvedBy: (chatId, userId, link, joinDate) => {
      const r = approvedBy.get({ chatId, userId, link, joinDate }) as RawRow | undefined;
      return r && toRequest(r);
    },
    correctToApproved: (requestId, decidedBy, observedAt, decidedAt) => correct(requestId, decidedBy, observedAt, decidedAt),
    unsettled: (chatId) => (unsettled.all(chatId) as RawRow[]).map(toRequest),
    withdrawApproval: (requestId, decidedAt, observedAt) => withdraw(requestId, decidedAt, observedAt),
    settleDeclined: (requestId, observedAt) => settle(requestId, observedAt),
    correctApprover: (requestId, decidedBy, decidedAt, observedAt) => reattribute(requestId, decidedBy, decidedAt, observedAt),
    pendingMark: (chatId) => {
      const r = mark.get(chatId) as RawRow | undefined;
      const d = optNum(r?.d);
      const u = optId(r?.u);
      return d === null || u === null ? undefined : { date: d, userId: u };
    },
    setPendingMark: (chatId, m) => void setMark.run(m.date, m.userId, chatId),
  };
}
