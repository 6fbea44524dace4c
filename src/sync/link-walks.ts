/**
 * Walks over one link's members, resumable page by page (store.walks, written with every page).
 *
 * news: from the top down to the link's high-water mark (to the end, for the link's first walk).
 *   Its top becomes the mark only once it is complete, so what arrives while it is paused (a
 *   budget, a flood wait, a SIGKILL) lies above that top and is found by the next news walk, which
 *   follows at once when the link's usage moved meanwhile; the mark never moves backwards. A walk
 *   down to a mark stops at the first row older than the mark's second (a row of that second can
 *   arrive after the mark was read). A first walk may stop without an empty page once it has read
 *   as many rows as its first page counted: rows below a walk's cursor can only leave.
 * full: every member, to the empty page: how leaves are learnt when counters cannot tell who left.
 *   When it completes, every leave before it began is recorded (member-pages.ts closes what each
 *   page's range no longer shows).
 */
import type { LinkRow, LinkWalk } from '../store/index.js';
import type { SyncContext } from './context.js';
import { newer } from './context.js';
import { rangeOf, readMembers, writeMembers } from './member-pages.js';
import type { LinkReport } from './report.js';
import type { SourceLink } from './types.js';

/** The news walk this link needs now (resumed or new), or undefined when nothing is new. */
export function newsWalk(ctx: SyncContext, chatId: bigint, link: SourceLink, stored?: LinkRow): LinkWalk | undefined {
  const { store } = ctx;
  const row = stored ?? store.links.get(chatId, link.link);
  if (!row || row.goneAt !== null) return undefined;
  const paused = store.walks.get(chatId, link.link, 'news');
  if (paused) return paused;
  // Before its first walk, a link nobody is in needs none, unless members were stored meanwhile
  // (a read for an approval) who may have left since.
  if (row.backfillDone ? row.syncedUsage === link.usage : link.usage === 0 && row.membersStored === 0) return undefined;
  return { kind: 'news', startedAt: ctx.now(), usage: link.usage, top: null, floor: row.backfillDone ? row.hwm : null, cursor: null, seen: 0, total: null };
}

/** The full listing this link needs now: one in progress, a link that lost members, or one due at the reconcile pace. */
export function fullWalk(ctx: SyncContext, chatId: bigint, link: SourceLink, stored?: LinkRow): LinkWalk | undefined {
  const { store } = ctx;
  const row = stored ?? store.links.get(chatId, link.link);
  if (!row || row.goneAt !== null || !row.backfillDone) return undefined;
  const paused = store.walks.get(chatId, link.link, 'full');
  if (paused) return paused;
  const lostMembers = row.membersStored > link.usage;
  const due = ctx.fullReconcileSeconds > 0 && (row.fullListedFrom ?? 0) + ctx.fullReconcileSeconds <= ctx.now();
  if (!lostMembers && !(due && (row.membersStored > 0 || link.usage > 0))) return undefined;
  return { kind: 'full', startedAt: ctx.now(), usage: link.usage, top: null, floor: null, cursor: null, seen: 0, total: null };
}

/** Runs the link's news walks until nothing is new (a resumed walk may need a fresh one on top). */
export async function runNewsWalks(ctx: SyncContext, chatId: bigint, link: SourceLink, report: LinkReport): Promise<void> {
  for (let walk = newsWalk(ctx, chatId, link); walk; walk = newsWalk(ctx, chatId, link)) {
    const first = walk.floor === null;
    report.action = first ? 'backfill' : report.action === 'backfill' ? 'backfill' : 'incremental';
    await walkPages(ctx, chatId, link, walk, report);
  }
}

export async function runFullWalk(ctx: SyncContext, chatId: bigint, link: SourceLink, report: LinkReport): Promise<void> {
  const walk = fullWalk(ctx, chatId, link);
  if (!walk) return;
  if (report.action === 'skipped') report.action = 'reconcile';
  await walkPages(ctx, chatId, link, walk, report);
}

/** Pages a walk to its end; every page is written with the walk's state (or its completion). */
async function walkPages(ctx: SyncContext, chatId: bigint, link: SourceLink, start: LinkWalk, report: LinkReport): Promise<void> {
  let w = start;
  for (;;) {
    const page = await readMembers(ctx, chatId, link, w.cursor);
    if (!page) {
      // The cursor's user has no known access hash (an old store): walk again from the top.
      w = { ...w, cursor: null, top: null, seen: 0, total: null };
      continue;
    }
    const firstPage = w.cursor === null;
    const head = page.rows[0];
    const next: LinkWalk = {
      ...w,
      top: firstPage ? (head ? { date: head.date, userId: head.userId } : null) : w.top,
      total: firstPage ? page.count : w.total,
      seen: w.seen + page.advanced,
      cursor: page.next ?? w.cursor,
    };
    const end = page.rows.length === 0;
    const floor = w.floor;
    // A first walk that read as many rows as its first page counted has read every member: nobody
    // is below, and a stay stored there earlier (by a read for an approval) is one who left.
    const all = w.kind === 'news' && floor === null && next.total !== null && next.seen >= next.total;
    const done = end || all || (w.kind === 'news' && floor !== null && page.rows.some((r) => r.date < floor.date));
    const history = w.kind === 'news' && floor === null;
    writeMembers(
      ctx, chatId, link.link, page,
      { range: rangeOf(w.cursor, page, end || all), backfill: history, state: () => (done ? complete(ctx, chatId, link, next) : ctx.store.walks.put(chatId, link.link, next)) },
      report,
    );
    ctx.onProgress?.({ chatId, link: link.link, stored: ctx.store.joins.countByLink(chatId, link.link), total: Math.max(link.usage, page.count) });
    if (done) return;
    w = next;
  }
}

/** A complete walk: a news walk's top becomes the mark (never lower), a full one dates the link's last full listing. */
function complete(ctx: SyncContext, chatId: bigint, link: SourceLink, w: LinkWalk): void {
  const { store } = ctx;
  const row = store.links.get(chatId, link.link)!;
  if (w.kind === 'news') {
    store.links.updateSyncState(chatId, link.link, {
      hwm: newer(row.hwm, w.top),
      syncedUsage: w.usage,
      syncedRequested: link.requested,
      backfillDone: true,
      visible: true,
      // A first walk listed every member: it counts as a full listing.
      ...(row.backfillDone ? {} : { fullListedFrom: w.startedAt }),
    });
  } else {
    store.links.updateSyncState(chatId, link.link, { fullListedFrom: w.startedAt });
  }
  store.walks.end(chatId, link.link, w.kind);
}
