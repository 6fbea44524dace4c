import type { Database as Db } from 'better-sqlite3';
import type { LeftHow } from './joins.js';
import { Keyset, type Page, type PageOptions } from './keyset.js';
import { bool, id, num, optId, optNum, optStr, str, type RawRow } from './row.js';

/** A joiner of a link (one stay: a re-join is another row) with what the bot shows about them. */
export interface JoinerRow {
  userId: bigint;
  date: number;
  approvedBy: bigint | null;
  viaChatlist: boolean;
  /** When this stay ended, and how; null while a member. */
  leftAt: number | null;
  leftHow: LeftHow | null;
  username: string | null;
  firstName: string;
  lastName: string;
}

/** A join as the raid detector needs it. */
export interface RecentJoin {
  userId: bigint;
  date: number;
  approvedBy: bigint | null;
}

export interface JoinersRepo {
  /** A link's joiners, newest first, by keyset cursors. */
  page(chatId: bigint, link: string, options?: PageOptions): Page<JoinerRow>;
  /** A link's joins dated at or after `sinceUnix` (at most `limit`, newest first): a range scan of joins_page. */
  since(chatId: bigint, link: string, sinceUnix: number, limit?: number): RecentJoin[];
}

function toJoiner(r: RawRow): JoinerRow {
  return {
    userId: id(r.user_id),
    date: num(r.date),
    approvedBy: optId(r.approved_by),
    viaChatlist: bool(r.via_chatlist),
    leftAt: optNum(r.left_at),
    leftHow: optStr(r.left_how) as LeftHow | null,
    username: optStr(r.username),
    firstName: str(r.first_name),
    lastName: str(r.last_name),
  };
}

export function createJoinersRepo(db: Db): JoinersRepo {
  const keyset = new Keyset(db, {
    select: `j.user_id, j.date, j.approved_by, j.via_chatlist, j.left_at, j.left_how, u.username, u.first_name,
             u.last_name, j.date AS k_date, j.user_id AS k_user`,
    from: 'joins j JOIN users u ON u.id = j.user_id',
    where: 'j.link_id = @linkId',
    date: 'j.date',
    user: 'j.user_id',
  });
  const linkId = db.prepare('SELECT id FROM invite_links WHERE chat_id = ? AND link = ?').pluck();
  const recent = db.prepare(`SELECT j.user_id, j.date, j.approved_by FROM joins j
    WHERE j.link_id = ? AND j.date >= ? ORDER BY j.date DESC, j.user_id DESC LIMIT ?`);
  return {
    page: (chatId, link, options = {}) => {
      const key = linkId.get(chatId, link);
      if (key === undefined) return { rows: [], older: null, newer: null };
      return keyset.page({ linkId: key }, options, toJoiner);
    },
    since: (chatId, link, sinceUnix, limit = 10_000) => {
      const key = linkId.get(chatId, link);
      if (key === undefined) return [];
      return (recent.all(key, sinceUnix, limit) as RawRow[]).map((r) => ({ userId: id(r.user_id), date: num(r.date), approvedBy: optId(r.approved_by) }));
    },
  };
}
