import type { Database as Db, Statement } from 'better-sqlite3';
import { Keyset, type Page, type PageOptions } from './keyset.js';
import type { RequestVia } from './requests.js';
import { id, num, optStr, str, type RawRow } from './row.js';
import { planSearch, type SearchPlan } from './search.js';

/** A pending join request with what the bot shows about the requester. */
export interface PendingRow {
  userId: bigint;
  date: number;
  link: string | null; // null: not through a link this account can list (see via)
  /** 'link', 'username' (the public @username), 'unlisted' (a link this account cannot list) or 'unknown' (not attributed yet). */
  via: RequestVia;
  about: string | null;
  username: string | null;
  firstName: string;
  lastName: string;
}

export interface PendingFilter {
  /** Searched in names, usernames and the request's bio; plain text, never FTS syntax. */
  query?: string | null;
  /** undefined: every link and the public username; null: the public username only. */
  link?: string | null;
}

export interface PendingRepo {
  page(chatId: bigint, filter?: PendingFilter, options?: PageOptions): Page<PendingRow>;
  /** How many pending requests match (for "approve all N matching"). */
  count(chatId: bigint, filter?: PendingFilter): number;
  /** Every matching requester, newest first (at most one pending request per user and chat). */
  userIds(chatId: bigint, filter?: PendingFilter): bigint[];
}

const FROM = 'join_requests r JOIN users u ON u.id = r.user_id';
const BASE = "r.chat_id = @chatId AND r.status = 'pending' AND (@anyLink OR r.link IS @link)";
const MATCH: Record<SearchPlan['kind'], string> = {
  none: '1',
  fts: 'r.id IN (SELECT rowid FROM requests_fts WHERE requests_fts MATCH @fts)',
  // Short needles scan the pending rows' own search_text: no join to users for rows that do not match.
  like: "r.search_text LIKE @like ESCAPE '\\'",
  scan: 'instr(jw_fold(r.search_text), @needle) > 0',
};

function toPending(r: RawRow): PendingRow {
  return {
    userId: id(r.user_id),
    date: num(r.date),
    link: optStr(r.link),
    via: str(r.via) as RequestVia,
    about: optStr(r.about),
    username: optStr(r.username),
    firstName: str(r.first_name),
    lastName: str(r.last_name),
  };
}

function paramsOf(chatId: bigint, filter: PendingFilter): { plan: SearchPlan; params: Record<string, unknown> } {
  const plan = planSearch(filter.query);
  const params: Record<string, unknown> = {
    chatId,
    anyLink: filter.link === undefined ? 1 : 0,
    link: filter.link ?? null,
  };
  if (plan.kind === 'fts') params.fts = plan.fts;
  if (plan.kind === 'scan') params.needle = plan.needle;
  if (plan.kind === 'like') params.like = plan.like;
  return { plan, params };
}

export function createPendingRepo(db: Db): PendingRepo {
  const kinds = Object.keys(MATCH) as SearchPlan['kind'][];
  const build = <T>(make: (where: string) => T) =>
    Object.fromEntries(kinds.map((k) => [k, make(`${BASE} AND ${MATCH[k]}`)])) as Record<SearchPlan['kind'], T>;

  const pages = build(
    (where) =>
      new Keyset(db, {
        select: `r.user_id, r.date, r.link, r.via, r.about, u.username, u.first_name, u.last_name,
                 r.date AS k_date, r.user_id AS k_user`,
        from: FROM,
        where,
        date: 'r.date',
        user: 'r.user_id',
      }),
  );
  const counts = build((where) => db.prepare(`SELECT count(*) FROM ${FROM} WHERE ${where}`).pluck());
  const ids: Record<SearchPlan['kind'], Statement> = build((where) =>
    db.prepare(`SELECT r.user_id FROM ${FROM} WHERE ${where} ORDER BY r.date DESC, r.user_id DESC`).pluck(),
  );

  return {
    page: (chatId, filter = {}, options = {}) => {
      const { plan, params } = paramsOf(chatId, filter);
      return pages[plan.kind].page(params, options, toPending);
    },
    count: (chatId, filter = {}) => {
      const { plan, params } = paramsOf(chatId, filter);
      return num(counts[plan.kind].get(params));
    },
    userIds: (chatId, filter = {}) => {
      const { plan, params } = paramsOf(chatId, filter);
      return (ids[plan.kind].all(params) as unknown[]).map(id);
    },
  };
}
