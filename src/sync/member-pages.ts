/**
 * One page of a link's members, read and written the way every walk over them does (news walks,
 * full listings, the reads that look for an approval). The page is written in one transaction
 * with everything it teaches:
 *  - new stays (a re-join is a new stay) and the older stays of the same people they end;
 *  - the stays of the key range the page covers that it no longer shows: those people left (a
 *    listing returns every current member of its range; stays stored after the call began are
 *    spared, they may be newer than the page);
 *  - the approvals its approved joins prove (approvals.ts);
 *  - its events (joins.new, members.left) and the walk's state, so an interrupted walk resumes
 *    exactly after the last page written and a page written twice changes nothing.
 */
import type { Cursor, EndedStay, KeyRange, WalkCursor } from '../store/index.js';
import { stayKey } from '../store/index.js';
import { recordApproval } from './approvals.js';
import type { SyncContext } from './context.js';
import { cursorAfter, importerCursor, toUserInputs } from './context.js';
import { EventKind, emit, type JoinsNewPayload, type MembersLeftPayload } from './events.js';
import type { LinkReport } from './report.js';
import { SourceError, type ImporterPage, type SourceImporter, type SourceLink } from './types.js';

export interface MembersPage {
  /** Member rows, newest first. */
  rows: SourceImporter[];
  count: number;
  /** Where the next page starts; undefined for an empty page. */
  next?: WalkCursor | undefined;
  /** Rows from the top of the page down to `next` (the rows after it are read again next page). */
  advanced: number;
  /** When the call began: stays stored later are not judged by this page. */
  calledAt: number;
  users: ImporterPage['users'];
}

/**
 * The page after `after` (from the top when null). A cursor whose user's access hash is unknown
 * cannot be sent (Telegram checks it): `undefined` tells the walk to start again from the top.
 */
export async function readMembers(ctx: SyncContext, chatId: bigint, link: SourceLink, after: WalkCursor | null): Promise<MembersPage | undefined> {
  const cursor = importerCursor(ctx.store, after);
  if (after && !cursor) return undefined;
  const calledAt = ctx.now();
  const page = await ctx.source.listJoins(chatId, { link: link.raw, after: cursor, limit: ctx.pageLimit });
  const rows = page.rows.filter((r) => !r.requested); // a member list never holds requests; never trust it blindly
  const next = cursorAfter(rows, page.users);
  if (rows.length > 0 && !next) throw new SourceError('Transient', 'CURSOR_USER_UNKNOWN');
  return { rows, count: page.count, next: next?.cursor, advanced: next ? next.index + 1 : 0, calledAt, users: page.users };
}

/** The key range a page covers: below the previous cursor (from the top for a first page) down to its last row, or the bottom. */
export function rangeOf(after: Cursor | null, page: MembersPage, toBottom: boolean): KeyRange {
  const last = page.rows.at(-1);
  return { below: after, from: toBottom || !last ? null : { date: last.date, userId: last.userId } };
}

export interface WriteOptions {
  range: KeyRange;
  /** History (a link's first walk) rather than news. */
  backfill: boolean;
  /** The walk's own state, written in the same transaction. */
  state?: () => void;
}

/** Writes one page (see the file comment); returns how many stays were new and how many ended. */
export function writeMembers(ctx: SyncContext, chatId: bigint, link: string, page: MembersPage, o: WriteOptions, report?: LinkReport): { fresh: number; left: number } {
  const { store } = ctx;
  const now = ctx.now();
  const rows = page.rows.map((r) => ({ userId: r.userId, date: r.date, approvedBy: r.approvedBy ?? null, viaChatlist: r.viaChatlist }));
  const listed = new Set(rows.map((r) => stayKey(r.userId, r.date)));
  const result = store.tx(() => {
    store.users.upsertMany(toUserInputs(page.users), now);
    // Closing first: the range then holds only what earlier pages stored (a backfill page's is empty).
    const gone = store.joins.closeUnlisted(chatId, link, o.range, listed, page.calledAt, now);
    const recorded = store.joins.recordListed(chatId, link, rows, now);
    for (const j of recorded.fresh) if (j.approvedBy != null) recordApproval(ctx, chatId, link, { ...j, approvedBy: j.approvedBy });
    if (recorded.fresh.length > 0) emit(store, EventKind.JoinsNew, chatId, joinsPayload(link, o.backfill, recorded.fresh), now);
    for (const [where, ended] of byLink([...recorded.ended, ...gone])) emit(store, EventKind.MembersLeft, chatId, leftPayload(where, ended), now);
    o.state?.();
    return { fresh: recorded.fresh.length, left: recorded.ended.length + gone.length };
  });
  if (report) {
    report.pages++;
    report.newJoins += result.fresh;
    report.left += result.left;
  }
  return result;
}

function byLink(ended: EndedStay[]): Map<string, EndedStay[]> {
  const m = new Map<string, EndedStay[]>();
  for (const e of ended) if (e.link !== null) m.set(e.link, [...(m.get(e.link) ?? []), e]);
  return m;
}

function leftPayload(link: string, ended: EndedStay[]): MembersLeftPayload {
  return { link, count: ended.length, left: ended.map((e) => ({ userId: e.userId, date: e.date, leftAt: e.leftAt, how: e.leftHow })) };
}

function joinsPayload(link: string, backfill: boolean, fresh: { userId: bigint; date: number; approvedBy?: bigint | null }[]): JoinsNewPayload {
  let oldest = Infinity;
  let newest = -Infinity;
  for (const j of fresh) {
    oldest = Math.min(oldest, j.date);
    newest = Math.max(newest, j.date);
  }
  const payload: JoinsNewPayload = { link, backfill, count: fresh.length, oldest, newest };
  if (!backfill) payload.joins = fresh.map((j) => ({ userId: j.userId, date: j.date, approvedBy: j.approvedBy ?? null }));
  return payload;
}
