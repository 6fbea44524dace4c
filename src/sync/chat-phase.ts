/**
 * Phase 1 of a cycle, for one chat: find it (its stored access hash first: no search, no call
 * outside the budget), list its links, and check its pending requests — the urgent part, done for
 * every chat before any chat's members are paged. A chat whose links cannot be listed right now
 * (a flood wait, an admin whose access hash is unknown) is deferred to the next cycle, not failed.
 */
import { parseId } from '../domain/chat-id.js';
import type { Store } from '../store/index.js';
import type { SyncContext } from './context.js';
import { discoverLinks } from './link-discovery.js';
import type { MeteredSource } from './metered-source.js';
import { emptyRequestsReport, type ChatReport, type LinkReport } from './report.js';
import { reconcileRequests } from './requests-reconciler.js';
import { writePendingPage } from './request-pages.js';
import { applyEvents, mergeApplied, needsLinkListing, type AdminLogRead, type AppliedLog } from './admin-log-sync.js';
import { planChat, readLiveState } from './live-plan.js';
import { isSourceError, type SourceChat, type SourceLink } from './types.js';

/** One chat's part of a cycle, carried from phase 1 into phase 2. */
export interface ChatCycle {
  report: ChatReport;
  source: MeteredSource;
  ctx: SyncContext;
  chat?: SourceChat;
  /** The links listed this cycle. */
  links: SourceLink[];
  linkReports: Map<string, LinkReport>;
  runId?: number;
  /** Its links were listed in a full reconcile: phase 2 may page their members. */
  ready: boolean;
  /** How the chat was synced this cycle (unset: it failed before the plan). */
  mode?: ChatMode;
}

export function newChatCycle(ref: string | bigint, ctx: SyncContext): ChatCycle {
  const report: ChatReport = {
    chatRef: String(ref), chatId: null, title: null, outcome: 'ok', calls: 0, rowsAdded: 0, links: [], requests: emptyRequestsReport(), invisibleLinks: false,
  };
  return { report, source: ctx.source, ctx, links: [], linkReports: new Map(), ready: false };
}

/** How a chat is synced this cycle (live-plan.ts decides). */
export type ChatMode = 'full' | 'ordinary' | 'pending';

/**
 * Resolves the chat, then: `pending` checks its pending requests only (a targeted sync after a
 * signal); otherwise the admin log is read and the plan decides between the ordinary cycle (the
 * log's events, one pending check) and the full reconcile (links listed, events applied, the
 * pending reconcile, then members in phase 2). Errors other than a deferral are the caller's.
 */
export async function syncChatPhaseOne(c: ChatCycle, ref: string | bigint, o: { forceFull?: boolean; pendingOnly?: boolean } = {}): Promise<void> {
  const chat = await resolveAndRecord(c, ref);
  if (o.pendingOnly) {
    c.mode = 'pending';
    return checkPending(c, chat, undefined);
  }
  const live = await readLiveState(c, chat);
  if (live === 'deferred') return;
  c.mode = planChat(c.ctx, live, o.forceFull === true);
  if (c.mode === 'ordinary' && live.log) return syncOrdinary(c, chat, live.log);
  await syncFull(c, chat, live.log);
}

/** The full reconcile's first part: every link listed, the log's events applied, the pending reconcile. */
async function syncFull(c: ChatCycle, chat: SourceChat, log: AdminLogRead | null): Promise<void> {
  const early = log ? mergeApplied(log.early, applyEvents(c.ctx, chat, log, { advance: false })) : undefined;
  const listed = await listLinks(c, chat);
  if (!listed) return;
  c.ready = true;
  if (log) applyEvents(c.ctx, chat, log);
  if (early) creditLinks(c, early);
  await reconcilePending(c, chat, c.links, listed.at);
  if (c.report.requests.complete) c.ctx.store.chatLive.checked(chat.chatId, listed.at);
}

/** An ordinary cycle: the log's events (links listed first when they name a change), one pending check. */
async function syncOrdinary(c: ChatCycle, chat: SourceChat, log: AdminLogRead): Promise<void> {
  const { store } = c.ctx;
  let listed: { at: number } | undefined;
  const relist = store.chatLive.get(chat.chatId)?.linksStale === true || needsLinkListing(c.ctx, chat.chatId, log.events);
  const applied = mergeApplied(log.early, applyEvents(c.ctx, chat, log, { advance: !relist }));
  if (relist) {
    listed = await listLinks(c, chat);
    if (!listed) return;
    store.chatLive.setLinksStale(chat.chatId, false);
    applyEvents(c.ctx, chat, log);
  }
  c.report.logEvents = log.events.length;
  creditLinks(c, applied);
  // Joins without a link (the username, a plain join) have no link report to be counted in.
  c.report.rowsAdded += applied.joins - [...applied.byLink.values()].reduce((a, b) => a + b, 0);
  await checkPending(c, chat, listed);
}

/**
 * The pending check of an ordinary cycle or a targeted sync: one chat-wide page. When Telegram's
 * count and that page agree with the store (and nothing stored waits for its link), nothing
 * changed; otherwise the links are listed (their `requested` counts attribute the new requests)
 * and the full pending reconcile runs.
 */
async function checkPending(c: ChatCycle, chat: SourceChat, listed: { at: number } | undefined): Promise<void> {
  const { store } = c.ctx;
  const chatId = chat.chatId;
  const startedAt = c.ctx.now();
  const page = await c.source.listRequests(chatId, { limit: c.ctx.pageLimit });
  c.report.requests.pages++;
  const same =
    page.count === store.requests.pendingCount(chatId) &&
    page.rows.every((r) => store.requests.pendingOf(chatId, r.userId)?.date === r.date) &&
    store.requests.oldestUnknown(chatId) === undefined &&
    !unverifiedBelowPage(c, chatId, page.rows);
  if (same) {
    c.report.requests.complete = true;
    store.chatLive.checked(chatId, startedAt);
    return;
  }
  // Stored at once (origin unknown until the reconcile names it): nothing read is lost if listing fails.
  writePendingPage(c.ctx, { chatId, report: c.report.requests }, { rows: page.rows.filter((r) => r.requested), users: page.users });
  const relisted = listed ?? (await listLinks(c, chat));
  if (!relisted) return;
  await reconcilePending(c, chat, c.links, relisted.at);
  if (c.report.requests.complete) store.chatLive.checked(chatId, startedAt);
}

/**
 * A stored pending request newer than the pending mark (what the last complete check knew) that the
 * page does not show: a live source (the bot) stored it since, and with a late update of its own a
 * decision elsewhere can balance Telegram's count, so the count cannot vouch for it.
 */
function unverifiedBelowPage(c: ChatCycle, chatId: bigint, page: readonly { userId: bigint; date: number }[]): boolean {
  const { store } = c.ctx;
  const mark = store.requests.pendingMark(chatId);
  const shown = new Set(page.map((r) => `${r.userId}@${r.date}`));
  return store.requests.pendingRows(chatId).some((r) => !shown.has(`${r.userId}@${r.date}`) && (!mark || r.date > mark.date));
}

/** New stays the admin log gave, counted on their links' reports (what `sync --once` and the metrics count). */
function creditLinks(c: ChatCycle, applied: AppliedLog): void {
  for (const [link, n] of applied.byLink) {
    let r = c.linkReports.get(link);
    if (!r) {
      r = { link, title: c.ctx.store.links.get(c.chat!.chatId, link)?.title ?? null, action: 'incremental', newJoins: 0, left: 0, pages: 0 };
      c.linkReports.set(link, r);
      c.report.links.push(r);
    }
    if (r.action === 'skipped') r.action = 'incremental';
    r.newJoins += n;
    r.note ??= 'joins from the admin log';
  }
}

async function resolveAndRecord(c: ChatCycle, ref: string | bigint): Promise<SourceChat> {
  const { store } = c.ctx;
  const chat = await c.source.resolveChat(ref, { knownAccessHash: knownChat(store, ref)?.accessHash ?? undefined });
  c.chat = chat;
  Object.assign(c.report, { chatId: chat.chatId, title: chat.title });
  store.chats.upsert({ id: chat.chatId, title: chat.title, username: chat.username ?? null, type: chat.type, accessHash: chat.accessHash ?? null, isOwner: chat.isOwner }, c.ctx.now());
  c.runId = store.runs.start(chat.chatId, c.ctx.now());
  return chat;
}

/** Lists the links (undefined: deferred, the report says why); `at` is when the listing began. */
async function listLinks(c: ChatCycle, chat: SourceChat): Promise<{ at: number } | undefined> {
  const { store } = c.ctx;
  const at = c.ctx.now();
  let discovery;
  try {
    discovery = await discoverLinks(c.ctx, chat);
  } catch (e) {
    if (!isSourceError(e, 'FloodWait') && !(isSourceError(e, 'PeerInvalid') && e.code === 'USER_HASH_UNKNOWN')) throw e;
    c.report.outcome = 'deferred';
    c.report.error = `links cannot be listed now (${e.code}); the next cycle tries again`;
    return undefined;
  }
  c.report.invisibleLinks = discovery.invisibleNote !== null;
  store.chats.upsert(
    { id: chat.chatId, title: chat.title, username: chat.username ?? null, type: chat.type, isOwner: chat.isOwner, invisibleLinksNote: discovery.invisibleNote },
    c.ctx.now(),
  );
  c.links = [...new Map(discovery.links.map((l) => [l.link, l])).values()];
  for (const l of c.links) {
    if (c.linkReports.has(l.link)) continue;
    const r: LinkReport = { link: l.link, title: l.title ?? null, action: 'skipped', newJoins: 0, left: 0, pages: 0 };
    c.linkReports.set(l.link, r);
    c.report.links.push(r);
  }
  return { at };
}

async function reconcilePending(c: ChatCycle, chat: SourceChat, links: readonly SourceLink[], listedAt: number): Promise<void> {
  try {
    await reconcileRequests(c.ctx, chat, links, listedAt, c.report.requests);
  } catch (e) {
    if (!isSourceError(e, 'FloodWait')) throw e;
    c.report.outcome = 'partial';
    c.report.error = `pending requests deferred: ${e.code}`;
  }
  if (!c.report.requests.complete && c.report.outcome === 'ok') c.report.outcome = 'partial';
}

/** The chat as an earlier sync stored it (for its access hash), by `-100…` id or @username. */
export function knownChat(store: Store, ref: string | bigint) {
  if (typeof ref === 'bigint') return store.chats.get(ref);
  const text = ref.trim();
  if (text.startsWith('@')) return store.chats.byUsername(text);
  const id = parseId(text);
  return id === undefined ? undefined : store.chats.get(id);
}
