import type { Database as Db, Statement } from 'better-sqlite3';
import { num, optNum, optStr, str, unixNow, type RawRow } from './row.js';

export interface StatsOptions {
  days: number; // window: the last N days up to now
  link?: string; // one link; absent = the whole chat
  now?: number;
}

export interface DayCount {
  day: string; // YYYY-MM-DD (UTC); days without rows are absent
  count: number;
}

export interface RequestDay {
  day: string;
  requested: number; // requests made that day
  approved: number; // decisions observed that day
  declined: number;
  gone: number;
}

export interface Decisions {
  approved: number;
  declined: number;
  gone: number; // vanished without a known outcome (declined or withdrawn)
  /** approved / (approved + declined + gone); null when nothing was decided. */
  approvalRate: number | null;
  /** Median of decided_at - date over requests decided in the window, in seconds. */
  medianDecisionSeconds: number | null;
}

export interface TopLink {
  link: string;
  title: string | null;
  joins: number;
}

export interface StatsRepo {
  joinsPerDay(chatId: bigint, options: StatsOptions): DayCount[];
  requestsPerDay(chatId: bigint, options: StatsOptions): RequestDay[];
  decisions(chatId: bigint, options: StatsOptions): Decisions;
  topLinks(chatId: bigint, options: { days: number; limit?: number; now?: number }): TopLink[];
}

const DAY = "strftime('%Y-%m-%d', %COL%, 'unixepoch')";
const day = (col: string) => DAY.replace('%COL%', col);

/** Two prepared variants of one query: chat-wide, and narrowed to one link (keeps each indexable). */
function variants(db: Db, sql: (linkFilter: string) => string): { chat: Statement; link: Statement } {
  return { chat: db.prepare(sql('')), link: db.prepare(sql('AND link = @link')) };
}

function span(chatId: bigint, o: StatsOptions) {
  const now = o.now ?? unixNow();
  const days = Math.max(1, Math.min(3660, Math.floor(o.days) || 1));
  return { chatId, link: o.link ?? null, since: now - days * 86_400, now };
}

export function createStatsRepo(db: Db): StatsRepo {
  // Joins are reached link by link (joins_page ranges on (link_id, date)): no extra index on
  // joins (each one slows every page write) just for /stats.
  const joins = variants(db, (f) => `
    SELECT ${day('j.date')} AS day, count(*) AS n FROM invite_links l JOIN joins j ON j.link_id = l.id
    WHERE l.chat_id = @chatId ${f && 'AND l.link = @link'} AND j.date > @since AND j.date <= @now
    GROUP BY 1 ORDER BY 1`);
  const requested = variants(db, (f) => `
    SELECT ${day('date')} AS day, count(*) AS n FROM join_requests
    WHERE chat_id = @chatId ${f} AND date > @since AND date <= @now GROUP BY 1`);
  const decided = variants(db, (f) => `
    SELECT ${day('decided_at')} AS day, status, count(*) AS n FROM join_requests
    WHERE chat_id = @chatId ${f} AND status != 'pending' AND decided_at > @since AND decided_at <= @now
    GROUP BY 1, 2`);
  const median = variants(db, (f) => `
    WITH d AS (SELECT max(0, decided_at - date) AS s FROM join_requests
               WHERE chat_id = @chatId ${f} AND status != 'pending'
                 AND decided_at > @since AND decided_at <= @now)
    SELECT avg(s) AS m FROM (SELECT s FROM d ORDER BY s
      LIMIT 2 - (SELECT count(*) FROM d) % 2 OFFSET ((SELECT count(*) FROM d) - 1) / 2)`);
  const top = db.prepare(`
    SELECT l.link, l.title, count(*) AS n FROM invite_links l JOIN joins j ON j.link_id = l.id
    WHERE l.chat_id = @chatId AND j.date > @since AND j.date <= @now
    GROUP BY l.id ORDER BY n DESC, l.link LIMIT @limit`);

  const pick = (v: { chat: Statement; link: Statement }, o: StatsOptions) => (o.link ? v.link : v.chat);

  const requestsPerDay = (chatId: bigint, o: StatsOptions): RequestDay[] => {
    const p = span(chatId, o);
    const days = new Map<string, RequestDay>();
    const at = (d: string) => {
      let row = days.get(d);
      if (!row) days.set(d, (row = { day: d, requested: 0, approved: 0, declined: 0, gone: 0 }));
      return row;
    };
    for (const r of pick(requested, o).all(p) as RawRow[]) at(str(r.day)).requested = num(r.n);
    for (const r of pick(decided, o).all(p) as RawRow[]) {
      const status = str(r.status) as 'approved' | 'declined' | 'gone';
      at(str(r.day))[status] = num(r.n);
    }
    return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
  };

  return {
    joinsPerDay: (chatId, o) =>
      (pick(joins, o).all(span(chatId, o)) as RawRow[]).map((r) => ({ day: str(r.day), count: num(r.n) })),
    requestsPerDay,
    decisions(chatId, o) {
      const totals = { approved: 0, declined: 0, gone: 0 };
      for (const d of requestsPerDay(chatId, o)) {
        totals.approved += d.approved;
        totals.declined += d.declined;
        totals.gone += d.gone;
      }
      const decidedCount = totals.approved + totals.declined + totals.gone;
      const m = pick(median, o).get(span(chatId, o)) as RawRow;
      return {
        ...totals,
        approvalRate: decidedCount === 0 ? null : totals.approved / decidedCount,
        medianDecisionSeconds: optNum(m.m), // avg() is REAL: a plain number
      };
    },
    topLinks: (chatId, o) =>
      (top.all({ ...span(chatId, { days: o.days, now: o.now }), limit: o.limit ?? 5 }) as RawRow[]).map(
        (r) => ({ link: str(r.link), title: optStr(r.title), joins: num(r.n) }),
      ),
  };
}
