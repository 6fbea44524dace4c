/**
 * Step 3: pending join requests, cheaply. An idle chat costs one chat-wide page: its `count` and
 * the per-link `requested` counters of the listing agree with the store, nothing else is read.
 *
 *  1. Read the chat-wide list's first page (count C; new requests are always on top).
 *  2. For each link whose `requested` differs from its stored pending count, read its list newest
 *     first down to its newest stored request: that attributes the new requests to their link.
 *  3. Walk the chat-wide list down to the newest request stored before this cycle; what is still
 *     unknown came through the public username (or a link whose counter stayed level because one
 *     request left while another came: those links are then read too).
 *  4. Where the store holds more pending than Telegram counts, requests were resolved: re-read
 *     that link's whole list (or the chat-wide one) and close what is missing.
 * Joins are synced before this runs, so an approval is already visible as a join with approved_by.
 */
import type { Cursor } from '../store/index.js';
import type { SyncContext } from './context.js';
import type { RequestsReport } from './report.js';
import { currentRequests, reachesMark, requestPages, resolveGone, writePending, type RequestWalk } from './request-pages.js';
import { isSourceError, type ImporterPage, type SourceImporter, type SourceLink } from './types.js';

export async function reconcileRequests(ctx: SyncContext, chatId: bigint, links: readonly SourceLink[], report: RequestsReport): Promise<void> {
  const { store } = ctx;
  const chatMark = store.requests.newestPending(chatId);
  const chat: RequestWalk = { chatId, report };
  const first = await ctx.source.listRequests(chatId, { limit: ctx.pageLimit });
  report.pages++;
  const total = first.count;
  const byLink = uniqueLinks(links);
  const walked = new Set<string>();
  const unreadable = new Set<string>();
  for (const link of byLink.values()) {
    if (store.requests.pendingCount(chatId, link.link) === link.requested) continue;
    if (!(await tolerant(() => walkLinkNewest(ctx, { chatId, link: link.link, report }, link.requested)))) unreadable.add(link.link);
    walked.add(link.link);
  }
  const unknown = await unknownOnTop(ctx, chat, first, chatMark, total);
  if (unknown.rows.length > 0) await attributeUnknown(ctx, chat, unknown, byLink, walked, total);
  await closeResolved(ctx, chat, byLink, total, unreadable);
}

/**
 * A link deleted or out of reach since the listing (LinkGone, NotPermitted) is left out of this
 * cycle's reconciliation instead of failing the chat; false tells the caller to forget it.
 */
async function tolerant(walk: () => Promise<void>): Promise<boolean> {
  try {
    await walk();
    return true;
  } catch (e) {
    if (isSourceError(e, 'LinkGone') || isSourceError(e, 'NotPermitted')) return false;
    throw e;
  }
}

/** Links listed twice (active and revoked listings never overlap, but be safe) count once. */
function uniqueLinks(links: readonly SourceLink[]): Map<string, SourceLink> {
  return new Map(links.map((l) => [l.link, l]));
}

async function walkLinkNewest(ctx: SyncContext, w: RequestWalk & { link: string }, requested: number): Promise<void> {
  const mark = ctx.store.requests.newestPending(w.chatId, w.link);
  let seen = 0;
  for await (const page of requestPages(ctx, w)) {
    writePending(ctx, w, page, w.link);
    seen += page.rows.length;
    if (reachesMark(page, mark)) return;
    if (ctx.store.requests.pendingCount(w.chatId, w.link) >= requested) return;
    if (!mark && seen >= page.count) return;
  }
}

/** Rows of the chat-wide list above the pre-cycle mark that the store does not hold as pending. */
async function unknownOnTop(
  ctx: SyncContext,
  w: RequestWalk,
  first: ImporterPage,
  mark: Cursor | undefined,
  total: number,
): Promise<{ rows: SourceImporter[]; users: ImporterPage['users'] }> {
  const { store } = ctx;
  const rows: SourceImporter[] = [];
  const users: ImporterPage['users'] = [];
  for await (const page of requestPages(ctx, w, first)) {
    for (const r of page.rows) if (r.requested && !store.requests.pendingOf(w.chatId, r.userId)) rows.push(r);
    users.push(...page.users);
    if (reachesMark(page, mark)) break;
    if (store.requests.pendingCount(w.chatId) + rows.length >= total) break;
  }
  return { rows, users };
}

async function attributeUnknown(
  ctx: SyncContext,
  w: RequestWalk,
  unknown: { rows: SourceImporter[]; users: ImporterPage['users'] },
  byLink: Map<string, SourceLink>,
  walked: Set<string>,
  total: number,
): Promise<void> {
  const { store } = ctx;
  const publicNow = total - sum([...byLink.values()].map((l) => l.requested));
  const storedPublic = store.requests.pendingCount(w.chatId, null);
  if (storedPublic + unknown.rows.length > publicNow) {
    // More unknown requests than the public username explains: some came through a link whose
    // counter stayed level. Read those links' newest requests (rare: needs a resolution too).
    for (const link of byLink.values()) {
      if (walked.has(link.link) || link.requested === 0) continue;
      await tolerant(() => walkLinkNewest(ctx, { chatId: w.chatId, link: link.link, report: w.report }, Infinity));
      walked.add(link.link);
      if (unknown.rows.every((r) => store.requests.pendingOf(w.chatId, r.userId))) break;
    }
  }
  const left = unknown.rows.filter((r) => !store.requests.pendingOf(w.chatId, r.userId));
  if (left.length > 0) writePending(ctx, w, { rows: left, users: unknown.users }, null);
}

async function closeResolved(
  ctx: SyncContext,
  chat: RequestWalk,
  byLink: Map<string, SourceLink>,
  total: number,
  unreadable: ReadonlySet<string>,
): Promise<void> {
  const { store } = ctx;
  const chatId = chat.chatId;
  for (const link of byLink.values()) {
    if (unreadable.has(link.link) || store.requests.pendingCount(chatId, link.link) <= link.requested) continue;
    const w = { chatId, link: link.link, report: chat.report };
    const current = await currentRequests(ctx, w);
    resolveGone(ctx, w, missing(store.requests.pendingUserIds(chatId, link.link), current));
  }
  const publicNow = total - sum([...byLink.values()].map((l) => l.requested));
  const publicGone = store.requests.pendingCount(chatId, null) > Math.max(0, publicNow);
  if (!publicGone && store.requests.pendingCount(chatId) === total) return;
  // The chat-wide list is the only one that shows public-username requests (and our safety net
  // when the counters disagree): read it whole once, from its top now (not the first page read at
  // the start of the cycle: a request that came meanwhile is on top), and settle against it.
  const current = await currentRequests(ctx, chat);
  const stale = missing(store.requests.pendingUserIds(chatId), current);
  resolveGone(ctx, chat, stale);
  const unseen = [...current.values()].filter((r) => !store.requests.pendingOf(chatId, r.userId));
  if (unseen.length > 0) writePending(ctx, chat, { rows: unseen, users: [] }, null);
}

function missing(stored: readonly bigint[], current: Map<bigint, SourceImporter>): bigint[] {
  return stored.filter((id) => !current.has(id));
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
