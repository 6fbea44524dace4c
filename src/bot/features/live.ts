/**
 * The live path of the bot: `chat_join_request` and `chat_member` updates of a watched chat are
 * stored at once (live-store.ts: store.live and the outbox events they cause, in one transaction),
 * so a new request's notification leaves within seconds instead of a cron period later. Updates of
 * chats joinwatch does not serve are dropped.
 */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { storeJoinRequest, storeMemberUpdate } from '../live-store.js';
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
      const result = storeJoinRequest(ctx.store, update, unix(ctx));
      news = result.outcome === 'new';
      ctx.logger.debug({ chat_id: String(chatId), user_id: String(update.from.id), outcome: result.outcome, link: result.match.how }, 'join request seen live');
    }
    hooks.onLiveUpdate?.('chat_join_request', news);
  });

  feature.on('chat_member', (ctx) => {
    const update = ctx.chatMember;
    const chatId = BigInt(update.chat.id);
    let news = false;
    if (isServed(ctx.store, ctx.deps.watchChats, chatId)) news = storeMemberUpdate(ctx.store, update, BigInt(ctx.me.id), unix(ctx))?.news ?? false;
    hooks.onLiveUpdate?.('chat_member', news);
  });

  return feature;
}

function unix(ctx: BotContext): number {
  return Math.floor(ctx.deps.now() / 1000);
}
