/**
 * Resumable walks over one link's members (table link_walks): where a walk began, what it walks
 * down to, and where its next page starts, written with every page so a pause, a flood wait or a
 * SIGKILL resumes exactly there. See migrations/002_churn.sql for the two kinds.
 */
import type { Database as Db } from 'better-sqlite3';
import type { Cursor } from './cursor.js';
import { num, optId, optNum, type RawRow } from './row.js';

export type WalkKind = 'news' | 'full';

/** The next page's cursor: a row of the last page with the access hash Telegram sent for its user. */
export interface WalkCursor extends Cursor {
  accessHash: bigint | null;
}

export interface LinkWalk {
  kind: WalkKind;
  startedAt: number;
  /** The link's usage when the walk began. */
  usage: number | null;
  /** Newest row of the walk's first page (null: the list was empty). */
  top: Cursor | null;
  /** news: the mark it walks down to; null: to the end. */
  floor: Cursor | null;
  /** Null before the first page. */
  cursor: WalkCursor | null;
  /** Rows read from the top down to the cursor. */
  seen: number;
  /** `count` of the first page: where a walk to the end may stop without an empty page. */
  total: number | null;
}

export interface WalksRepo {
  get(chatId: bigint, link: string, kind: WalkKind): LinkWalk | undefined;
  /** Writes the whole walk state (call it in the page's transaction). */
  put(chatId: bigint, link: string, walk: LinkWalk): void;
  end(chatId: bigint, link: string, kind: WalkKind): void;
}

function cursorOf(date: unknown, userId: unknown): Cursor | null {
  const d = optNum(date);
  const u = optId(userId);
  return d === null || u === null ? null : { date: d, userId: u };
}

function toWalk(r: RawRow): LinkWalk {
  const cursor = cursorOf(r.cursor_date, r.cursor_user_id);
  return {
    kind: r.kind as WalkKind,
    startedAt: num(r.started_at),
    usage: optNum(r.usage),
    top: cursorOf(r.top_date, r.top_user_id),
    floor: cursorOf(r.floor_date, r.floor_user_id),
    cursor: cursor && { ...cursor, accessHash: optId(r.cursor_hash) },
    seen: num(r.seen),
    total: optNum(r.total),
  };
}

export function createWalksRepo(db: Db): WalksRepo {
  const linkId = db.prepare('SELECT id FROM invite_links WHERE chat_id = ? AND link = ?').pluck();
  const get = db.prepare('SELECT * FROM link_walks WHERE link_id = ? AND kind = ?');
  const put = db.prepare(`
    INSERT OR REPLACE INTO link_walks (link_id, kind, started_at, usage, top_date, top_user_id, floor_date,
      floor_user_id, cursor_date, cursor_user_id, cursor_hash, seen, total)
    VALUES (@linkId, @kind, @startedAt, @usage, @topDate, @topUser, @floorDate, @floorUser, @cursorDate,
      @cursorUser, @cursorHash, @seen, @total)`);
  const end = db.prepare('DELETE FROM link_walks WHERE link_id = ? AND kind = ?');
  const keyOf = (chatId: bigint, link: string): bigint => {
    const key = linkId.get(chatId, link) as bigint | undefined;
    if (key === undefined) throw new Error(`unknown link ${link} in chat ${chatId}`);
    return key;
  };
  return {
    get(chatId, link, kind) {
      const key = linkId.get(chatId, link) as bigint | undefined;
      const r = key === undefined ? undefined : (get.get(key, kind) as RawRow | undefined);
      return r && toWalk(r);
    },
    put(chatId, link, w) {
      put.run({
        linkId: keyOf(chatId, link), kind: w.kind, startedAt: w.startedAt, usage: w.usage,
        topDate: w.top?.date ?? null, topUser: w.top?.userId ?? null, floorDate: w.floor?.date ?? null, floorUser: w.floor?.userId ?? null,
        cursorDate: w.cursor?.date ?? null, cursorUser: w.cursor?.userId ?? null, cursorHash: w.cursor?.accessHash ?? null,
        seen: w.seen, total: w.total,
      });
    },
    end: (chatId, link, kind) => void end.run(keyOf(chatId, link), kind),
  };
}
