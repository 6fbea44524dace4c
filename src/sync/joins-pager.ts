/**
 * Pages one link's joiners into the store. Each page is written in one transaction with its users,
 * the events it causes and the link's sync state, so an interrupted walk resumes exactly where it
 * stopped and writing the same page twice changes nothing.
 *
 * Stop rules (they keep the calls at the minimum, ceil(new rows / 100)): an empty page, or the store
 * holding as many joiners as the listing's `usage`. An incremental walk that reaches its high-water
 * mark but still falls short of `usage` pages on: rows can land below the mark.
 */
import type { Cursor, SyncStatePatch } from '../store/index.js';
import type { SyncContext } from './context.js';
import { compareRows, cursorAfter, cursorFromStore, toUserInputs } from './context.js';
import { EventKind, emit, type JoinsNewPayload, type RequestResolvedPayload } from './events.js';
import type { JoinPlan } from './link-planner.js';
import type { LinkReport } from './report.js';
import type { ImporterCursor, ImporterPage, SourceLink } from './types.js';

type Walk = Extract<JoinPlan, { action: 'backfill' | 'incremental' }>;

export async function pageJoins(ctx: SyncContext, chatId: bigint, link: SourceLink, plan: Walk, report: LinkReport): Promise<void> {
  const { store } = ctx;
  const backfill = plan.action === 'backfill';
  const mark = plan.action === 'incremental' ? plan.mark : null;
  const hadHwm = store.links.get(chatId, link.link)?.hwm ?? null;
  let stored = store.joins.countByLink(chatId, link.link);
  let after: ImporterCursor | undefined = backfill ? cursorFromStore(store, plan.from) : undefined;
  let newest: Cursor | null = null;
  for (;;) {
    const page = await ctx.source.listJoins(chatId, { link: link.link, after, limit: ctx.pageLimit });
    report.pages++;
    const first = page.rows[0];
    if (!first) break;
    newest ??= { date: first.date, userId: first.userId };
    after = cursorAfter(page.rows, page.users);
    // A backfill persists its cursor (and, on its first page, the high-water mark) with every page.
    const state: SyncStatePatch | undefined = backfill
      ? { backfill: after ? { date: after.date, userId: after.userId } : null, ...(hadHwm ? {} : { hwm: newest }) }
      : undefined;
    const fresh = writeJoinPage(ctx, chatId, link.link, page, backfill, state);
    stored += fresh;
    report.newJoins += fresh;
    ctx.onProgress?.({ chatId, link: link.link, stored, total: Math.max(link.usage, page.count) });
    if (stored >= Math.max(link.usage, backfill ? page.count : 0)) break;
  }
  const hwm = newest && mark && compareRows(mark, newest) > 0 ? mark : (newest ?? mark ?? hadHwm);
  store.links.updateSyncState(chatId, link.link, {
    backfill: null,
    backfillDone: true,
    hwm,
    syncedUsage: link.usage,
    syncedRequested: link.requested,
    deferredUntil: null,
    deferredReason: null,
    visible: true,
  });
}

/** Writes one page; returns how many joiners were new to the store. Exported for the write benchmark. */
export function writeJoinPage(
  ctx: SyncContext,
  chatId: bigint,
  link: string,
  page: ImporterPage,
  backfill: boolean,
  state: SyncStatePatch | undefined,
): number {
  const { store } = ctx;
  const now = ctx.now();
  const rows = page.rows
    .filter((r) => !r.requested) // a member list never holds requests; never trust it blindly
    .map((r) => ({ userId: r.userId, date: r.date, approvedBy: r.approvedBy ?? null, viaChatlist: r.viaChatlist }));
  return store.tx(() => {
    store.users.upsertMany(toUserInputs(page.users), now);
    const fresh = store.joins.insertMany(chatId, link, rows, now);
    for (const j of fresh) {
      // An approved request turns into a join with approved_by: that is how we learn the outcome.
      if (j.approvedBy == null) continue;
      if (!store.requests.resolve(chatId, j.userId, 'approved', now, j.approvedBy)) continue;
      const payload: RequestResolvedPayload = { userId: j.userId, link, outcome: 'approved', decidedBy: j.approvedBy, observedAt: now };
      emit(store, EventKind.RequestResolved, chatId, payload, now);
    }
    if (fresh.length > 0) emit(store, EventKind.JoinsNew, chatId, joinsPayload(link, backfill, fresh), now);
    if (state) store.links.updateSyncState(chatId, link, state);
    return fresh.length;
  });
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
