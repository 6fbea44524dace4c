/**
 * Pending join requests of one chat, robust under churn and cheap when idle (an idle chat costs
 * one chat-wide page):
 *  1. Links whose `requested` exceeds the requests stored through them are read first, newest
 *     first down to the chat's pending mark (everything below it was known when a check last
 *     completed) or the oldest request still of unknown origin: their new requests get their link.
 *  2. The chat-wide list is read down to the mark (the whole list the first time); every row is
 *     stored at once (request-pages.ts), of unknown origin when no link's list showed it.
 *  3. If what the store held pending when the read began (plus the rows it added) differs from
 *     Telegram's `count`, requests were decided meanwhile: the whole list is read and diffed (never
 *     compare Telegram's counts with store counts that may still hold requests Telegram already
 *     resolved, nor with the store's count after the read: a decision through the bot lowers both). A link may hide new requests behind
 *     its vanished (or asked-again) ones: links with more requests than stored through them are read
 *     again while rows of unknown origin remain.
 *  4. What is still of unknown origin came through the public username (only the owner of a chat
 *     that has one can tell) or through a link this account cannot list. Rows newer than the link
 *     listing wait for the next one, which counts them. When step 3 read links after the chat-wide
 *     list, one more look at its count guards against a request decided meanwhile being misnamed.
 *  5. Vanished requests through listed links are settled (settle-vanished.ts).
 * The mark moves up only when all of it completed, so an interrupted check is redone from the same
 * place, and every page read is stored as it comes: nothing a listing returned is lost.
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
  const grown = links.filter((l) => l.requested > store.requests.pendingCount(chatId, l.link));
  let attributed = grown.length > 0 ? await readLinks(ctx, w, grown, { down: floorOf(ctx, chatId, mark) }) : true;
  const list = new ChatWideList(ctx, w);
  await list.readDownTo(mark);
  if (list.storedBefore + list.added !== list.count) {
    await list.readToEnd();
    closeVanished(ctx, chatId, missingFrom(store.requests.pendingRows(chatId), list.keys), report);
  }
  // Requests found decided (or asked again) free their place on a link: new ones may hide behind them.
  const hiding = hasUnknown(ctx, chatId) ? links.filter((l) => l.requested > store.requests.pendingCount(chatId, l.link)) : [];
  const reread = hiding.length > 0;
  if (reread) attributed = (await readLinks(ctx, w, hiding, { expected: true })) && attributed;
  if (attributed && (!reread || (await stillAsListed(ctx, w)))) {
    concludeUnknown(ctx, w, chat.isOwner && chat.username ? 'username' : 'unlisted', listedAt);
  }
  const settled = await settleVanished(ctx, chatId, new Map(links.map((l) => [l.link, l])), report);
  if (!attributed || !settled) return;
  const next = newer(mark ?? null, list.newest);
  if (next) store.requests.setPendingMark(chatId, next);
  report.complete = true;
}

function hasUnknown(ctx: SyncContext, chatId: bigint): boolean {
  return ctx.store.requests.oldestUnknown(chatId) !== undefined;
}

/** How far down a link's new requests may lie: the mark, or an older request still of unknown origin. */
function floorOf(ctx: SyncContext, chatId: bigint, mark: Cursor | undefined): Cursor | undefined {
  const oldest = ctx.store.requests.oldestUnknown(chatId);
  return oldest && (!mark || oldest.date < mark.date) ? { date: oldest.date, userId: oldest.userId } : mark;
}

/** The chat-wide pending list, read from the top as far as needed, every page stored as it comes. */
class ChatWideList {
  /** Telegram's count of the list, as its first page showed it. */
  count = 0;
  /**
   * What the store held pending just before that page was asked for, and the rows the read then
   * added: what Telegram's count must equal if the store was right. Not the store's count at the
   * end: a decision through the bot meanwhile lowers that, and would hide a request decided elsewhere.
   */
  storedBefore = 0;
  added = 0;
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
    const first = this.newest === null && this.keys.size === 0;
    if (first) this.storedBefore = this.ctx.store.requests.pendingCount(this.w.chatId);
    const step = await this.pages.next();
    if (step.done) {
      this.whole = true;
      return false;
    }
    const page = step.value;
    if (first) {
      this.count = page.count;
      this.newest = { date: page.rows[0]!.date, userId: page.rows[0]!.userId };
    }
    this.added += writePendingPage(this.ctx, this.w, page).added;
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
  if (!hasUnknown(ctx, w.chatId)) return true;
  // Counted before the call: a decision through the bot after it lowers the store's count, not Telegram's.
  const stored = store.requests.pendingCount(w.chatId);
  const page = await ctx.source.listRequests(w.chatId, { limit: 1 });
  w.report.pages++;
  // Nothing a listing returned is dropped: a newcomer on top is stored (of unknown origin).
  const { added } = writePendingPage(ctx, w, { rows: page.rows.filter((r) => r.requested), users: page.users });
  return page.count === stored + added;
}

/**
 * Reads links' pending lists; every row is stored with its link. Each list is read down to the
 * first row older than `down`'s second (or whole, by its count, without one), or — `expected` —
 * until it showed as many requests new to its link as its count has more than the store. False when
 * a list could not be read now (flood wait), or showed fewer than its count promised (a request was
 * decided since the listing): then what is left of unknown origin may not be the username's, and waits.
 */
async function readLinks(ctx: SyncContext, w: RequestWalk, links: readonly SourceLink[], o: { down?: Cursor | undefined; expected?: boolean }): Promise<boolean> {
  const { store } = ctx;
  let complete = true;
  for (const link of links) {
    const expected = link.requested - store.requests.pendingCount(w.chatId, link.link);
    try {
      let placed = 0;
      const seen = new Set<string>();
      for await (const page of requestPages(ctx, { ...w, link: link.raw })) {
        placed += writePendingPage(ctx, { ...w, link: link.raw, canonical: link.link }, page).placed;
        for (const r of page.rows) seen.add(requestKey(r));
        const down = o.down;
        if (o.expected ? placed >= expected : seen.size >= page.count || (down && page.rows.some((r) => r.date < down.date))) break;
      }
      if (o.expected && placed < expected) complete = false;
    } catch (e) {
      // Deleted or out of reach since the listing: its requests cannot be told apart this cycle.
      if (isSourceError(e, 'LinkGone') || isSourceError(e, 'NotPermitted')) continue;
      if (isSourceError(e, 'FloodWait')) return false;
      throw e;
    }
  }
  return complete;
}
