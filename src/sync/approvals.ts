/**
 * Outcomes of requests, from what the account can see. A decision made elsewhere (another admin's
 * app, the userbot's account) shows only as the request vanishing, and, for a request through a
 * link, as the person appearing among that link's members with `approved_by`. So:
 *  - a vanished request is closed at once: 'gone' (the outcome unknown) — final for requests through
 *    the username or a link this account cannot list, whose approvals no listing shows;
 *  - a vanished request through a listed link is then settled (settle-vanished.ts): 'approved' (by
 *    whom the join says) when its approving join is stored, after reading that link's members down
 *    to the request's date; 'declined' when that read shows none (or the approved person already
 *    left, which no listing can tell);
 *  - an approving join seen later (a deferred link, a late walk) corrects the request it belongs
 *    to — same person and link, asked at or before the join, vanished no earlier — and nothing else.
 */
import type { JoinInput, RequestRow } from '../store/index.js';
import type { SyncContext } from './context.js';
import { EventKind, emit, type RequestResolvedPayload } from './events.js';
import type { RequestsReport } from './report.js';

/** In the page's transaction: the approved join `j` through `link` proves its request's approval. */
export function recordApproval(ctx: SyncContext, chatId: bigint, link: string, j: JoinInput & { approvedBy: bigint }): void {
  const { store } = ctx;
  const now = ctx.now();
  const req = store.requests.approvedBy(chatId, j.userId, link, j.date);
  if (!req) return;
  const resolvedNow = req.status === 'pending' && store.requests.resolve(chatId, j.userId, 'approved', now, j.approvedBy);
  const corrected = !resolvedNow && store.requests.correctToApproved(req.id, j.approvedBy, now);
  if (!resolvedNow && !corrected) return;
  const payload: RequestResolvedPayload = { userId: j.userId, link, outcome: 'approved', decidedBy: j.approvedBy, observedAt: now };
  if (corrected) payload.corrected = true;
  emit(store, EventKind.RequestResolved, chatId, payload, now);
}

/** Requests no longer in Telegram's pending list: closed now; those through a link wait to be settled. */
export function closeVanished(ctx: SyncContext, chatId: bigint, requests: readonly RequestRow[], report: RequestsReport): void {
  const { store } = ctx;
  const now = ctx.now();
  store.tx(() => {
    for (const r of requests) {
      if (!store.requests.resolve(chatId, r.userId, 'gone', now, null)) continue;
      // Through a link, the outcome is still to be read from its members (settleVanished).
      if (r.via === 'link') continue;
      report.gone++;
      emitResolved(ctx, chatId, r, 'gone', null);
    }
  });
}

export function emitResolved(ctx: SyncContext, chatId: bigint, r: RequestRow, outcome: RequestResolvedPayload['outcome'], decidedBy: bigint | null): void {
  const now = ctx.now();
  const payload: RequestResolvedPayload = { userId: r.userId, link: r.link, outcome, decidedBy, observedAt: now };
  emit(ctx.store, EventKind.RequestResolved, chatId, payload, now);
}
