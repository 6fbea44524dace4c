/**
 * Paging and writing of pending-request lists (chat-wide or one link's), shared by the
 * reconciliation steps. Each page is written in one transaction with the events it causes.
 */
import type { Cursor, RequestInput } from '../store/index.js';
import type { SyncContext } from './context.js';
import { compareRows, cursorAfter, toUserInputs } from './context.js';
import { EventKind, emit, type RequestResolvedPayload, type RequestsNewPayload } from './events.js';
import type { RequestsReport } from './report.js';
import type { ImporterCursor, ImporterPage, SourceImporter } from './types.js';

export interface RequestWalk {
  chatId: bigint;
  /** Undefined: the chat-wide list. */
  link?: string | undefined;
  report: RequestsReport;
}

/** Successive pages, newest first, starting with `first` when the caller already holds it. */
export async function* requestPages(ctx: SyncContext, w: RequestWalk, first?: ImporterPage): AsyncGenerator<ImporterPage> {
  let page = first;
  let after: ImporterCursor | undefined;
  for (;;) {
    if (!page) {
      page = await ctx.source.listRequests(w.chatId, { link: w.link, after, limit: ctx.pageLimit });
      w.report.pages++;
    }
    if (page.rows.length === 0) return;
    yield page;
    after = cursorAfter(page.rows, page.users);
    page = undefined;
  }
}

export function reachesMark(page: ImporterPage, mark: Cursor | undefined): boolean {
  return mark !== undefined && page.rows.some((r) => compareRows(r, mark) <= 0);
}

/** Every row of a list: the only way to learn which requests are gone. */
export async function currentRequests(ctx: SyncContext, w: RequestWalk, first?: ImporterPage): Promise<Map<bigint, SourceImporter>> {
  const rows = new Map<bigint, SourceImporter>();
  for await (const page of requestPages(ctx, w, first)) {
    writeUsers(ctx, page);
    for (const r of page.rows) if (r.requested) rows.set(r.userId, r);
  }
  return rows;
}

export function writeUsers(ctx: SyncContext, page: ImporterPage): void {
  ctx.store.users.upsertMany(toUserInputs(page.users), ctx.now());
}

/**
 * Stores rows as pending through `link` (null: the public username). Rows already pending keep
 * their row (and get the link when one is given). Returns the requests new to the store.
 */
export function writePending(ctx: SyncContext, w: RequestWalk, page: { rows: SourceImporter[]; users: ImporterPage['users'] }, link: string | null): number {
  const { store } = ctx;
  const now = ctx.now();
  const rows: RequestInput[] = page.rows
    .filter((r) => r.requested)
    .map((r) => ({ userId: r.userId, date: r.date, about: r.about ?? null, link }));
  return store.tx(() => {
    store.users.upsertMany(toUserInputs(page.users), now);
    const fresh = store.requests.upsertPending(w.chatId, rows, now);
    if (fresh.length > 0) {
      const payload: RequestsNewPayload = {
        requests: fresh.map((r) => ({ userId: r.userId, date: r.date, link: r.link ?? null, about: r.about ?? null })),
      };
      emit(store, EventKind.RequestsNew, w.chatId, payload, now);
    }
    w.report.newRequests += fresh.length;
    return fresh.length;
  });
}

/**
 * Closes requests that left the pending list. Approved when the user now is among a link's joiners
 * with approved_by (joins are synced first); otherwise declined or withdrawn (Telegram does not say
 * which), or, for a request through the public username whose approval leaves no link trace, gone.
 */
export function resolveGone(ctx: SyncContext, w: RequestWalk, userIds: Iterable<bigint>): void {
  const { store } = ctx;
  const now = ctx.now();
  store.tx(() => {
    for (const userId of userIds) {
      const req = store.requests.pendingOf(w.chatId, userId);
      if (!req) continue;
      const approval = store.joins.ofUser(w.chatId, userId).find((j) => j.approvedBy !== null && j.date >= req.date);
      const outcome = approval ? 'approved' : req.link === null ? 'gone' : 'declined';
      const decidedBy = approval?.approvedBy ?? null;
      if (!store.requests.resolve(w.chatId, userId, outcome, now, decidedBy)) continue;
      w.report[outcome]++;
      const payload: RequestResolvedPayload = { userId, link: req.link, outcome, decidedBy, observedAt: now };
      emit(store, EventKind.RequestResolved, w.chatId, payload, now);
    }
  });
}
