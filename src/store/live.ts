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
import { toRequest, type RequestRow, type RequestSource, type RequestsRepo, type RequestVia } from './requests.js';
import { num, optId, optNum, optStr, str, unixNow, type RawRow } from './row.js';

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
  /** 'new': stored now (announce it); 'same': the stored request, completed; 'stale': older than what the store knows (a newer request, or a join after it: then stored closed). */
  outcome: 'new' | 'same' | 'stale';
  /** The stored request after the write (undefined when stale). */
  request?: RequestRow;
  /**
   * The person's earlier request, over meanwhile (a person has one pending at a time), closed 'gone':
   * still pending, or credited with the approval that was this late request's (taken back).
   */
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
  /**
   * The approval is the caller's own decision, recorded by it with the person who decided (the bot
   * approving for an admin who pressed): the stay gets `approvedBy`, the request is left to the caller.
   */
  decidedByCaller?: boolean;
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
  /** 'ended' now, 'refined' (a listing had only missed the person), 'known' already, or 'no-stay' stored to end (kept: the join, when it arrives, is ended by it). */
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
/** A leave whose join never arrives is forgotten after this long. */
const KEEP_LEAVES_SECONDS = 7 * 86_400;

/**
 * Could a join through `joinLink` be the approval of this request? `null`: the join came through no
 * link (an approved request through the public username); `undefined`: through a link not identified.
 * Not when both links are known and differ, nor when one way in is the username and the other a
 * listable link.
 * A request whose link is not identified yet fits any join.
 */
function fits(r: { link: string | null; via: RequestVia }, joinLink: string | null | undefined): boolean {
  if (joinLink === undefined || r.via === 'unknown') return true;
  // 'unlisted' is what a non-owner stores for the username too: it cannot tell the two apart.
  if (joinLink === null) return r.via === 'username' || r.via === 'unlisted';
  return r.via === 'link' ? r.link === joinLink : r.via === 'unlisted';
}

export function createLiveRepo(db: Db, joins: JoinsRepo, requests: RequestsRepo): LiveRepo {
  const matchLink = createLinkMatcher(db);
  // The person's newest request asked at or before a date (a join's), whatever became of it.
  const askedBefore = db.prepare('SELECT * FROM join_requests WHERE chat_id = ? AND user_id = ? AND date <= ? ORDER BY date DESC, id DESC LIMIT 1');
  const byId = db.prepare('SELECT * FROM join_requests WHERE id = ?');
  const requestOf = db.prepare('SELECT * FROM join_requests WHERE chat_id = ? AND user_id = ? AND date = ? ORDER BY id DESC LIMIT 1');
  const nextAsked = db.prepare('SELECT min(date) FROM join_requests WHERE chat_id = ? AND user_id = ? AND date > ?').pluck();
  // The person's first stay begun at or after a request and before their next one.
  const joinedIn = db.prepare(`
    SELECT j.date, j.approved_by, l.link FROM joins j LEFT JOIN invite_links l ON l.id = j.link_id
    WHERE j.chat_id = @chatId AND j.user_id = @userId AND j.date >= @from AND j.date < @to
    ORDER BY j.date LIMIT 1`);

  const request = db.transaction((chatId: bigint, f: LiveRequestFact, now: number): LiveRequestResult => {
    const match = f.link ? matchLink(chatId, f.link) : NO_LINK;
    const origin = match.link ? { link: match.link } : { via: f.link ? ('unknown' as const) : ('username' as const) };
    const input = { userId: f.userId, date: f.date, about: f.about ?? null, ...origin, source: f.source };
    const known = requestOf.get(chatId, f.userId, f.date) as RawRow | undefined;
    if (known) {
      // The same request: its origin only gets more precise while it is pending; a decided one stays decided.
      if (known.status !== 'pending') return { outcome: 'stale', request: toRequest(known), match };
      requests.upsertPending(chatId, [input], now);
      return { outcome: 'same', request: toRequest(requestOf.get(chatId, f.userId, f.date) as RawRow), match };
    }
    // Over before it was seen: the person asked again since, or joined (its approval, or a join otherwise).
    const next = optNum(nextAsked.get(chatId, f.userId, f.date));
    const joined = (joinedIn.get({ chatId, userId: f.userId, from: f.date, to: next ?? Number.MAX_SAFE_INTEGER }) as RawRow | undefined) ?? undefined;
    if (next !== null || joined) {
      // A join through another way in than the request's approved another request: this one is over all the same.
      // A stored stay without a link may have come through a link not identified: it fits any request.
      const by = joined && fits({ link: match.link, via: origin.via ?? 'link' }, optStr(joined.link) ?? undefined) ? optId(joined.approved_by) : null;
      const closed = requests.recordClosed(chatId, input, by !== null ? 'approved' : 'gone', joined ? num(joined.date) : now, by, now);
      const uncredited = by !== null && joined ? withdrawStaleCredit(chatId, f.userId, f.date, num(joined.date), now) : undefined;
      return { outcome: 'stale', request: closed, ...(uncredited ? { closed: uncredited } : {}), match };
    }
    // The person's newest request: an earlier one still pending was decided meanwhile, at the latest
    // when they asked again (not when this arrived: a join in between is this request's approval, and
    // the sync looks for the older one's approval only up to its end).
    const earlier = requests.pendingOf(chatId, f.userId);
    if (earlier) requests.resolve(chatId, f.userId, 'gone', f.date, null);
    requests.upsertPending(chatId, [input], now);
    return {
      outcome: 'new',
      ...(earlier ? { closed: { ...earlier, status: 'gone' as const, decidedAt: f.date } } : {}),
      request: toRequest(requestOf.get(chatId, f.userId, f.date) as RawRow),
      match,
    };
  });

  // An older request of the person credited with the approval a join at `joinDate` made.
  const creditedWith = db.prepare(`
    SELECT * FROM join_requests WHERE chat_id = ? AND user_id = ? AND date < ? AND status = 'approved' AND decided_at = ?
    ORDER BY date DESC, id DESC LIMIT 1`);

  /**
   * The approving join arrived before this request (asked at `date`): it was credited to the
   * person's older request, pending in the store only because its end went unseen. The approval is
   * this request's; the older one was over by the time the person asked again ('gone', outcome unknown).
   */
  function withdrawStaleCredit(chatId: bigint, userId: bigint, date: number, joinDate: number, now: number): RequestRow | undefined {
    const raw = creditedWith.get(chatId, userId, date, joinDate) as RawRow | undefined;
    if (!raw || !requests.withdrawApproval(num(raw.id), date, now)) return undefined;
    return toRequest(byId.get(raw.id) as RawRow);
  }

  const join = db.transaction((chatId: bigint, f: LiveJoinFact, now: number): LiveJoinResult => {
    const match = f.link ? matchLink(chatId, f.link) : NO_LINK;
    const seen = joins.recordSeen(chatId, match.link, { userId: f.userId, date: f.date, approvedBy: f.approvedBy ?? null, viaChatlist: f.viaChatlist ?? false }, now);
    if (seen.outcome !== 'same') applyKeptLeave(chatId, f.userId, f.date);
    const joinLink = match.link ?? (f.link ? undefined : null);
    const approved = f.approvedBy != null && !f.decidedByCaller ? approve(chatId, f.userId, f.date, f.approvedBy, joinLink, now) : undefined;
    return { outcome: seen.outcome, ended: seen.ended, ...(approved ? { approved } : {}), match };
  });

  /**
   * The person's request that an approved join at `date` settles: their newest, asked at or before
   * it — still pending (closed now, decided at the join), approved without a known approver, or
   * vanished ('gone', or declined by the sync's inference) no earlier than the join (corrected). One
   * asked after the join, or one closed before it (declined by someone, or vanished: the approved one
   * was asked again unseen), is another request.
   */
  function approve(chatId: bigint, userId: bigint, date: number, by: bigint, link: string | null | undefined, now: number): RequestRow | undefined {
    const raw = askedBefore.get(chatId, userId, date) as RawRow | undefined;
    const r = raw && toRequest(raw);
    // Through another way in than the join's: another request, asked again unseen.
    if (!r || !fits(r, link)) return undefined;
    if (r.status === 'pending') requests.resolve(chatId, userId, 'approved', date, by);
    // A decline someone recorded (with who decided) stands; one the sync inferred (the request vanished
    // and no listing showed its approving join: the person left at once, say) is corrected by an
    // approval dated no later than the sync saw it vanish (a later one approved a request asked again).
    else if (r.status === 'declined' && (r.decidedBy !== null || (r.decidedAt ?? 0) < date)) return undefined;
    else if (r.status === 'gone' && (r.decidedAt ?? 0) < date) return undefined;
    // Credited to a later join (this one arrived late): the first join after a request is its approval.
    else if (r.status === 'approved' && r.decidedBy !== null && (r.decidedAt ?? 0) > date) requests.correctApprover(r.id, by, date, now);
    else if (!requests.correctToApproved(r.id, by, now, date)) return undefined;
    return toRequest(byId.get(r.id) as RawRow);
  }

  const keepLeave = db.prepare('INSERT OR IGNORE INTO live_leaves (chat_id, user_id, date, how, seen_at) VALUES (?, ?, ?, ?, ?)');
  const forgetOld = db.prepare('DELETE FROM live_leaves WHERE seen_at < ?');
  // The first kept leave at or after a join, unless another stay of the person begins before it.
  const keptLeave = db.prepare(`
    SELECT k.date, k.how, k.seen_at FROM live_leaves k
    WHERE k.chat_id = @chatId AND k.user_id = @userId AND k.date >= @date
      AND NOT EXISTS (SELECT 1 FROM joins j WHERE j.user_id = k.user_id AND j.chat_id = k.chat_id AND j.date > @date AND j.date <= k.date)
    ORDER BY k.date LIMIT 1`);
  const dropLeave = db.prepare('DELETE FROM live_leaves WHERE chat_id = ? AND user_id = ? AND date = ?');

  const leave = db.transaction((chatId: bigint, f: LiveLeaveFact, now: number): LiveLeaveResult => {
    const left = joins.recordLeft(chatId, f.userId, f.date, f.how);
    // Its join has not arrived yet: the leave waits for it.
    const keep = left ? left.displaced : f;
    if (keep) {
      forgetOld.run(now - KEEP_LEAVES_SECONDS);
      keepLeave.run(chatId, f.userId, keep.date, keep.how, now);
    }
    return left ? { outcome: left.outcome, stay: left.stay } : { outcome: 'no-stay' };
  });

  /** A kept leave that this new stay's join was missing ends it now. */
  function applyKeptLeave(chatId: bigint, userId: bigint, date: number): void {
    const k = keptLeave.get({ chatId, userId, date }) as RawRow | undefined;
    if (!k) return;
    const left = joins.recordLeft(chatId, userId, num(k.date), str(k.how) as Exclude<LeftHow, 'unseen'>);
    // Not this stay's (it had ended before): the leave keeps waiting for its own.
    if (!left) return;
    dropLeave.run(chatId, userId, k.date);
    if (left.displaced) keepLeave.run(chatId, userId, left.displaced.date, left.displaced.how, num(k.seen_at));
  }

  return {
    matchLink,
    request: (chatId, fact, now = unixNow()) => request(chatId, fact, now),
    join: (chatId, fact, now = unixNow()) => join(chatId, fact, now),
    leave: (chatId, fact, now = unixNow()) => leave(chatId, fact, now),
  };
}
