import type { Database as Db } from 'better-sqlite3';
import { bool, id, num, optId, str, unixNow, type RawRow } from './row.js';

/** One chatInviteImporter row of a link's members (never `requested`). */
export interface JoinInput {
  userId: bigint;
  date: number;
  approvedBy?: bigint | null;
  viaChatlist?: boolean;
}

export interface JoinRow {
  chatId: bigint;
  link: string;
  userId: bigint;
  date: number;
  approvedBy: bigint | null;
  viaChatlist: boolean;
  firstSeen: number;
}

export interface JoinsRepo {
  /**
   * Stores a page of a link's joiners (the link and the users must be stored first, else it throws).
   * Idempotent:
   * rows already stored are left alone; returns only the rows that were new.
   */
  insertMany(chatId: bigint, link: string, rows: readonly JoinInput[], now?: number): JoinInput[];
  countByLink(chatId: bigint, link: string): number;
  /** The user's joins in one chat (a user can join via several links over time). */
  ofUser(chatId: bigint, userId: bigint): JoinRow[];
}

export function toJoin(r: RawRow): JoinRow {
  return {
    chatId: id(r.chat_id),
    link: str(r.link),
    userId: id(r.user_id),
    date: num(r.date),
    approvedBy: optId(r.approved_by),
    viaChatlist: bool(r.via_chatlist),
    firstSeen: num(r.first_seen),
  };
}

export function createJoinsRepo(db: Db): JoinsRepo {
  const linkId = db.prepare('SELECT id FROM invite_links WHERE chat_id = ? AND link = ?').pluck();
  const insert = db.prepare(`
    INSERT INTO joins (link_id, user_id, date, approved_by, via_chatlist, first_seen)
    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  const count = db.prepare('SELECT joins_stored AS n FROM invite_links WHERE chat_id = ? AND link = ?');
  // One counter update per page, not per row: keeps /links O(links) and the page write cheap.
  const bump = db.prepare(`
    UPDATE invite_links SET joins_stored = joins_stored + ?,
      last_join_date = max(coalesce(last_join_date, 0), ?)
    WHERE id = ?`);
  const ofUser = db.prepare(`
    SELECT l.chat_id, l.link, j.* FROM joins j JOIN invite_links l ON l.id = j.link_id
    WHERE j.user_id = ? AND l.chat_id = ? ORDER BY j.date DESC`);

  const insertMany = db.transaction(
    (chatId: bigint, link: string, rows: readonly JoinInput[], now: number): JoinInput[] => {
      const key = linkId.get(chatId, link);
      if (key === undefined) throw new Error(`unknown link ${link} in chat ${chatId}: store the link first`);
      const fresh: JoinInput[] = [];
      for (const row of rows) {
        const result = insert.run(key, row.userId, row.date, row.approvedBy ?? null, row.viaChatlist ? 1 : 0, now);
        if (result.changes > 0) fresh.push(row);
      }
      if (fresh.length > 0) {
        bump.run(fresh.length, fresh.reduce((max, r) => Math.max(max, r.date), 0), key);
      }
      return fresh;
    },
  );

  return {
    insertMany: (chatId, link, rows, now = unixNow()) => insertMany(chatId, link, rows, now),
    countByLink: (chatId, link) => {
      const r = count.get(chatId, link) as RawRow | undefined;
      return r ? num(r.n) : 0;
    },
    ofUser: (chatId, userId) => (ofUser.all(userId, chatId) as RawRow[]).map(toJoin),
  };
}
