/**
 * The live path of the bot: `chat_join_request` and `chat_member` updates of a watched chat are
 * stored at once (store.live: one row per fact, whatever the sync stored or stores later) with the
 * outbox events they cause, in one transaction, so a new request's notification leaves within
 * seconds instead of a cron period later. Updates of chats joinwatch does not serve are dropped.
 */
import { Composer } from 'grammy';
import { EventKind, emit, type JoinsNewPayload, type MembersLeftPayload, type RequestResolvedPayload, type RequestsNewPayload } from '../../sync/events.js';
import type { EndedStay, LiveJoinResult, LiveRequestResult, RequestRow, Store } from '../../store/index.js';
import type { BotContext } from '../context.js';
import { memberChange, requestFact, userInput } from '../live-facts.js';
import { isServed } from '../watched.js';

/** The kinds of live updates the bot receives (the metrics' `kind`). */
export type LiveUpdateKind = 'chat_join_request' | 'chat_member';

export interface LiveHooks {
  /** Each live update received; `news`: it stored something new (the notifier may have work). */
  onLiveUpdate?: ((kind: LiveUpdateKind, news: boolean) => void) | undefined;
}

export function liveFeature(hooks: LiveHooks = {}): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.on('chat_join_request', (ctx) => {
    const update = ctx.chatJoinRequest;
    const chatId = BigInt(update.chat.id);
    let news = false;
    if (isServed(ctx.store, ctx.deps.watchChats, chatId)) {
      const now = unix(ctx);
      const fact = requestFact(update);
      const result = ctx.store.tx(() => {
        ctx.store.users.upsertMany([userInput(update.from)], now);
        const r = ctx.store.live.request(chatId, fact, now);
        announceRequest(ctx.store, chatId, r, fact.link?.shown ?? null, now);
        return r;
      });
      news = result.outcome === 'new';
      ctx.logger.debug({ chat_id: String(chatId), user_id: String(fact.userId), outcome: result.outcome, link: result.match.how }, 'join request seen live');
    }
    hooks.onLiveUpdate?.('chat_join_request', news);
  });

  feature.on('chat_member', (ctx) => {
    const update = ctx.chatMember;
    const chatId = BigInt(update.chat.id);
    const change = memberChange(update);
    let news = false;
    if (change && isServed(ctx.store, ctx.deps.watchChats, chatId)) {
      const now = unix(ctx);
      news = ctx.store.tx(() => {
        ctx.store.users.upsertMany([userInput(update.new_chat_member.user)], now);
        if (change.kind === 'join') {
          // Approved by this bot: for an admin who pressed a button, and decide.ts records who.
          const ours = change.fact.approvedBy === BigInt(ctx.me.id);
          const r = ctx.store.live.join(chatId, { ...change.fact, ...(ours ? { decidedByCaller: true } : {}) }, now);
          announceJoin(ctx.store, chatId, r, change.fact.userId, change.fact.date, now);
          return r.outcome !== 'same';
        }
        const r = ctx.store.live.leave(chatId, change.fact, now);
        if (r.stay && r.outcome !== 'known') announceLeft(ctx.store, chatId, [r.stay], now);
        return r.outcome === 'ended';
      });
    }
    hooks.onLiveUpdate?.('chat_member', news);
  });

  return feature;
}

function unix(ctx: BotContext): number {
  return Math.floor(ctx.deps.now() / 1000);
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
