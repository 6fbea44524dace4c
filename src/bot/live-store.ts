/**
 * What the bot writes when a live update of a watched chat arrives: the fact through store.live
 * (one row per fact, whatever the sync stored or stores later) and the outbox events it causes, in
 * one transaction. Apart from the grammY handlers (features/live.ts) so that the model check
 * (test/sim) delivers the sandbox's updates through exactly this code, late, twice or out of order.
 */
import type { ChatJoinRequest, ChatMemberUpdated } from 'grammy/types';
import { EventKind, emit, type JoinsNewPayload, type MembersLeftPayload, type RequestResolvedPayload, type RequestsNewPayload } from '../sync/events.js';
import type { EndedStay, LiveJoinResult, LiveRequestResult, RequestRow, Store } from '../store/index.js';
import { memberChange, requestFact, userInput } from './live-facts.js';

/** Stores a `chat_join_request`; 'new' when the request is news (announced). */
export function storeJoinRequest(store: Store, update: ChatJoinRequest, now: number): LiveRequestResult {
  const chatId = BigInt(update.chat.id);
  const fact = requestFact(update);
  return store.tx(() => {
    store.users.upsertMany([userInput(update.from)], now);
    const r = store.live.request(chatId, fact, now);
    announceRequest(store, chatId, r, fact.link?.shown ?? null, now);
    return r;
  });
}

/**
 * Stores a `chat_member` that is a join, leave or removal (undefined: no membership change).
 * `news`: a stay was begun or ended now. A join approved by the bot itself (for an admin who
 * pressed a button) leaves the request to decide.ts, which records who pressed.
 */
export function storeMemberUpdate(store: Store, update: ChatMemberUpdated, botId: bigint, now: number): { news: boolean } | undefined {
  const chatId = BigInt(update.chat.id);
  const change = memberChange(update);
  if (!change) return undefined;
  return store.tx(() => {
    store.users.upsertMany([userInput(update.new_chat_member.user)], now);
    if (change.kind === 'join') {
      const ours = change.fact.approvedBy === botId;
      const r = store.live.join(chatId, { ...change.fact, ...(ours ? { decidedByCaller: true } : {}) }, now);
      announceJoin(store, chatId, r, change.fact.userId, change.fact.date, now);
      return { news: r.outcome !== 'same' };
    }
    const r = store.live.leave(chatId, change.fact, now);
    if (r.stay && r.outcome !== 'known') announceLeft(store, chatId, [r.stay], now);
    return { news: r.outcome === 'ended' };
  });
}

/** A new request is news at once; an older one of the person it shows decided is resolved. */
function announceRequest(store: Store, chatId: bigint, r: LiveRequestResult, shown: string | null, now: number): void {
  if (r.closed && r.closed.via !== 'link') emitResolved(store, chatId, r.closed, 'gone', null, now);
  if (r.outcome !== 'new' || !r.request) return;
  const q = r.request;
  // `shown`: the link as the bot saw it, for a request whose link is not identified yet.
  const payload: RequestsNewPayload & { requests: { shown?: string }[] } = {
    requests: [{ userId: q.userId, date: q.date, link: q.link, via: q.via, about: q.about, ...(q.via === 'unknown' && shown ? { shown } : {}) }],
  };
  emit(store, EventKind.RequestsNew, chatId, payload, now);
}

function announceJoin(store: Store, chatId: bigint, r: LiveJoinResult, userId: bigint, date: number, now: number): void {
  if (r.approved) emitResolved(store, chatId, r.approved, 'approved', r.approved.decidedBy, now);
  announceLeft(store, chatId, r.ended, now);
  // Joins through a known link feed the raid detector as the sync's pages do; the listing of the
  // same stay later is not news again (it completes the stay).
  if (r.outcome === 'same' || r.match.link === null) return;
  const approvedBy = store.joins.ofUser(chatId, userId).find((j) => j.date === date)?.approvedBy ?? null;
  const payload: JoinsNewPayload = { link: r.match.link, backfill: false, count: 1, joins: [{ userId, date, approvedBy }], oldest: date, newest: date };
  emit(store, EventKind.JoinsNew, chatId, payload, now);
}

function announceLeft(store: Store, chatId: bigint, stays: readonly EndedStay[], now: number): void {
  for (const s of stays) {
    if (s.link === null) continue;
    const payload: MembersLeftPayload = { link: s.link, count: 1, left: [{ userId: s.userId, date: s.date, leftAt: s.leftAt, how: s.leftHow }] };
    emit(store, EventKind.MembersLeft, chatId, payload, now);
  }
}

function emitResolved(store: Store, chatId: bigint, r: RequestRow, outcome: RequestResolvedPayload['outcome'], by: bigint | null, now: number): void {
  const payload: RequestResolvedPayload = { userId: r.userId, link: r.link, outcome, decidedBy: by, observedAt: now };
  emit(store, EventKind.RequestResolved, chatId, payload, now);
}
