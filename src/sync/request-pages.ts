/**
 * Paging and writing of pending-request lists (chat-wide or one link's). Every page is written in
 * one transaction with the events it causes, as soon as it is read: nothing a listing returned is
 * lost to an interruption.
 *  - The chat-wide list shows who asks, not through which link: a row new to the store is stored
 *    with its origin unknown and announced once its link is known (or known to be none it can list).
 *  - A person shown with a newer request than the one stored had the stored one decided meanwhile:
 *    it vanished (approvals.ts), and the new one is another request.
 *  - A link's own list tells the origin of every row on it.
 */
import type { RequestInput, RequestRow, RequestVia } from '../store/index.js';
import { closeVanished } from './approvals.js';
import type { SyncContext } from './context.js';
import { cursorAfter, toUserInputs } from './context.js';
import { EventKind, emit, type RequestsNewPayload } from './events.js';
import type { RequestsReport } from './report.js';
import { SourceError, type ImporterCursor, type ImporterPage, type SourceImporter } from './types.js';

export interface RequestWalk {
  chatId: bigint;
  /** The link as Telegram spells it; undefined: the chat-wide list. */
  link?: string | undefined;
  report: RequestsReport;
}

/** Successive pages, newest first; each page's pending rows and its users. */
export async function* requestPages(ctx: SyncContext, w: RequestWalk): AsyncGenerator<{ rows: SourceImporter[]; count: number; users: ImporterPage['users'] }> {
  let after: ImporterCursor | undefined;
  for (;;) {
    const page = await ctx.source.listRequests(w.chatId, { link: w.link, after, limit: ctx.pageLimit });
    w.report.pages++;
    const rows = page.rows.filter((r) => r.requested);
    if (rows.length === 0) return;
    yield { rows, count: page.count, users: page.users };
    const next = cursorAfter(rows, page.users);
    if (!next) throw new SourceError('Transient', 'CURSOR_USER_UNKNOWN');
    after = next.cursor;
  }
}

const inputOf = (r: SourceImporter, origin: { link: string } | { via: Exclude<RequestVia, 'link'> }): RequestInput => ({
  userId: r.userId,
  date: r.date,
  about: r.about ?? null,
  ...origin,
});

/** What a page's write did: rows that got their link now, rows new to the store. */
export interface PageWrite {
  placed: number;
  added: number;
}

/**
 * Stores rows (the chat-wide list's with an unknown origin, a link's with that link). A row the
 * store already holds closed (same person and date) was decided after Telegram served the page —
 * through the bot, say: a decided request is never pending again, so it is skipped.
 */
export function writePendingPage(
  ctx: SyncContext,
  w: RequestWalk & { canonical?: string },
  page: { rows: SourceImporter[]; users: ImporterPage['users'] },
): PageWrite {
  const { store } = ctx;
  const now = ctx.now();
  const origin = w.canonical ? { link: w.canonical } : { via: 'unknown' as const };
  return store.tx(() => {
    store.users.upsertMany(toUserInputs(page.users), now);
    const fresh: RequestInput[] = [];
    const done: PageWrite = { placed: 0, added: 0 };
    for (const r of page.rows) {
      const stored = store.requests.latestOf(w.chatId, r.userId);
      if (stored && (stored.date > r.date || (stored.date === r.date && stored.status !== 'pending'))) continue; // older than what is stored
      const pending = stored?.status === 'pending' ? stored : undefined;
      if (pending && pending.date < r.date) closeVanished(ctx, w.chatId, [pending], w.report);
      else if (!pending) done.added++;
      if (w.canonical && (!pending || pending.date !== r.date || pending.via !== 'link')) done.placed++;
      fresh.push(inputOf(r, origin));
    }
    announce(ctx, w, store.requests.upsertPending(w.chatId, fresh, now));
    return done;
  });
}

/** The chat's requests still of unknown origin, asked before `before`, came through `via`: announce them. */
export function concludeUnknown(ctx: SyncContext, w: RequestWalk, via: 'username' | 'unlisted', before: number): void {
  const { store } = ctx;
  const rows = store.requests.unknownPending(w.chatId, before);
  if (rows.length === 0) return;
  store.tx(() => {
    const known = store.requests.upsertPending(w.chatId, rows.map((r) => ({ userId: r.userId, date: r.date, about: r.about, via })), ctx.now());
    announce(ctx, w, known);
  });
}

function announce(ctx: SyncContext, w: RequestWalk, known: RequestInput[]): void {
  if (known.length === 0) return;
  const now = ctx.now();
  const payload: RequestsNewPayload = {
    requests: known.map((r) => ({ userId: r.userId, date: r.date, link: r.link ?? null, via: r.link ? 'link' : (r.via ?? 'username'), about: r.about ?? null })),
  };
  emit(ctx.store, EventKind.RequestsNew, w.chatId, payload, now);
  w.report.newRequests += known.length;
}

export const requestKey = (r: { userId: bigint; date: number }): string => `${r.userId}@${r.date}`;

/** Stored pending requests the whole chat-wide list (`listed` keys) no longer shows. */
export function missingFrom(rows: readonly RequestRow[], listed: ReadonlySet<string>): RequestRow[] {
  return rows.filter((r) => !listed.has(requestKey(r)));
}
