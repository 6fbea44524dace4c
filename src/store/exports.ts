import type { Database as Db, Statement } from 'better-sqlite3';
import type { LeftHow } from './joins.js';
import type { RequestStatus } from './requests.js';
import { bool, id, num, optId, optNum, optStr, str, type RawRow } from './row.js';

/** One line of an export: a join (status 'joined', and when it ended) or a request (its current status). */
export interface ExportRow {
  chatId: bigint;
  link: string | null; // null: a request through the public @username
  userId: bigint;
  username: string | null;
  firstName: string;
  lastName: string;
  date: number;
  status: 'joined' | RequestStatus; // 'gone' = vanished without a known outcome
  approvedBy: bigint | null; // joins: approved_by; requests: the deciding admin when known
  about: string | null;
  viaChatlist: boolean;
  decidedAt: number | null;
  /** Joins: when the stay ended and how ('left', 'kicked', 'unseen'); null while a member. Requests: null. */
  leftAt: number | null;
  leftHow: LeftHow | null;
}

export interface ExportsRepo {
  /** Streams rows one at a time (statement.iterate): a 500,000-row link is never held whole. */
  joinsOfLink(chatId: bigint, link: string): IterableIterator<ExportRow>;
  pending(chatId: bigint): IterableIterator<ExportRow>;
  /** Every join (per link, newest first) then every request of the chat (newest first). */
  all(chatId: bigint): IterableIterator<ExportRow>;
}

const JOIN_COLUMNS = `l.chat_id, l.link, j.user_id, u.username, u.first_name, u.last_name, j.date,
  'joined' AS status, j.approved_by AS approver, NULL AS about, j.via_chatlist, NULL AS decided_at,
  j.left_at, j.left_how
  FROM invite_links l JOIN joins j ON j.link_id = l.id JOIN users u ON u.id = j.user_id`;
const REQUEST_COLUMNS = `r.chat_id, r.link, r.user_id, u.username, u.first_name, u.last_name, r.date,
  r.status, r.decided_by AS approver, r.about, 0 AS via_chatlist, r.decided_at, NULL AS left_at, NULL AS left_how
  FROM join_requests r JOIN users u ON u.id = r.user_id`;

function toExport(r: RawRow): ExportRow {
  return {
    chatId: id(r.chat_id),
    link: optStr(r.link),
    userId: id(r.user_id),
    username: optStr(r.username),
    firstName: str(r.first_name),
    lastName: str(r.last_name),
    date: num(r.date),
    status: str(r.status) as ExportRow['status'],
    approvedBy: optId(r.approver),
    about: optStr(r.about),
    viaChatlist: bool(r.via_chatlist),
    decidedAt: optNum(r.decided_at),
    leftAt: optNum(r.left_at),
    leftHow: optStr(r.left_how) as LeftHow | null,
  };
}

function* stream(stmt: Statement, ...params: unknown[]): IterableIterator<ExportRow> {
  for (const r of stmt.iterate(...params) as IterableIterator<RawRow>) yield toExport(r);
}

export function createExportsRepo(db: Db): ExportsRepo {
  const ofLink = db.prepare(`SELECT ${JOIN_COLUMNS} WHERE l.chat_id = ? AND l.link = ?
    ORDER BY j.date DESC, j.user_id DESC`);
  const joinsOfChat = db.prepare(`SELECT ${JOIN_COLUMNS} WHERE l.chat_id = ?
    ORDER BY l.link, j.date DESC, j.user_id DESC`);
  const pending = db.prepare(`SELECT ${REQUEST_COLUMNS} WHERE r.chat_id = ? AND r.status = 'pending'
    ORDER BY r.date DESC, r.user_id DESC`);
  const requests = db.prepare(`SELECT ${REQUEST_COLUMNS} WHERE r.chat_id = ?
    ORDER BY r.date DESC, r.user_id DESC, r.id DESC`);
  return {
    joinsOfLink: (chatId, link) => stream(ofLink, chatId, link),
    pending: (chatId) => stream(pending, chatId),
    *all(chatId) {
      yield* stream(joinsOfChat, chatId);
      yield* stream(requests, chatId);
    },
  };
}
