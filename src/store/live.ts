/**
 * Facts observed live — the bot's `chat_join_request` / `chat_member`, the admin log's join, leave
 * and request events — written so that a fact seen by several sources, in any order, late or twice,
 * is ONE row:
 *  - a request is the person's request of that date (Telegram gives every source the same date);
 *    a join is the stay of that person, chat and date; a leave ends the newest stay begun before it;
 *  - what a source adds (the exact link, the approver, the chat-folder mark, a leave's exact date
 *    and how) completes the row; nothing already stored is replaced;
 *  - an older observation never overwrites a newer one: a request older than the person's newest
 *    is stale, a decided request is never pending again, a join older than the open stay is stored
 *    ended, a leave never touches a stay begun after it.
 * The callers write the users first (and the chat must be stored), call these inside their own
 * `store.tx` together with the outbox events the answers call for, and say what they saw: the link
 * as shown (a cut link is matched by its visible start, see link-match.ts).
 */
import type { Database as Db } from 'better-sqlite3';
import type { EndedStay, JoinsRepo, LeftHow } from './joins.js';
import { createLinkMatcher, type LinkMatch, type ShownLink } from './link-match.js';
import type { RequestRow, RequestSource, RequestsRepo } from './requests.js';
import { unixNow } from './row.js';

export type LiveSource = Exclude<RequestSource, 'sync'>;

export interface LiveRequestFact {
  userId: bigint;
  /** When the person asked (Telegram's date). */
  date: number;
  /** The bio sent with the request. */
  about?: string | null;
  /** The link asked through, as shown; null: through the chat's public username. */
  link: ShownLink | null;
  source: LiveSource;
}

export interface LiveRequestResult {
  /** 'new': stored now (announce it); 'same': the stored request, completed; 'stale': older than what the store knows. */
  outcome: 'new' | 'same' | 'stale';
  /** The stored request after the write (undefined when stale). */
  request?: RequestRow;
  /** The person's earlier pending request, decided meanwhile (a person has one pending at a time): closed 'gone'. */
  closed?: RequestRow;
  match: LinkMatch;
}

export interface LiveJoinFact {
  userId: bigint;
  /** When the stay began (Telegram's date). */
  date: number;
  /** The link joined through, as shown; null: none known (a plain join, or a source that does not say). */
  link: ShownLink | null;
  /** The admin who approved the person's request, when the join is an approval. */
  approvedBy?: bigint | null;
  viaChatlist?: boolean;
  source: LiveSource;
}

export interface LiveJoinResult {
  /** 'new' stay, the 'same' stay as one stored (completed), or an 'older' one than the open stay (stored ended). */
  outcome: 'new' | 'same' | 'older';
  /** The open stay the new one ended (the person must have left in between). */
  ended: EndedStay[];
  /** The request this join approved: closed now, or corrected from an unknown outcome. */
  approved?: RequestRow;
  match: LinkMatch;
}

export interface LiveLeaveFact {
  userId: bigint;
  /** When the person left or was removed. */
  date: number;
  how: Exclude<LeftHow, 'unseen'>;
  source: LiveSource;
}

export interface LiveLeaveResult {
  /** 'ended' now, 'refined' (a listing had only missed the person), 'known' already, or 'no-stay' stored to end. */
  outcome: 'ended' | 'refined' | 'known' | 'no-stay';
  stay?: EndedStay;
}

export interface LiveRepo {
  /** The stored link a live source means (exact, or by its visible start + creator + name), or none. */
  matchLink(chatId: bigint, shown: ShownLink): LinkMatch;
  request(chatId: bigint, fact: LiveRequestFact, now?: number): LiveRequestResult;
  join(chatId: bigint, fact: LiveJoinFact, now?: number): LiveJoinResult;
  leave(chatId: bigint, fact: LiveLeaveFact, now?: number): LiveLeaveResult;
}

const NO_LINK: LinkMatch = { link: null, how: 'none' };

export function createLiveRepo(db: Db, joins: JoinsRepo, requests: RequestsRepo): LiveRepo {
  const matchLink = createLinkMatcher(db);

  const request = db.transaction((chatId: bigint, f: LiveRequestFact, now: number): LiveRequestResult => {
    const match = f.link ? matchLink(chatId, f.link) : NO_LINK;
    const latest = requests.latestOf(chatId, f.userId);
    // A newer request is known, or this one was decided already: nothing here is news.
    if (latest && (latest.date > f.date || (latest.date === f.date && latest.status !== 'pending'))) return { outcome: 'stale', match };
    const origin = match.link ? { link: match.link } : { via: f.link ? ('unknown' as const) : ('username' as const) };
    const same = latest?.status === 'pending' && latest.date === f.date;
    const earlier = latest?.status === 'pending' && !same ? latest : undefined;
    if (earlier) requests.resolve(chatId, f.userId, 'gone', now, null);
    requests.upsertPending(chatId, [{ userId: f.userId, date: f.date, about: f.about ?? null, ...origin, source: f.source }], now);
    const stored = requests.pendingOf(chatId, f.userId);
    return {
      outcome: same ? 'same' : 'new',
      ...(stored ? { request: stored } : {}),
      ...(earlier ? { closed: { ...earlier, status: 'gone' as const, decidedAt: now } } : {}),
      match,
    };
  });

  const join = db.transaction((chatId: bigint, f: LiveJoinFact, now: number): LiveJoinResult => {
    const match = f.link ? matchLink(chatId, f.link) : NO_LINK;
    const seen = joins.recordSeen(chatId, match.link, { userId: f.userId, date: f.date, approvedBy: f.approvedBy ?? null, viaChatlist: f.viaChatlist ?? false }, now);
    const approved = f.approvedBy != null ? approve(chatId, f.userId, f.date, f.approvedBy, now) : undefined;
    return { outcome: seen.outcome, ended: seen.ended, ...(approved ? { approved } : {}), match };
  });

  /**
   * The person's request that an approved join at `date` settles: their newest, asked at or before
   * it — still pending (closed now, decided at the join), approved without a known approver, or
   * vanished ('gone') no earlier than the join (corrected). One asked after the join, or one closed
   * before it (declined, or vanished: the approved one was asked again unseen), is another request.
   */
  function approve(chatId: bigint, userId: bigint, date: number, by: bigint, now: number): RequestRow | undefined {
    const r = requests.latestOf(chatId, userId);
    if (!r || r.date > date) return undefined;
    if (r.status === 'pending') requests.resolve(chatId, userId, 'approved', date, by);
    else if (r.status === 'declined' || (r.status === 'gone' && (r.decidedAt ?? 0) < date)) return undefined;
    else if (!requests.correctToApproved(r.id, by, now)) return undefined;
    return requests.latestOf(chatId, userId);
  }

  const leave = db.transaction((chatId: bigint, f: LiveLeaveFact): LiveLeaveResult => {
    const left = joins.recordLeft(chatId, f.userId, f.date, f.how);
    return left ? { outcome: left.outcome, stay: left.stay } : { outcome: 'no-stay' };
  });

  return {
    matchLink,
    request: (chatId, fact, now = unixNow()) => request(chatId, fact, now),
    join: (chatId, fact, now = unixNow()) => join(chatId, fact, now),
    leave: (chatId, fact) => leave(chatId, fact),
  };
}
