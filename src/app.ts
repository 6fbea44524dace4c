/**
 * The composition root: builds config, logger, store, the userbot with its sync engine and
 * schedule, the bot and the notifier, and nothing else wires them. `joinwatch start` and the
 * demo both go through `startApp`, so the demo exercises the same wiring an operator runs.
 */
import type { Bot } from 'grammy';
import { ButtonBook } from './bot/buttons.js';
import { createBot, shutdownOf } from './bot/create-bot.js';
import { reportInterruptedRuns } from './bot/features/pending-bulk.js';
import { registerCommandMenus } from './bot/commands.js';
import { describeBotInitFailure } from './bot/self-check.js';
import { runBot, type RunningBot } from './bot/run-bot.js';
import type { BotContext, SyncTrigger } from './bot/context.js';
import { UserFacingError } from './cli/run-command.js';
import { runStoppable, within } from './cli/shutdown.js';
import { loadConfig, type ConfigFor, type Env } from './config.js';
import { createLogger, type Logger } from './log.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { startOpsEndpoint } from './metrics/ops-endpoint.js';
import type { OpsServer } from './metrics/server.js';
import { watchPolling, type PollingWatch } from './bot/polling-watch.js';
import { createNotifier, type Notifier } from './notify/index.js';
import { openStore, type Store } from './store/index.js';
import { SyncEngine } from './sync/engine.js';
import { startLiveTrigger, type LiveTrigger } from './sync/live-trigger.js';
import { startSyncScheduler } from './sync/scheduler.js';
import { describeConnectFailure, openUserbot, type Userbot } from './telegram/userbot.js';

export interface StartOptions {
  /** Run the admin bot and the notifier (default true). */
  bot?: boolean;
  /** Run the userbot's scheduled sync (default true). */
  sync?: boolean;
}

export interface AppOptions extends StartOptions {
  env?: Env;
  logger?: Logger;
  /** Run one sync cycle right away instead of waiting for the first cron tick (default true). */
  syncAtStart?: boolean;
  /** Set the command menus with setMyCommands (default true). */
  registerMenus?: boolean;
  /** How long the bot may take to reach the Bot API at start (default 20 s). */
  botInitTimeoutMs?: number;
  /**
   * Aborted when the operator asks to stop (SIGINT/SIGTERM): start-up gives up at once (connecting,
   * reaching the Bot API), and every Bot API call in flight ends.
   */
  signal?: AbortSignal;
}

export interface App {
  store: Store;
  logger: Logger;
  engine?: SyncEngine;
  bot?: Bot<BotContext>;
  /** The bot's long polling (the runner): `stop()` ends it, bounded. */
  polling?: RunningBot;
  notifier?: Notifier;
  /** Prometheus metrics (when METRICS_PORT is set); `liveEventReceived` is for live updates. */
  metrics?: Metrics;
  /** The /healthz and /metrics server (when METRICS_PORT is set). */
  ops?: OpsServer;
  /** Targeted pending checks from live signals and dirty marks (when this process syncs). */
  liveTrigger?: LiveTrigger;
  /** One sync cycle over every watched chat, now (`full`: the full reconcile, as `sync --once --full`). */
  syncAll(o?: { full?: boolean }): ReturnType<SyncEngine['runCycle']>;
  stop(): Promise<void>;
}

type StartConfig = ConfigFor<'store' | 'log' | 'watch' | 'sync' | 'metrics'> & Partial<ConfigFor<'telegram' | 'bot' | 'notify'>>;

export async function startApp(o: AppOptions = {}): Promise<App> {
  const withBot = o.bot ?? true;
  const withSync = o.sync ?? true;
  const env = o.env ?? process.env;
  const config = loadConfig(['store', 'log', 'watch', 'sync', 'metrics', ...(withSync ? (['telegram'] as const) : []), ...(withBot ? (['bot', 'notify'] as const) : [])], env) as StartConfig;
  const logger = o.logger ?? createLogger({ level: config.LOG_LEVEL, secrets: [config.BOT_TOKEN, config.TELEGRAM_SESSION, config.TELEGRAM_API_HASH] });
  const store = openStore(config.DATABASE_PATH);
  const stoppers: Stopper[] = [];
  const aborters: Array<() => void> = [];
  let closed = false;
  const stop = async () => {
    // Bot API calls in flight (a notification, the long poll, a 429 wait) end first: a Bot API that
    // does not answer must not hold up the rest.
    for (const abort of aborters) abort();
    const until = Date.now() + STOP_BUDGET_MS;
    for (const step of stoppers.splice(0).reverse()) {
      const work = Promise.resolve()
        .then(step.run)
        .catch((error: unknown) => logger.warn({ err: error, step: step.name }, 'shutdown step failed'));
      if (!(await within(work, Math.max(0, Math.min(step.maxMs, until - Date.now()))))) {
        logger.warn({ step: step.name }, 'shutdown step did not finish in time; going on without it');
      }
    }
    if (!closed) store.close();
    closed = true;
  };
  try {
    const chats = config.WATCH_CHATS.map((ref) => (ref.kind === 'id' ? ref.chatId : `@${ref.username}`));
    let engine: SyncEngine | undefined;
    const metrics = config.METRICS_PORT === undefined
      ? undefined
      : createMetrics({ store, chats: chats.map(String), ...(withSync ? { sessionRevoked: () => engine?.sessionRevoked ?? false } : {}) }, { processMetrics: true });
    const userbot = withSync
      ? await openUserbot(config as ConfigFor<'telegram'> & typeof config, logger, { ...(metrics ? { onFloodSleep: metrics.floodSlept } : {}), ...(o.signal ? { signal: o.signal } : {}) }).catch((e: unknown) => {
          throw new UserFacingError(describeConnectFailure(e, config.TELEGRAM_MTPROTO_SERVER));
        })
      : undefined;
    if (userbot) stoppers.push({ name: 'userbot', maxMs: STEP_MS, run: () => userbot.close() });
    engine = userbot ? buildEngine(userbot, store, config, logger, metrics) : undefined;
    const syncAll = (o: { full?: boolean } = {}) => (engine ? engine.runCycle(chats, o) : Promise.reject(new Error('this process does not sync (--no-sync)')));

    const app: App = { store, logger, syncAll, stop, ...(engine ? { engine } : {}), ...(metrics ? { metrics } : {}) };
    // The bot first: a rejected token or an unreachable Bot API fails start-up before any sync runs.
    const botSide = withBot ? await startBotSide(config as StartConfig & ConfigFor<'bot' | 'notify'>, store, logger, engine, { stoppers, aborters }, { ...o, metrics }) : undefined;
    if (botSide) Object.assign(app, { bot: botSide.bot, notifier: botSide.notifier, polling: botSide.runner });
    if (engine && userbot) {
      const log = logger.child({ component: 'scheduler' });
      const reconcile = { cron: config.SYNC_RECONCILE_CRON, markDue: () => store.chatLive.markReconcileDue(store.chats.list().map((c) => c.id)) };
      const scheduler = startSyncScheduler({ engine, chats, cron: config.SYNC_CRON, reconcile, jitterMs: config.SYNC_JITTER_SECONDS * 1000, runAtStart: o.syncAtStart ?? true, log });
      // Stopped first (stoppers run in reverse): the page in flight may finish and be written, for
      // a few seconds; a server that does not answer is not waited for.
      stoppers.push({ name: 'sync', maxMs: PAGE_IN_FLIGHT_MS, run: () => scheduler.stop() });
      const live = startLiveTrigger({ store, engine, chats, signals: userbot.signals(), log: logger.child({ component: 'live' }) });
      app.liveTrigger = live;
      stoppers.push({ name: 'live trigger', maxMs: STEP_MS, run: () => live.stop() });
    }
    if (metrics && config.METRICS_PORT !== undefined) {
      app.ops = await startOpsEndpoint({
        host: config.METRICS_HOST,
        port: config.METRICS_PORT,
        store,
        metrics,
        logger,
        chats: chats.map(String),
        sync: engine && { sessionRevoked: () => engine?.sessionRevoked ?? false, cron: config.SYNC_CRON, maxCallsPerCycle: config.SYNC_MAX_CALLS_PER_CYCLE, maxCallsPerMinute: config.SYNC_MAX_CALLS_PER_MINUTE },
        bot: botSide && { ...botSide.polling, digestIntervalSeconds: config.DIGEST_INTERVAL_SECONDS ?? 300, notifyIntervalSeconds: config.NOTIFY_INTERVAL_SECONDS ?? 30 },
      }).catch((e: unknown) => {
        throw new UserFacingError(e instanceof Error ? e.message : String(e));
      });
      stoppers.push({ name: 'ops endpoint', maxMs: STEP_MS, run: () => app.ops?.stop() });
    }
    return app;
  } catch (error) {
    await stop();
    throw error;
  }
}

const BOT_INIT_TIMEOUT_MS = 20_000;
/** All of stopping, and one step of it: within the 10 s an operator may expect after SIGTERM. */
const STOP_BUDGET_MS = 6_500;
const STEP_MS = 2_000;
/** How long a stop waits for the sync's Telegram call in flight, so its page is written. */
const PAGE_IN_FLIGHT_MS = 4_000;

interface Stopper {
  name: string;
  maxMs: number;
  run: () => Promise<unknown> | unknown;
}

function buildEngine(userbot: Userbot, store: Store, config: StartConfig, logger: Logger, metrics: Metrics | undefined): SyncEngine {
  return new SyncEngine({
    ...(metrics ? { observer: metrics.sync } : {}),
    store,
    source: userbot.source,
    maxCallsPerCycle: config.SYNC_MAX_CALLS_PER_CYCLE,
    maxCallsPerMinute: config.SYNC_MAX_CALLS_PER_MINUTE,
    callLog: store.syncCalls,
    fullReconcileSeconds: config.SYNC_FULL_RECONCILE_HOURS * 3600,
    log: logger.child({ component: 'sync' }),
  });
}

async function startBotSide(
  config: StartConfig & ConfigFor<'bot' | 'notify'>,
  store: Store,
  logger: Logger,
  engine: SyncEngine | undefined,
  stopping: { stoppers: Stopper[]; aborters: Array<() => void> },
  o: Pick<AppOptions, 'registerMenus' | 'botInitTimeoutMs' | 'signal'> & { metrics?: Metrics | undefined },
): Promise<{ bot: Bot<BotContext>; notifier: Notifier; polling: PollingWatch; runner: RunningBot }> {
  const syncTrigger: SyncTrigger | undefined = engine ? { syncNow: (chatId) => engine.syncNow(chatId) } : undefined;
  const bot = createBot({
    token: config.BOT_TOKEN,
    apiRoot: config.BOT_API_ROOT,
    store,
    logger: logger.child({ component: 'bot' }),
    adminIds: config.ADMIN_IDS,
    watchChats: config.WATCH_CHATS,
    ...(syncTrigger ? { syncTrigger } : {}),
    ...(o.metrics ? { onUpdateHandled: o.metrics.updateHandled } : {}),
    // A live update that stored something new wakes the notifier: its digest is due within seconds.
    onLiveUpdate: (kind, news) => {
      o.metrics?.liveEventReceived(kind);
      if (news) notifier?.poke();
    },
  });
  // Every Bot API call of this bot (the notifier's too) ends when joinwatch stops, or start-up gives up.
  const abortCalls = () => shutdownOf(bot)?.abort();
  stopping.aborters.push(abortCalls);
  o.signal?.addEventListener('abort', abortCalls, { once: true });
  // Set once the notifier exists (after polling starts); a live update before that waits for its first drain.
  let notifier: Notifier | undefined;
  // Installed before polling starts, so the first getUpdates answer is seen.
  let runner: RunningBot | undefined;
  const pollingWatch = watchPolling(bot, () => runner?.isRunning() ?? false);
  try {
    // Bounded: grammY and auto-retry would otherwise retry an unreachable Bot API for minutes, silently.
    const limit = AbortSignal.timeout(o.botInitTimeoutMs ?? BOT_INIT_TIMEOUT_MS);
    await bot.init((o.signal ? AbortSignal.any([limit, o.signal]) : limit) as Parameters<typeof bot.init>[0]);
  } catch (error) {
    if (o.signal?.aborted) throw error;
    throw new UserFacingError(describeBotInitFailure(error, config.BOT_API_ROOT));
  }
  if (o.registerMenus ?? true) await registerCommandMenus(bot.api);
  // An "approve all" run the last stop (or crash) cut short says so, before new presses come in.
  await reportInterruptedRuns(bot.api, new ButtonBook(store, Date.now), store, logger.child({ component: 'bot' }));
  const polling = runBot(bot);
  runner = polling;
  polling.task?.catch((error: unknown) => logger.error({ err: error }, 'the bot stopped polling'));
  stopping.stoppers.push({ name: 'bot polling', maxMs: STEP_MS + 1_000, run: () => polling.stop() });

  const created = createNotifier({
    api: bot.api,
    store,
    logger,
    notifyChatId: config.NOTIFY_CHAT_ID,
    adminIds: config.ADMIN_IDS,
    intervalMs: config.NOTIFY_INTERVAL_SECONDS * 1000,
    digestIntervalMs: config.DIGEST_INTERVAL_SECONDS * 1000,
    digestWaitMs: config.DIGEST_WAIT_SECONDS * 1000,
    raid: { windowSeconds: config.RAID_WINDOW_SECONDS, minJoins: config.RAID_MIN_JOINS, factor: config.RAID_FACTOR },
  });
  notifier = created;
  // Can the bot write to the notification target(s)? A refusal is logged and told to the admins
  // now, not after the first event has waited; the events are kept either way.
  await created.checkTargets().catch((error: unknown) => logger.warn({ err: error }, 'could not check the notification target'));
  created.start();
  stopping.stoppers.push({ name: 'notifier', maxMs: STEP_MS, run: () => created.stop() });
  return { bot, notifier: created, polling: pollingWatch, runner: polling };
}

/**
 * `joinwatch start`: run until SIGINT/SIGTERM, then stop every part in reverse order, within
 * seconds whatever Telegram does (src/cli/shutdown.ts ends the process if it does not).
 */
export async function runStart(opts: StartOptions): Promise<void> {
  await runStoppable(async (shutdown) => {
    let app: App;
    try {
      app = await startApp({ ...opts, signal: shutdown.signal });
    } catch (error) {
      // A signal during start-up is a request to stop, not a failure to report.
      if (shutdown.signal.aborted) return;
      throw error;
    }
    app.logger.info({ bot: opts.bot ?? true, sync: opts.sync ?? true }, 'joinwatch started');
    await shutdown.requested;
    app.logger.info('stopping');
    await app.stop();
    app.logger.info('stopped');
  });
}
