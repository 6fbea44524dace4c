/**
 * The bot factory, shaped like the grammY bot template: dependencies on the context, an error
 * boundary around everything, then routing and access, then one composer per feature.
 * Nothing here touches the network: `bot.init()`/`bot.start()` and `registerCommandMenus` are the
 * caller's (app.ts's) business.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, type MiddlewareFn } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from 'pino';
import type { Store } from '../store/index.js';
import type { BotContext, BotDeps, SyncTrigger } from './context.js';
import { featureComposers, type FeatureOptions } from './features/index.js';
import { AdminCache } from './middlewares/admin-cache.js';
import { accessMiddleware } from './middlewares/access.js';
import { createChatPicks } from './middlewares/chat-pick.js';
import { errorHandler } from './middlewares/error-boundary.js';
import { routeMiddleware } from './middlewares/route.js';
import { updateTiming, type UpdateObserver } from './middlewares/update-timing.js';

export interface CreateBotOptions {
  token: string;
  /** Bot API server root (self-hosted or the sandbox); Telegram's by default. */
  apiRoot?: string;
  store: Store;
  logger: Logger;
  /** Users always allowed to read every watched chat (config ADMIN_IDS). */
  adminIds: Iterable<bigint>;
  syncTrigger?: SyncTrigger;
  /** Clock in ms (Date.now by default). */
  now?: () => number;
  /** Skips the getMe call of bot.init() (tests, benchmarks). */
  botInfo?: UserFromGetMe;
  /** How long getChatAdministrators answers are trusted (default 5 minutes). */
  adminCacheTtlMs?: number;
  /** Approve/decline calls per second of an "approve all" run (default 20, under Telegram's ~30/s). */
  bulkRatePerSecond?: number;
  /** Minimum time between two /sync of one chat (default 60 s). */
  syncCooldownMs?: number;
  /** Hears how long each update took to handle (the metrics endpoint). */
  onUpdateHandled?: UpdateObserver;
}

export function createBot(o: CreateBotOptions): Bot<BotContext> {
  const bot = new Bot<BotContext>(o.token, {
    ...(o.botInfo ? { botInfo: o.botInfo } : {}),
    client: o.apiRoot ? { apiRoot: o.apiRoot } : {},
  });
  // 429 retry_after and 5xx are retried transparently; a long flood wait fails instead of hanging.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 120 }));

  const now = o.now ?? Date.now;
  const deps: BotDeps = {
    store: o.store,
    logger: o.logger,
    adminIds: new Set(o.adminIds),
    syncTrigger: o.syncTrigger,
    now,
  };
  const cache = new AdminCache(bot.api, { ttlMs: o.adminCacheTtlMs, now, logger: o.logger });
  const picks = createChatPicks(now);
  const features: FeatureOptions = {
    picks,
    now,
    bulkRatePerSecond: o.bulkRatePerSecond ?? 20,
    syncCooldownMs: o.syncCooldownMs ?? 60_000,
    adminCache: cache,
  };

  if (o.onUpdateHandled) bot.use(updateTiming(o.onUpdateHandled));
  bot.use(attachDeps(deps));
  const safe = bot.errorBoundary(errorHandler(o.logger));
  safe.use(routeMiddleware(() => bot.botInfo.username));
  safe.use(accessMiddleware({ cache, picks }));
  for (const feature of featureComposers(features)) safe.use(feature);
  return bot;
}

function attachDeps(deps: BotDeps): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    Object.assign(ctx, { deps, store: deps.store, logger: deps.logger.child({ update_id: ctx.update.update_id }), adminChats: [] });
    return next();
  };
}
