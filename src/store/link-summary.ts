import type { Database as Db } from 'better-sqlite3';
import { toLink, type LinkRow } from './links.js';
import { num, optNum, type RawRow } from './row.js';

/** A link as /links shows it: its fields plus what the store knows of its traffic. */
export interface LinkSummary extends LinkRow {
  joined: number; // joiners stored
  pending: number; // pending requests through this link now
  lastActivity: number | null; // newest join or request date
}

export interface LinkSummariesRepo {
  /** Every known link of the chat: active first, then newest created first. */
  summaries(chatId: bigint): LinkSummary[];
}

export function createLinkSummaries(db: Db): LinkSummariesRepo {
  // Joins come from the per-link counters (a 500,000-joiner link is not counted per call);
  // requests are few enough (pending lists are bounded by Telegram) to group here.
  const list = db.prepare(`
    SELECT l.*, coalesce(r.pending, 0) AS pending_now,
           nullif(max(coalesce(l.last_join_date, 0), coalesce(r.last_request, 0)), 0) AS last_activity
    FROM invite_links l
    LEFT JOIN (
      SELECT link, count(*) FILTER (WHERE status = 'pending') AS pending, max(date) AS last_request
      FROM join_requests WHERE chat_id = @chatId AND link IS NOT NULL GROUP BY link
    ) r ON r.link = l.link
    WHERE l.chat_id = @chatId
    ORDER BY l.revoked, (l.gone_at IS NOT NULL), l.date DESC, l.link`);
  return {
    summaries: (chatId) =>
      (list.all({ chatId }) as RawRow[]).map((r) => {
        const link = toLink(r);
        return {
          ...link,
          joined: link.joinsStored,
          pending: num(r.pending_now),
          lastActivity: optNum(r.last_activity),
        };
      }),
  };
}
