/**
 * The bot factory, shaped like the grammY bot template: dependencies on the context, an error
 * boundary around everything, then routing and access, then one composer per feature.
 * Updates run concurrently (run-bot.ts, @grammyjs/runner) but in order per chat and per user
 * (`sequentialize`), so a 429 wait or an export in one chat never holds up another chat's answer.
 * Nothing here touches the network: `runBot` and `registerCommandMenus` are the caller's business.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { Bot, type Context, type MiddlewareFn } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from 'pino';
import type { Store } from '../store/index.js';
import type { BotContext, BotDeps, SyncTrigger } from './context.js';
import { featureComposers, type FeatureOptions } from './features/index.js';
import { liveFeature, type LiveUpdateKind } from './features/live.js';
import { languageMiddleware } from './i18n/middleware.js';
import { AdminCache } from './middlewares/admin-cache.js';
import { accessMiddleware } from './middlewares/access.js';
import { createChatPicks } from './middlewares/chat-pick.js';
import { errorHandler } from './middlewares/error-boundary.js';
import { routeMiddleware } from './middlewares/route.js';
import { updateTiming, type UpdateObserver } from './middlewares/update-timing.js';
import type { WatchedRef } from './watched.js';

export interface CreateBotOptions {
  token: string;
  /** Bot API server root (self-hosted or the sandbox); Telegram's by default. */
  apiRoot?: string;
  store: Store;
  logger: Logger;
  /** WATCH_CHATS: the chats served (others in the store are not). */
  watchChats: readonly WatchedRef[];
  /** Users allowed to read every watched chat (config ADMIN_IDS); deciding needs Telegram's own right. */
  adminIds: Iterable<bigint>;
  syncTrigger?: SyncTrigger;
  /** Clock in ms (Date.now by default). */
  now?: () => number;
  /** Skips the getMe call of bot.init() (tests, benchmarks). */
  botInfo?: UserFromGetMe;
  /** How long getChatAdministrators answers are trusted (default 5 minutes; admin changes drop them at once). */
  adminCacheTtlMs?: number;
  /** Approve/decline calls per second of an "approve all" run (default 20, under Telegram's ~30/s). */
  bulkRatePerSecond?: number;
  /** Minimum time between two /sync of one chat (default 60 s). */
  syncCooldownMs?: number;
  /** Hears how long each update took to handle (the metrics endpoint). */
  onUpdateHandled?: UpdateObserver;
  /** Hears each live update (chat_join_request, chat_member) once handled; `news`: it stored something new. */
  onLiveUpdate?: (kind: LiveUpdateKind, news: boolean) => void;
}

/** The abort controller of each bot's shutdown (run-bot.ts aborts it in `stop`). */
const shutdowns = new WeakMap<Bot<BotContext>, AbortController>();

export function shutdownOf(bot: Bot<BotContext>): AbortController | undefined {
  return shutdowns.get(bot);
}

export function createBot(o: CreateBotOptions): Bot<BotContext> {
  const bot = new Bot<BotContext>(o.token, {
    ...(o.botInfo ? { botInfo: o.botInfo } : {}),
    client: o.apiRoot ? { apiRoot: o.apiRoot } : {},
  });
  // 429 retry_after and 5xx are retried transparently; a long flood wait fails instead of hanging.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 120 }));
  // Installed last, so it runs first: every call without a signal of its own gets the shutdown
  // signal, and auto-retry's sleeps end with it (a stop never waits out a 429).
  const shutdown = new AbortController();
  shutdowns.set(bot, shutdown);
  bot.api.config.use((prev, method, payload, signal) => prev(method, payload, signal ?? (shutdown.signal as unknown as typeof signal)));

  const now = o.now ?? Date.now;
  const rights = new AdminCache(bot.api, { ttlMs: o.adminCacheTtlMs, now, logger: o.logger });
  const deps: BotDeps = {
    store: o.store,
    logger: o.logger,
    adminIds: new Set(o.adminIds),
    watchChats: o.watchChats,
    rights,
    shutdown: shutdown.signal,
    syncTrigger: o.syncTrigger,
    now,
  };
  const picks = createChatPicks(now);
  const features: FeatureOptions = {
    picks,
    now,
    bulkRatePerSecond: o.bulkRatePerSecond ?? 20,
    syncCooldownMs: o.syncCooldownMs ?? 60_000,
  };

  // First, so the time measured includes waiting for this chat's or user's earlier updates.
  if (o.onUpdateHandled) bot.use(updateTiming(o.onUpdateHandled));
  // In order per chat and per user, concurrent otherwise (the runner handles updates in parallel).
  bot.use(sequentialize(sequenceKeys));
  bot.use(attachDeps(deps));
  const safe = bot.errorBoundary(errorHandler(o.logger));
  // The sender's language (their /language choice, else their Telegram app's): ctx.t, ctx.texts.
  safe.use(languageMiddleware());
  // Admin changes: forget what we knew about the chat, at once.
  safe.on(['chat_member', 'my_chat_member'], (ctx, next) => {
    rights.invalidate(BigInt(ctx.chat.id));
    return next();
  });
  // Join requests, joins and leaves, stored as they happen (they stop here: no command, no access check).
  safe.use(liveFeature({ onLiveUpdate: o.onLiveUpdate }));
  // A person who writes to the bot can now be written to: notifications refused so far are retried
  // at the next drain instead of in up to 10 minutes (the notifier reads this from the store).
  safe.chatType('private').on('message', (ctx, next) => {
    ctx.store.notifyTargets.retryNow(String(ctx.from.id), Math.floor(now() / 1000));
    return next();
  });
  safe.use(routeMiddleware(() => bot.botInfo.username));
  safe.use(accessMiddleware({ cache: rights, picks }));
  for (const feature of featureComposers(features)) safe.use(feature);
  return bot;
}

/** The sequences an update belongs to: its chat and its sender. */
function sequenceKeys(ctx: Context): string[] {
  const keys: string[] = [];
  if (ctx.chat) keys.push(`c${ctx.chat.id}`);
  if (ctx.from) keys.push(`u${ctx.from.id}`);
  return keys;
}

function attachDeps(deps: BotDeps): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    Object.assign(ctx, { deps, store: deps.store, logger: deps.logger.child({ update_id: ctx.update.update_id }), adminChats: [] });
    return next();
  };
}
