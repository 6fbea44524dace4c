/**
 * Stays: one row per person, chat and join date (migrations/002). A listing page is recorded with
 * `recordListed` (new stays, re-joins, and the older stays they end) and `closeUnlisted` (stays a
 * listing of that range no longer shows have ended). A person is a member of a chat at most once
 * at a time: a newer stay ends any older open one, whatever its link.
 */
import type { Database as Db } from 'better-sqlite3';
import type { Cursor } from './cursor.js';
import { bool, id, num, optId, optNum, optStr, unixNow, type RawRow } from './row.js';

/** One chatInviteImporter row of a link's members (never `requested`). */
export interface JoinInput {
  userId: bigint;
  date: number;
  approvedBy?: bigint | null;
  viaChatlist?: boolean;
}

export type LeftHow = 'left' | 'kicked' | 'unseen';

export interface JoinRow {
  chatId: bigint;
  link: string | null; // null: a stay not known to be through a link (live sources)
  userId: bigint;
  date: number;
  approvedBy: bigint | null;
  viaChatlist: boolean;
  firstSeen: number;
  leftAt: number | null;
  leftHow: LeftHow | null;
}

/** A stay that ended: who, which one (link and join date), when and how. */
export interface EndedStay {
  userId: bigint;
  link: string | null;
  date: number;
  leftAt: number;
  leftHow: LeftHow;
}

export interface RecordedPage {
  /** Stays new to the store (a re-join is a new stay). */
  fresh: JoinInput[];
  /** Older stays of the same people, ended because they joined again. */
  ended: EndedStay[];
}

/** A key range of a newest-first list: rows below `below` (exclusive) down to `from` (inclusive). */
export interface KeyRange {
  below: Cursor | null; // null: no upper bound (the top of the list)
  from: Cursor | null; // null: to the bottom
}

export interface JoinsRepo {
  /**
   * Records a listing page of a link's members (the link and the users must be stored first).
   * Idempotent: a stay already stored is left alone (or reopened, if only a missed listing had
   * closed it). Returns the new stays and the older stays they ended.
   */
  recordListed(chatId: bigint, link: string, rows: readonly JoinInput[], now?: number): RecordedPage;
  /** `recordListed`, answering only the new stays (seeding tests and tools). */
  insertMany(chatId: bigint, link: string, rows: readonly JoinInput[], now?: number): JoinInput[];
  /**
   * Ends the open stays of `link` inside `range` that a listing of that range did not return
   * (`listed`: "userId@date" keys; a person listed with another date is left to recordListed) and
   * that were stored before the listing began (`before`).
   */
  closeUnlisted(chatId: bigint, link: string, range: KeyRange, listed: ReadonlySet<string>, before: number, at: number): EndedStay[];
  /**
   * One join a live source saw (store/live.ts): the same rules as a listed row, but the link may be
   * unknown (null). The same stay (person, chat, date) already stored is completed with the link, the
   * approver and the chat-folder mark it lacked, never overwritten.
   */
  recordSeen(chatId: bigint, link: string | null, row: JoinInput, now?: number): SeenJoin;
  /**
   * A leave or removal a live source saw at `leftAt`: it ends the newest stay that began at or before
   * it. An open stay is ended; one only a listing had closed ('unseen') gets the exact date and how;
   * one already ended by a live source is left alone. Undefined when no such stay is stored, or that
   * stay had ended before `leftAt` (the leave is of a later stay whose join has not arrived).
   */
  recordLeft(chatId: bigint, userId: bigint, leftAt: number, how: Exclude<LeftHow, 'unseen'>): LeftStay | undefined;
  /** Stays stored for the link (every join ever seen), a counter kept per page. */
  countByLink(chatId: bigint, link: string): number;
  /** Open stays of the link: its members as far as the store knows. */
  membersByLink(chatId: bigint, link: string): number;
  /** The user's stays in one chat, newest first. */
  ofUser(chatId: bigint, userId: bigint): JoinRow[];
  /** The earliest approved stay of the user through `link` dated within [from, to]: evidence of an approval. */
  approvalOf(chatId: bigint, userId: bigint, link: string, from: number, to?: number): JoinRow | undefined;
}

/** What a live join did: a new stay (`ended`: the older open one it ended), the same stay as a stored one, or an older one. */
export interface SeenJoin {
  outcome: 'new' | 'same' | 'older';
  ended: EndedStay[];
}

/** What a live leave did to the stay it ends: ended now, made exact (a listing had only missed it), or already known. */
export interface LeftStay {
  outcome: 'ended' | 'refined' | 'known';
  stay: EndedStay;
  /** A later leave the stay had been ended by: it belongs to a later stay whose join has not arrived. */
  displaced?: { date: number; how: Exclude<LeftHow, 'unseen'> };
}

export const stayKey = (userId: bigint, date: number): string => `${userId}@${date}`;

export function toJoin(r: RawRow): JoinRow {
  return {
    chatId: id(r.chat_id),
    link: optStr(r.link),
    userId: id(r.user_id),
    date: num(r.date),
    approvedBy: optId(r.approved_by),
    viaChatlist: bool(r.via_chatlist),
    firstSeen: num(r.first_seen),
    leftAt: optNum(r.left_at),
    leftHow: optStr(r.left_how) as LeftHow | null,
  };
}

const TOP: Cursor = { date: Number.MAX_SAFE_INTEGER, userId: 9223372036854775807n };
const BOTTOM: Cursor = { date: -1, userId: -9223372036854775808n };

export function createJoinsRepo(db: Db): JoinsRepo {
  const linkId = db.prepare('SELECT id FROM invite_links WHERE chat_id = ? AND link = ?').pluck();
  // The person's stays in the chat, newest first: none for almost every row of a page.
  const staysOf = db.prepare('SELECT date, link_id, approved_by, via_chatlist, left_at, left_how FROM joins WHERE user_id = ? AND chat_id = ? ORDER BY date DESC');
  // Positional parameters: binding an object costs about a third more per row.
  const insert = db.prepare(`
    INSERT INTO joins (user_id, chat_id, date, link_id, approved_by, via_chatlist, first_seen, left_at, left_how)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const end = db.prepare('UPDATE joins SET left_at = ?, left_how = ? WHERE user_id = ? AND chat_id = ? AND date = ?');
  const reopen = db.prepare('UPDATE joins SET left_at = NULL, left_how = NULL WHERE user_id = ? AND chat_id = ? AND date = ?');
  // A stay known only from a live source gets the link a listing shows.
  // The same stay seen again: what it lacked (the link, the approver, the chat-folder mark) is added, nothing replaced.
  const complete = db.prepare(`
    UPDATE joins SET link_id = coalesce(link_id, ?), approved_by = coalesce(approved_by, ?), via_chatlist = max(via_chatlist, ?)
    WHERE user_id = ? AND chat_id = ? AND date = ?`);
  const refine = db.prepare("UPDATE joins SET left_at = ?, left_how = ? WHERE user_id = ? AND chat_id = ? AND date = ? AND left_how IS 'unseen'");
  const bumpStored = db.prepare(`
    UPDATE invite_links SET joins_stored = joins_stored + ?, last_join_date = max(coalesce(last_join_date, 0), ?)
    WHERE id = ?`);
  const bumpMembers = db.prepare('UPDATE invite_links SET members_stored = members_stored + ? WHERE id = ?');
  const linkOf = db.prepare('SELECT link FROM invite_links WHERE id = ?').pluck();
  const counters = db.prepare('SELECT joins_stored, members_stored FROM invite_links WHERE chat_id = ? AND link = ?');
  const inRange = db.prepare(`
    SELECT user_id, chat_id, date FROM joins
    WHERE link_id = @linkId AND left_at IS NULL AND first_seen <= @before
      AND (date, user_id) < (@hiDate, @hiUser) AND (date, user_id) >= (@loDate, @loUser)`);
  const ofUser = db.prepare(`
    SELECT j.*, l.link FROM joins j LEFT JOIN invite_links l ON l.id = j.link_id
    WHERE j.user_id = ? AND j.chat_id = ? ORDER BY j.date DESC`);
  const approval = db.prepare(`
    SELECT j.*, l.link FROM joins j JOIN invite_links l ON l.id = j.link_id
    WHERE j.user_id = @userId AND j.chat_id = @chatId AND l.link = @link AND j.approved_by IS NOT NULL
      AND j.date >= @from AND j.date <= @to
    ORDER BY j.date LIMIT 1`);

  const keyOf = (chatId: bigint, link: string): bigint => {
    const key = linkId.get(chatId, link) as bigint | undefined;
    if (key === undefined) throw new Error(`unknown link ${link} in chat ${chatId}: store the link first`);
    return key;
  };

  /**
   * One listed row. New person: a plain insert. Otherwise: the same stay again (completed with its
   * link, or reopened if only a missed listing had closed it), or a re-join that ends the open stay,
   * or an older stay than the membership known (stored ended, when the newer one began).
   */
  function record(chatId: bigint, key: bigint | null, row: JoinInput, now: number, out: RecordedPage, deltas: Map<bigint, number>): SeenJoin['outcome'] {
    const insertAs = (leftAt: number | null): void =>
      void insert.run(row.userId, chatId, row.date, key, row.approvedBy ?? null, row.viaChatlist ? 1 : 0, now, leftAt, leftAt === null ? null : 'unseen');
    const stays = staysOf.all(row.userId, chatId) as RawRow[];
    const same = stays.find((s) => num(s.date) === row.date);
    const open = stays.find((s) => s.left_how === null);
    const bump = (k: bigint | null, n: number) => k !== null && deltas.set(k, (deltas.get(k) ?? 0) + n);
    if (same) {
      const gainsLink = same.link_id === null && key !== null;
      const gains = gainsLink || (same.approved_by === null && row.approvedBy != null) || (!bool(same.via_chatlist) && row.viaChatlist === true);
      // A listing reads the same rows again and again: only a stay that lacks something is written.
      if (gains) complete.run(key, row.approvedBy ?? null, row.viaChatlist ? 1 : 0, row.userId, chatId, row.date);
      // A stay a live source stored without its link now counts for the link.
      if (gainsLink) {
        count(key, row.date);
        if (same.left_how === null) bump(key, 1);
      }
      if (same.left_how === 'unseen' && !open) {
        reopen.run(row.userId, chatId, row.date);
        bump(optId(same.link_id) ?? key, 1);
      }
      return 'same';
    }
    const older = open !== undefined && num(open.date) > row.date;
    if (older) {
      insertAs(num(open.date));
    } else {
      if (open) {
        end.run(row.date, 'unseen', row.userId, chatId, open.date);
        const openKey = optId(open.link_id);
        bump(openKey, -1);
        out.ended.push({ userId: row.userId, link: openKey === null ? null : (linkOf.get(openKey) as string), date: num(open.date), leftAt: row.date, leftHow: 'unseen' });
      }
      insertAs(null);
      bump(key, 1);
    }
    out.fresh.push(row);
    if (key !== null) count(key, row.date);
    return older ? 'older' : 'new';
  }

  // Counters of a write, applied once at its end: stays stored per link (and the newest join date
  // among them), open stays per link.
  let stored = new Map<bigint, { n: number; newest: number }>();
  const count = (key: bigint, date: number): void => {
    const c = stored.get(key) ?? { n: 0, newest: 0 };
    stored.set(key, { n: c.n + 1, newest: Math.max(c.newest, date) });
  };
  const write = <T>(fn: (out: RecordedPage, deltas: Map<bigint, number>) => T): T => {
    stored = new Map();
    const out: RecordedPage = { fresh: [], ended: [] };
    const deltas = new Map<bigint, number>();
    const result = fn(out, deltas);
    for (const [linkKey, c] of stored) bumpStored.run(c.n, c.newest, linkKey);
    for (const [linkKey, delta] of deltas) if (delta !== 0) bumpMembers.run(delta, linkKey);
    return result;
  };

  const recordListed = db.transaction((chatId: bigint, link: string, rows: readonly JoinInput[], now: number): RecordedPage => {
    const key = keyOf(chatId, link);
    return write((out, deltas) => {
      for (const row of rows) record(chatId, key, row, now, out, deltas);
      return out;
    });
  });

  const recordSeen = db.transaction((chatId: bigint, link: string | null, row: JoinInput, now: number): SeenJoin => {
    const key = link === null ? null : keyOf(chatId, link);
    const seen = write((out, deltas) => ({ outcome: record(chatId, key, row, now, out, deltas), ended: out.ended }));
    if (seen.outcome !== 'same') takeOverLeave(chatId, key, row);
    return seen;
  });

  /**
   * A join that arrives after a leave dated after it: when the stay begun just before it was ended by
   * that leave (a live one, dated after this join began), the leave was this stay's — the earlier stay
   * ended by the time this one began (`unseen`: when exactly, a late leave of its own may still say).
   */
  function takeOverLeave(chatId: bigint, key: bigint | null, row: JoinInput): void {
    const stays = staysOf.all(row.userId, chatId) as RawRow[];
    const at = stays.findIndex((s) => num(s.date) === row.date);
    const self = stays[at];
    const prev = stays[at + 1];
    if (!self || !prev || (prev.left_how !== 'left' && prev.left_how !== 'kicked') || num(prev.left_at) <= row.date) return;
    const leftAt = num(prev.left_at);
    if (self.left_how === null) {
      end.run(leftAt, prev.left_how, row.userId, chatId, row.date);
      if (key !== null) bumpMembers.run(-1, key);
    } else if (self.left_how === 'unseen' && leftAt <= num(self.left_at)) {
      refine.run(leftAt, prev.left_how, row.userId, chatId, row.date);
    } else return;
    end.run(row.date, 'unseen', row.userId, chatId, prev.date);
  }

  const recordLeft = db.transaction((chatId: bigint, userId: bigint, leftAt: number, how: Exclude<LeftHow, 'unseen'>): LeftStay | undefined => {
    const target = (staysOf.all(userId, chatId) as RawRow[]).find((s) => num(s.date) <= leftAt);
    if (!target) return undefined;
    const date = num(target.date);
    const linkKey = optId(target.link_id);
    const link = linkKey === null ? null : (linkOf.get(linkKey) as string);
    if (target.left_how === null) {
      end.run(leftAt, how, userId, chatId, date);
      if (linkKey !== null) bumpMembers.run(-1, linkKey);
      return { outcome: 'ended', stay: { userId, link, date, leftAt, leftHow: how } };
    }
    // That stay had ended before this leave: the leave is of a later stay, not stored yet.
    if (num(target.left_at) < leftAt) return undefined;
    if (target.left_how === 'unseen') {
      refine.run(leftAt, how, userId, chatId, date);
      return { outcome: 'refined', stay: { userId, link, date, leftAt, leftHow: how } };
    }
    const known = num(target.left_at);
    if (known > leftAt) {
      // Two leaves for one stay: the earlier ended it; the later one is of a later stay, not stored yet.
      end.run(leftAt, how, userId, chatId, date);
      const displaced = { date: known, how: target.left_how as Exclude<LeftHow, 'unseen'> };
      return { outcome: 'refined', stay: { userId, link, date, leftAt, leftHow: how }, displaced };
    }
    return { outcome: 'known', stay: { userId, link, date, leftAt: known, leftHow: target.left_how as LeftHow } };
  });

  const closeUnlisted = db.transaction(
    (chatId: bigint, link: string, range: KeyRange, listed: ReadonlySet<string>, before: number, at: number): EndedStay[] => {
      const key = keyOf(chatId, link);
      const hi = range.below ?? TOP;
      const lo = range.from ?? BOTTOM;
      const ended: EndedStay[] = [];
      // A person listed with another date joined again: recordListed ends the old stay at the new date.
      const again = new Set([...listed].map((k) => k.slice(0, k.indexOf('@'))));
      const rows = inRange.all({ linkId: key, before, hiDate: hi.date, hiUser: hi.userId, loDate: lo.date, loUser: lo.userId }) as RawRow[];
      for (const r of rows) {
        const userId = id(r.user_id);
        const date = num(r.date);
        if (listed.has(stayKey(userId, date)) || again.has(String(userId))) continue;
        end.run(at, 'unseen', userId, chatId, date);
        ended.push({ userId, link, date, leftAt: at, leftHow: 'unseen' });
      }
      if (ended.length > 0) bumpMembers.run(-ended.length, key);
      return ended;
    },
  );

  const counter = (chatId: bigint, link: string): { stored: number; members: number } => {
    const r = counters.get(chatId, link) as RawRow | undefined;
    return r ? { stored: num(r.joins_stored), members: num(r.members_stored) } : { stored: 0, members: 0 };
  };

  return {
    recordListed: (chatId, link, rows, now = unixNow()) => recordListed(chatId, link, rows, now),
    insertMany: (chatId, link, rows, now = unixNow()) => recordListed(chatId, link, rows, now).fresh,
    recordSeen: (chatId, link, row, now = unixNow()) => recordSeen(chatId, link, row, now),
    recordLeft: (chatId, userId, leftAt, how) => recordLeft(chatId, userId, leftAt, how),
    closeUnlisted: (chatId, link, range, listed, before, at) => closeUnlisted(chatId, link, range, listed, before, at),
    countByLink: (chatId, link) => counter(chatId, link).stored,
    membersByLink: (chatId, link) => counter(chatId, link).members,
    ofUser: (chatId, userId) => (ofUser.all(userId, chatId) as RawRow[]).map(toJoin),
    approvalOf: (chatId, userId, link, from, to = Number.MAX_SAFE_INTEGER) => {
      const r = approval.get({ chatId, userId, link, from, to }) as RawRow | undefined;
      return r && toJoin(r);
    },
  };
}
