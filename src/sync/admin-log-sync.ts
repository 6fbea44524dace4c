/**
 * The admin log in an ordinary cycle: one `channels.getAdminLog` call per chat (more only when
 * over 100 events arrived), asking only for events newer than the last one applied. Joins (by
 * link, by approved request, plain), leaves and removals are written at once through the store's
 * live-fact API (store.live: one row per fact whatever else saw it), so a link that gained members
 * is never paged for them. Link events (edits, revocations, deletions) and a link the store does not
 * know make the links be listed again first. A link another admin made, which a non-owner account
 * cannot list, comes cut ("https://t.me/+AbCd..."): it is stored under that visible text, marked as
 * such, and its joiners with it.
 */
import { tryParseInviteLink } from '../domain/invite-link.js';
import type { ShownLink } from '../store/index.js';
import type { SyncContext } from './context.js';
import { toUserInputs } from './context.js';
import { EventKind, emit, type JoinsNewPayload, type MembersLeftPayload } from './events.js';
import { PAGE_LIMIT, type AdminLogEvent, type LogLink, type SourceChat, type SourceUser } from './types.js';

export interface AdminLogRead {
  events: AdminLogEvent[];
  users: SourceUser[];
  /** The newest event's id (the next read starts above it); null when nothing new. */
  newestId: bigint | null;
  pages: number;
  /** What the pages applied while reading (more than 100 events) stored new. */
  early?: AppliedLog | undefined;
}

/**
 * Reads every event above the stored cursor, newest first; over 100 of them, pages down by max_id,
 * applying each full page at once without moving the cursor (should the process die on the next
 * page, nothing read is lost: the next cycle reads it again, and applying it again is harmless).
 */
export async function readNewEvents(ctx: SyncContext, chat: SourceChat, minId: bigint): Promise<AdminLogRead> {
  const chatId = chat.chatId;
  const events: AdminLogEvent[] = [];
  const users: SourceUser[] = [];
  let maxId = 0n;
  let newestId: bigint | null = null;
  let early: AppliedLog | undefined;
  for (let pages = 1; ; pages++) {
    const page = await ctx.source.readAdminLog(chatId, { minId, maxId, limit: PAGE_LIMIT });
    events.push(...page.events);
    users.push(...page.users);
    newestId ??= page.events[0]?.id ?? page.lowestId ?? null;
    if (page.returned < PAGE_LIMIT || page.lowestId === undefined) return { events, users, newestId, pages, early };
    early = mergeApplied(early, applyEvents(ctx, chat, { events: page.events, users: page.users, newestId: null, pages: 1 }, { advance: false }));
    maxId = page.lowestId;
  }
}

/** Two applications' counts as one. */
export function mergeApplied(a: AppliedLog | undefined, b: AppliedLog): AppliedLog {
  if (!a) return b;
  const byLink = new Map(a.byLink);
  for (const [link, n] of b.byLink) byLink.set(link, (byLink.get(link) ?? 0) + n);
  return { joins: a.joins + b.joins, left: a.left + b.left, byLink };
}

/** Must the links be listed before these events are applied (a link event, or a whole link the store does not know)? */
export function needsLinkListing(ctx: SyncContext, chatId: bigint, events: readonly AdminLogEvent[]): boolean {
  return events.some((e) => {
    if (e.action.kind === 'link') return true;
    if (e.action.kind !== 'join' || !e.action.link || isCut(e.action.link)) return false;
    return ctx.store.live.matchLink(chatId, shownOf(e.action.link)).link === null;
  });
}

export interface AppliedLog {
  joins: number;
  left: number;
  /** New stays per link (canonical), for the cycle's link reports. */
  byLink: Map<string, number>;
}

/**
 * Applies the events oldest first (each once, whatever order or repetition they came in), in one
 * transaction with their outbox events and, when `advance`, the cursor. Applying again is harmless:
 * a fact already stored is the same row, completed (e.g. with the link a listing made known), so
 * when links must be listed first the events are applied before (nothing read is lost if the
 * process dies while listing: the cursor stays) and again after, advancing the cursor then.
 */
export function applyEvents(ctx: SyncContext, chat: SourceChat, read: AdminLogRead, o: { advance: boolean } = { advance: true }): AppliedLog {
  const { store } = ctx;
  const chatId = chat.chatId;
  const now = ctx.now();
  const out: AppliedLog = { joins: 0, left: 0, byLink: new Map() };
  store.tx(() => {
    store.users.upsertMany(toUserInputs(read.users), now);
    const fresh = new Map<string, JoinsNewPayload['joins']>();
    const ended = new Map<string, MembersLeftPayload['left']>();
    const oldestFirst = [...new Map(read.events.map((e) => [e.id, e])).values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const e of oldestFirst) {
      const a = e.action;
      if (a.kind === 'join') {
        const link = a.link && linkFor(ctx, chat, a.link);
        if (a.approvedBy !== undefined) closeOtherRequest(ctx, chatId, e.userId, e.date, link ? store.live.matchLink(chatId, link).link : null);
        const seen = store.live.join(chatId, {
          userId: e.userId, date: e.date, link: link ?? null, approvedBy: a.approvedBy ?? null, viaChatlist: a.viaChatlist, source: 'admin_log',
        }, now);
        const where = seen.match.link;
        if (seen.outcome === 'new' && where) push(fresh, where, { userId: e.userId, date: e.date, approvedBy: a.approvedBy ?? null });
        for (const s of seen.ended) if (s.link) push(ended, s.link, { userId: s.userId, date: s.date, leftAt: s.leftAt, how: s.leftHow });
        if (seen.outcome === 'new') out.joins++;
        if (seen.outcome === 'new' && where) out.byLink.set(where, (out.byLink.get(where) ?? 0) + 1);
        if (seen.approved) emit(store, EventKind.RequestResolved, chatId, { userId: e.userId, link: seen.approved.link, outcome: 'approved', decidedBy: a.approvedBy ?? null, observedAt: now }, now);
      } else if (a.kind === 'leave' || a.kind === 'kick') {
        const left = store.live.leave(chatId, { userId: e.userId, date: e.date, how: a.kind === 'kick' ? 'kicked' : 'left', source: 'admin_log' }, now);
        if ((left.outcome === 'ended' || left.outcome === 'refined') && left.stay) {
          out.left++;
          if (left.stay.link) push(ended, left.stay.link, { userId: e.userId, date: left.stay.date, leftAt: left.stay.leftAt, how: left.stay.leftHow });
        }
      }
    }
    for (const [link, joins = []] of fresh) emit(store, EventKind.JoinsNew, chatId, joinsNew(link, joins), now);
    for (const [link, left = []] of ended) emit(store, EventKind.MembersLeft, chatId, { link, count: left.length, left }, now);
    if (o.advance) store.chatLive.logRead(chatId, read.newestId, now);
  });
  return out;
}

/**
 * The stored link an event's link names, stored first when the store does not know it yet, so the
 * join keeps its link whatever happens before the links are listed: a whole link with what the event
 * says of it (the listing completes it), announced as created; a cut link no stored link matches is another admin's that
 * this account cannot list: stored under its visible text (not listable; shown as it came).
 */
function linkFor(ctx: SyncContext, chat: SourceChat, l: LogLink): ShownLink {
  const shown = shownOf(l);
  const { store } = ctx;
  if (store.live.matchLink(chat.chatId, shown).link !== null) return shown;
  const whole = isCut(l) ? undefined : tryParseInviteLink(l.shown);
  const link = whole?.link ?? l.shown;
  if (store.links.get(chat.chatId, link)) return shown;
  store.links.upsert(chat.chatId, {
    link, rawLink: whole && l.shown !== whole.link ? l.shown : null, adminId: l.adminId, date: 0, startDate: null, expireDate: null, usageLimit: null,
    usage: 0, requested: 0, title: l.title ?? null, revoked: l.revoked, permanent: false, requestNeeded: false,
  }, ctx.now());
  if (!whole) store.links.updateSyncState(chat.chatId, link, { visible: false });
  // News as a link first seen in a listing is (which now finds it stored): a cut link no listing of
  // this account would ever show is not.
  else emit(store, EventKind.LinkCreated, chat.chatId, { link, title: l.title ?? null, adminId: l.adminId, usage: 0, usageLimit: null, expireDate: null }, ctx.now());
  return shown;
}

/**
 * An approval through a link names the request it approved. A pending request of the person stored
 * through ANOTHER link was decided before (a person has one pending request at a time): it vanished
 * no later than this approval, and must not be taken for the approved one.
 */
function closeOtherRequest(ctx: SyncContext, chatId: bigint, userId: bigint, date: number, link: string | null): void {
  const r = ctx.store.requests.latestOf(chatId, userId);
  if (!link || !r || r.status !== 'pending' || r.via !== 'link' || r.link === link || r.date > date) return;
  ctx.store.requests.resolve(chatId, userId, 'gone', date - 1, null);
}

/** A cut link is matched by its start and creator only: its name may have been edited since it was stored. */
function shownOf(l: LogLink): ShownLink {
  return isCut(l) ? { shown: l.shown, creatorId: l.adminId } : { shown: l.shown, creatorId: l.adminId, name: l.title ?? null };
}

function isCut(l: LogLink): boolean {
  return /(?:\.\.\.|…)$/.test(l.shown);
}

function push<T>(m: Map<string, T[] | undefined>, key: string, v: T): void {
  const list = m.get(key) ?? [];
  list.push(v);
  m.set(key, list);
}

function joinsNew(link: string, joins: NonNullable<JoinsNewPayload['joins']>): JoinsNewPayload {
  const dates = joins.map((j) => j.date);
  return { link, backfill: false, count: joins.length, joins, oldest: Math.min(...dates), newest: Math.max(...dates) };
}
