/**
 * Settling vanished requests through listed links (see approvals.ts): each link's members are read
 * from the top down to its oldest such request, then each request is approved (its approving join
 * is stored) or declined.
 */
import type { RequestRow } from '../store/index.js';
import { emitResolved } from './approvals.js';
import type { SyncContext } from './context.js';
import { readMembers, rangeOf, writeMembers } from './member-pages.js';
import type { RequestsReport } from './report.js';
import { isSourceError, type SourceLink } from './types.js';

/**
 * Settles the chat's vanished requests through listed links: each link's members are read from the
 * top down to its oldest such request, then each is approved (its approving join is stored) or
 * declined. False when a read could not finish (budget, flood wait): those stay 'gone' till later.
 */
export async function settleVanished(ctx: SyncContext, chatId: bigint, links: ReadonlyMap<string, SourceLink>, report: RequestsReport): Promise<boolean> {
  const byLink = new Map<string, RequestRow[]>();
  for (const r of ctx.store.requests.unsettled(chatId)) if (r.link) byLink.set(r.link, [...(byLink.get(r.link) ?? []), r]);
  let complete = true;
  for (const [link, requests] of byLink) {
    const listed = links.get(link);
    // A link no longer listed (deleted, or not this account's): its approvals cannot be seen.
    if (!listed) continue;
    try {
      if (!(await readDownTo(ctx, chatId, listed, Math.min(...requests.map((r) => r.date))))) {
        complete = false;
        continue;
      }
    } catch (e) {
      // Deleted or out of reach since the listing: its approvals cannot be seen this cycle.
      if (isSourceError(e, 'LinkGone') || isSourceError(e, 'NotPermitted')) continue;
      if (!isSourceError(e, 'FloodWait')) throw e;
      return false;
    }
    settle(ctx, chatId, link, requests, report);
  }
  return complete;
}

function settle(ctx: SyncContext, chatId: bigint, link: string, requests: readonly RequestRow[], report: RequestsReport): void {
  const { store } = ctx;
  const now = ctx.now();
  store.tx(() => {
    for (const r of requests) {
      const proof = store.joins.approvalOf(chatId, r.userId, link, r.date, r.decidedAt ?? now);
      if (proof?.approvedBy != null) {
        if (store.requests.correctToApproved(r.id, proof.approvedBy, now)) {
          report.approved++;
          emitResolved(ctx, chatId, r, 'approved', proof.approvedBy);
        }
      } else if (store.requests.settleDeclined(r.id, now)) {
        report.declined++;
        emitResolved(ctx, chatId, r, 'declined', null);
      }
    }
  });
}

/** Reads a link's members from the top until a row older than `date` (or the end); false if cut short. */
async function readDownTo(ctx: SyncContext, chatId: bigint, link: SourceLink, date: number): Promise<boolean> {
  let after = null;
  for (;;) {
    const page = await readMembers(ctx, chatId, link, after);
    if (!page) return false;
    const done = page.rows.length === 0 || page.rows.some((r) => r.date < date);
    writeMembers(ctx, chatId, link.link, page, { range: rangeOf(after, page, page.rows.length === 0), backfill: false });
    if (done) return true;
    after = page.next ?? null;
  }
}
