/**
 * Pending join requests of one chat, robust under churn and cheap when idle (an idle chat costs
 * one chat-wide page):
 *  1. Links whose `requested` exceeds the requests stored through them are read first, newest
 *     first down to the chat's pending mark (everything below it was known when a check last
 *     completed) or the oldest request still of unknown origin: their new requests get their link.
 *  2. The chat-wide list is read down to the mark (the whole list the first time); every row is
 *     stored at once (request-pages.ts), of unknown origin when no link's list showed it.
 *  3. Unless Telegram's count proves the store holds nothing it no longer has pending (how, and
 *     why no other count will do, at ChatWideList), the whole list is read and diffed. A link may
 *     hide new requests behind its vanished (or asked-again) ones: links with more requests than
 *     stored through them are read again while rows of unknown origin remain, each as far as its
 *     own list's count says requests are missing from the store.
 *  4. What is still of unknown origin came through the public username (only the owner of a chat
 *     that has one can tell) or through a link this account cannot list. Rows newer than the link
 *     listing wait for the next one, which counts them. Before naming the rest, one more look at the
 *     top of the list and its count: a request decided meanwhile may have fooled a count above.
 *  5. Vanished requests through listed links are settled (settle-vanished.ts).
 * The mark moves up only when all of it completed, so an interrupted check is redone from the same
 * place, and every page read is stored as it comes: nothing a listing returned is lost.
 */
import type { Cursor, RequestRow } from '../store/index.js';
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
  if (!list.whole && !(await list.matchesStore())) await list.readToEnd();
  if (list.whole) closeVanished(ctx, chatId, list.vanished(store.requests.pendingRows(chatId)), report);
  // Requests found decided (or asked again) free their place on a link: new ones may hide behind them.
  const hiding = hasUnknown(ctx, chatId) ? links.filter((l) => l.requested > store.requests.pendingCount(chatId, l.link)) : [];
  if (hiding.length > 0) attributed = (await readLinks(ctx, w, hiding, { expected: true })) && attributed;
  // What is left of unknown origin (and older than the link listing) is named only when the store
  // is still exactly Telegram's list: a request decided meanwhile would have fooled a count above.
  const oldest = store.requests.oldestUnknown(chatId);
  if (attributed && oldest && oldest.date < listedAt && (await list.stillMatches())) {
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

/**
 * The chat-wide pending list, read from the top as far as needed, every page stored as it comes.
 *
 * Whether the store holds a request Telegram no longer has pending is told by one count: let U be
 * what the store held pending just before the first page was asked for and A the rows read that
 * were not in U (whoever stored them: the bot may store a request while a page is asked for). Every request pending in Telegram at the moment a page answered is in U or A when every
 * row above the mark that was pending then has been read — the rows below the mark were known when
 * the last check completed, and new requests arrive on top. So that page's count is at most
 * |U| + |A|, and equal exactly when nothing in U is decided: then nothing needs the whole list.
 *  - One page read: its rows and its count are one answer, taken as it is.
 *  - Several pages: requests may be decided, and others asked, while they are read; a row decided
 *    before its page was read is neither in U nor A, and would hide a stale one in the sum. So the
 *    top is read again, down to the newest row the read began with, and that pass's count is taken
 *    when the pass fits in one page (new arrivals filling more than a page: another pass; after three, the whole list).
 * Not the store's count at the end either: a decision through the bot meanwhile lowers it, and
 * would hide a request decided elsewhere. Any doubt costs the whole list, never a stale row.
 */
class ChatWideList {
  /** Telegram's count as the first page showed it. */
  count = 0;
  /** |U| and |A| above: A counts the rows read that were not in U, whoever stored them (the bot may, meanwhile). */
  storedBefore = 0;
  /** U itself, by (user, date): what the list can show vanished. */
  private heldBefore = new Set<string>();
  added = 0;
  /** U by person: a person has one pending request, so a newer one read in its place adds nothing. */
  private before = new Map<bigint, number>();
  private counted = new Set<bigint>();
  newest: Cursor | null = null;
  /** Every (user, date) read. */
  readonly keys = new Set<string>();
  /** The whole list was read: every stored pending request not among `keys` is decided. */
  whole = false;
  private readonly pages: ReturnType<typeof requestPages>;
  private pagesRead = 0;
  private last: { date: number; userId: bigint }[] = [];

  constructor(
    private readonly ctx: SyncContext,
    private readonly w: RequestWalk,
  ) {
    this.pages = requestPages(ctx, w);
  }

  /**
   * Down to the first row older than the mark's second (rows of that second may have arrived
   * after it), or as many rows as the first page counted: the whole list then (rows arrive on top,
   * so nothing the count promised is left below).
   */
  async readDownTo(mark: Cursor | undefined): Promise<void> {
    this.heldBefore = new Set(this.snapshot().map(requestKey));
    while (await this.next()) {
      if (this.keys.size >= this.count) {
        this.whole = true;
        break;
      }
      if (mark && this.last.some((r) => r.date < mark.date)) break;
    }
  }

  /** The count holds what the store holds (see above); false: read the whole list. */
  async matchesStore(): Promise<boolean> {
    if (this.pagesRead <= 1) return this.storedBefore + this.added === this.count;
    for (let pass = 0; pass < 3; pass++) {
      const count = await this.topAgain();
      if (count !== undefined) return this.storedBefore + this.added === count;
    }
    return false;
  }

  /**
   * Again, later (after links were read): the top down to the newest row seen, in one page, and its
   * count against what the store holds then (as above). False when it differs, or more than a page
   * of requests arrived meanwhile.
   */
  async stillMatches(): Promise<boolean> {
    this.snapshot();
    const count = await this.topAgain();
    return count !== undefined && this.storedBefore + this.added === count;
  }

  /**
   * Of `pending` (the store's pending requests now), those the whole list shows vanished: held
   * before the first page was asked for, and not on it. A request a live source (the bot) stored
   * meanwhile is newer than the pages Telegram had served — missing from them, it is no less
   * pending, and closing it would be final (a decided request never comes back). Not told apart by
   * when it was first seen: the bot's write and the list often share a second.
   */
  vanished(pending: readonly RequestRow[]): RequestRow[] {
    return missingFrom(pending, this.keys).filter((r) => this.heldBefore.has(requestKey(r)));
  }

  /** Everything after what was read. */
  async readToEnd(): Promise<void> {
    while (await this.next());
  }

  /**
   * The top again, down to the newest row read before (or below it): every request asked since is
   * stored. The first page's count when that page reached so far, else undefined. (Down to that
   * row, not to the first row of an older second as a read down to the mark goes: a second can hold
   * more requests than a page — a raid. What this misses: a request asked in that very second after
   * the read and sorted below that row by user id; the count then differs, and would only hide a
   * stale row if exactly as many were decided meanwhile, which is left to the next check.)
   */
  private async topAgain(): Promise<number | undefined> {
    const since = this.newest;
    let count = 0;
    let pages = 0;
    let rows = 0;
    for await (const page of requestPages(this.ctx, this.w)) {
      this.write(page);
      if (pages++ === 0) {
        count = page.count;
        this.newest = { date: page.rows[0]!.date, userId: page.rows[0]!.userId };
      }
      rows += page.rows.length;
      if (!since || page.rows.some((r) => r.date < since.date || (r.date === since.date && r.userId <= since.userId)) || rows >= count) break;
    }
    // No page: the list emptied meanwhile, and its empty page answered for all of it.
    return pages <= 1 ? count : undefined;
  }

  private async next(): Promise<boolean> {
    const step = await this.pages.next();
    if (step.done) {
      this.whole = true;
      return false;
    }
    const page = step.value;
    if (this.pagesRead === 0) {
      this.count = page.count;
      this.newest = { date: page.rows[0]!.date, userId: page.rows[0]!.userId };
    }
    this.pagesRead++;
    this.write(page);
    this.last = page.rows;
    return true;
  }

  /** U: what the store holds pending now (returned, for what the list can show vanished); A starts empty. */
  private snapshot(): RequestRow[] {
    const held = this.ctx.store.requests.pendingRows(this.w.chatId);
    this.before = new Map(held.map((r) => [r.userId, r.date]));
    this.storedBefore = this.before.size;
    this.added = 0;
    this.counted = new Set();
    return held;
  }

  private write(page: Parameters<typeof writePendingPage>[2]): void {
    writePendingPage(this.ctx, this.w, page);
    for (const r of page.rows) {
      this.keys.add(requestKey(r));
      if (!this.before.has(r.userId) && !this.counted.has(r.userId)) {
        this.counted.add(r.userId);
        this.added++;
      }
    }
  }
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
    const stored = store.requests.pendingCount(w.chatId, link.link);
    try {
      let placed = 0;
      let expected = 0;
      const seen = new Set<string>();
      for await (const page of requestPages(ctx, { ...w, link: link.raw })) {
        // The list's own count, not the link listing's: requests asked since are on it too.
        if (seen.size === 0) expected = page.count - stored;
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
