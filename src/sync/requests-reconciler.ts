/**
 * Pending join requests of one chat, robust under churn and cheap when idle (an idle chat costs
 * one chat-wide page):
 *  1. Read the chat-wide list newest first down to the chat's pending mark (everything below it was
 *     known when a check last completed; the whole list the first time). Every row is stored at
 *     once (request-pages.ts).
 *  2. If the stored pending count now differs from Telegram's `count`, requests were decided meanwhile
 *     (or rows are missing): read the whole list and diff. Never compare Telegram's counts with
 *     store counts that may still hold requests Telegram already resolved.
 *  3. Attribute the rows of unknown origin: a link whose `requested` exceeds the requests stored
 *     through it has that many new ones; read its list down to them. What is left came through the
 *     public username (the owner of a chat that has one can tell) or through a link this account
 *     cannot list. Rows newer than the link listing wait for the next one, which counts them.
 *  4. Settle the vanished requests through listed links (settle-vanished.ts).
 * The mark moves up only when all of it completed, so an interrupted check is redone from the same
 * place and loses nothing.
 */
import type { Cursor } from '../store/index.js';
import type { SyncContext } from './context.js';
import { newer } from './context.js';
import { closeVanished } from './approvals.js';
import type { RequestsReport } from './report.js';
import { concludeUnknown, missingFrom, requestKey, requestPages, writePendingPage, type RequestWalk } from './request-pages.js';
import { settleVanished } from './settle-vanished.js';
import { isSourceError, type SourceChat, type SourceLink } from './types.js';

export async function reconcileRequests(ctx: SyncContext, chat: SourceChat, links: readonly SourceLink[], listedAt: number, report: RequestsReport): Promise<void> {
  const { store } = ctx;
  const chatId = chat.chatId;
  const w: RequestWalk = { chatId, report };
  const mark = store.requests.pendingMark(chatId);
  const list = new ChatWideList(ctx, w);
  await list.readDownTo(mark);
  if (store.requests.pendingCount(chatId) !== list.count) {
    await list.readToEnd();
    closeVanished(ctx, chatId, missingFrom(store.requests.pendingRows(chatId), list.keys), report);
  }
  const byLink = new Map(links.map((l) => [l.link, l]));
  const attributed = (await attribute(ctx, w, byLink, list.whole ? undefined : mark)) && (await stillAsListed(ctx, w));
  if (attributed) concludeUnknown(ctx, w, chat.isOwner && chat.username ? 'username' : 'unlisted', listedAt);
  const settled = await settleVanished(ctx, chatId, byLink, report);
  if (!attributed || !settled) return;
  const next = newer(mark ?? null, list.newest);
  if (next) store.requests.setPendingMark(chatId, next);
  report.complete = true;
}

/** The chat-wide pending list, read from the top as far as needed, every page stored as it comes. */
class ChatWideList {
  count = 0;
  newest: Cursor | null = null;
  /** Every (user, date) read. */
  readonly keys = new Set<string>();
  /** The whole list was read. */
  whole = false;
  private readonly pages: ReturnType<typeof requestPages>;

  constructor(
    private readonly ctx: SyncContext,
    private readonly w: RequestWalk,
  ) {
    this.pages = requestPages(ctx, w);
  }

  /**
   * Down to the first row older than the mark's second (rows of that second may have arrived
   * after it), or as many rows as the first page counted: the whole list then (rows arrive on top).
   */
  async readDownTo(mark: Cursor | undefined): Promise<void> {
    while (await this.next()) {
      if (this.keys.size >= this.count) {
        this.whole = true;
        break;
      }
      if (mark && this.last.some((r) => r.date < mark.date)) break;
    }
  }

  /** Everything after what was read (a list read "whole" by its count is read on to its empty page). */
  async readToEnd(): Promise<void> {
    while (await this.next());
  }

  private last: { date: number; userId: bigint }[] = [];

  private async next(): Promise<boolean> {
    const step = await this.pages.next();
    if (step.done) {
      this.whole = true;
      return false;
    }
    const page = step.value;
    if (this.newest === null && this.keys.size === 0) {
      this.count = page.count;
      this.newest = { date: page.rows[0]!.date, userId: page.rows[0]!.userId };
    }
    writePendingPage(this.ctx, this.w, page);
    for (const r of page.rows) this.keys.add(requestKey(r));
    this.last = page.rows;
    return true;
  }
}

/**
 * Before calling what is left of unknown origin "the username's" (or "a link it cannot list"): a
 * request decided while the links were read would be misnamed. One look at the chat-wide count,
 * only when there is something to conclude: it must still match what the store holds pending.
 */
async function stillAsListed(ctx: SyncContext, w: RequestWalk): Promise<boolean> {
  const { store } = ctx;
  if (!store.requests.pendingRows(w.chatId).some((r) => r.via === 'unknown')) return true;
  const page = await ctx.source.listRequests(w.chatId, { limit: 1 });
  w.report.pages++;
  // Nothing a listing returned is dropped: a newcomer on top is stored (of unknown origin).
  writePendingPage(ctx, w, { rows: page.rows.filter((r) => r.requested), users: page.users });
  return page.count === store.requests.pendingCount(w.chatId);
}

/**
 * Reads the lists of links that have more requests than are stored through them, until each has
 * shown that many new ones (or, after a partial read, down to the mark). False when a list could
 * not be read now (flood wait), or showed fewer new rows than its count promised (a request was
 * decided since the listing): then what is left unknown may not be the username's, and waits.
 */
async function attribute(ctx: SyncContext, w: RequestWalk, links: ReadonlyMap<string, SourceLink>, mark: Cursor | undefined): Promise<boolean> {
  const { store } = ctx;
  if (!store.requests.pendingRows(w.chatId).some((r) => r.via === 'unknown')) return true;
  let short = false;
  for (const link of links.values()) {
    const expected = link.requested - store.requests.pendingCount(w.chatId, link.link);
    if (expected <= 0) continue;
    try {
      let placed = 0;
      for await (const page of requestPages(ctx, { ...w, link: link.raw })) {
        placed += writePendingPage(ctx, { ...w, link: link.raw, canonical: link.link }, page);
        if (placed >= expected || (mark && page.rows.some((r) => r.date < mark.date))) break;
      }
      if (placed < expected) short = true;
    } catch (e) {
      // Deleted or out of reach since the listing: its requests cannot be told apart this cycle.
      if (isSourceError(e, 'LinkGone') || isSourceError(e, 'NotPermitted')) continue;
      if (isSourceError(e, 'FloodWait')) return false;
      throw e;
    }
  }
  return !short;
}
