import type { Database as Db, Statement } from 'better-sqlite3';
import type { Cursor } from './cursor.js';
import { id, num, type RawRow } from './row.js';

export interface PageOptions {
  limit?: number; // 1..100, default 20
  /** Rows older than this cursor (the next page down). */
  before?: Cursor | null;
  /** Rows newer than this cursor (the previous page up); wins over `before` when both are given. */
  after?: Cursor | null;
}

export interface Page<T> {
  rows: T[]; // newest first
  /** Pass as `before` for the next older page; null when there is none. */
  older: Cursor | null;
  /** Pass as `after` for the next newer page; null when there is none. */
  newer: Cursor | null;
}

/** Fixed SQL fragments (never user input) describing one newest-first list. */
export interface KeysetSpec {
  select: string;
  from: string;
  where: string; // may use named parameters, supplied per call
  date: string; // e.g. j.date
  user: string; // e.g. j.user_id
}

const TOP: Cursor = { date: Number.MAX_SAFE_INTEGER, userId: 9223372036854775807n };
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/**
 * Keyset pagination over (date desc, user_id desc), never OFFSET: a page costs the same at row
 * 10 and at row 500,000, and rows arriving meanwhile neither shift nor repeat what a reader sees.
 * (date, user_id) is unique within every list paged here, so cursors are exact.
 */
export class Keyset {
  private readonly down: Statement;
  private readonly up: Statement;
  private readonly anyBelow: Statement;
  private readonly anyAbove: Statement;

  constructor(db: Db, spec: KeysetSpec) {
    const { select, from, where, date, user } = spec;
    const base = `FROM ${from} WHERE (${where})`;
    this.down = db.prepare(
      `SELECT ${select} ${base} AND (${date}, ${user}) < (@cDate, @cUser)
       ORDER BY ${date} DESC, ${user} DESC LIMIT @limit`,
    );
    this.up = db.prepare(
      `SELECT ${select} ${base} AND (${date}, ${user}) > (@cDate, @cUser)
       ORDER BY ${date} ASC, ${user} ASC LIMIT @limit`,
    );
    this.anyBelow = db.prepare(`SELECT 1 ${base} AND (${date}, ${user}) < (@cDate, @cUser) LIMIT 1`);
    this.anyAbove = db.prepare(`SELECT 1 ${base} AND (${date}, ${user}) > (@cDate, @cUser) LIMIT 1`);
  }

  page<T>(params: Record<string, unknown>, options: PageOptions, map: (r: RawRow) => T): Page<T> {
    const limit = clampLimit(options.limit);
    const goingUp = Boolean(options.after);
    const from = options.after ?? options.before ?? TOP;
    const stmt = goingUp ? this.up : this.down;
    const raw = stmt.all({ ...params, cDate: from.date, cUser: from.userId, limit: limit + 1 }) as RawRow[];
    const more = raw.length > limit;
    const kept = raw.slice(0, limit);
    if (goingUp) kept.reverse();
    const first = kept[0];
    const last = kept[kept.length - 1];
    const rows = kept.map(map);
    if (!first || !last) {
      return { rows, older: null, newer: null };
    }
    const newest = cursorOf(first);
    const oldest = cursorOf(last);
    const older = goingUp ? this.exists(this.anyBelow, params, oldest) : more;
    const newer = goingUp ? more : options.before ? this.exists(this.anyAbove, params, newest) : false;
    return { rows, older: older ? oldest : null, newer: newer ? newest : null };
  }

  private exists(stmt: Statement, params: Record<string, unknown>, at: Cursor): boolean {
    return stmt.get({ ...params, cDate: at.date, cUser: at.userId }) !== undefined;
  }
}

/** Rows selected for a keyset page must expose `k_date` and `k_user`. */
function cursorOf(r: RawRow): Cursor {
  return { date: num(r.k_date), userId: id(r.k_user) };
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}
