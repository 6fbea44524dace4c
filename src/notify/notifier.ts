/**
 * The admin notifier: every `intervalMs` it drains the store's outbox (see drain.ts) and sends
 * digests and alerts to NOTIFY_CHAT_ID, or to each ADMIN_IDS user privately when that is unset.
 * Delivery is tracked per recipient and per event in SQLite. Drains never overlap; a drain that
 * hit a 429 waits out `retry_after` before the next one. `checkTargets()` (start-up) asks Telegram
 * whether the bot may write to each target, so a refusing one is reported before anything waits.
 * Pass the bot's `api` (it has auto-retry installed, so short 429s are absorbed there).
 */
import type { Logger } from 'pino';
import { chatLocale } from '../bot/i18n/choice.js';
import { textsFor } from '../bot/i18n/texts.js';
import type { Store } from '../store/index.js';
import { DigestScheduler } from './digest.js';
import { drainOnce as drain, refused, type DrainDeps, type DrainReport, type RecipientState } from './drain.js';
import type { Names } from './messages.js';
import { DEFAULT_RAID_THRESHOLDS, RaidDetector, type BaselineCount, type RaidThresholds } from './raid-detector.js';
import { probeTarget, type NotifyApi } from './send.js';
import { joinsBetween } from './baseline.js';
import { AlertThrottle } from './throttle.js';

const DELIVERED_RETENTION_SECONDS = 7 * 86_400;

export interface NotifierOptions {
  api: NotifyApi;
  store: Store;
  logger: Logger;
  /** Where every notification goes; when unset, each of `adminIds` gets them privately. */
  notifyChatId?: bigint | undefined;
  adminIds?: Iterable<bigint> | undefined;
  /** How often the outbox is drained (default 30 s). */
  intervalMs?: number | undefined;
  /** At most one join-request digest per chat this often (default 5 min). */
  digestIntervalMs?: number | undefined;
  /** A digest is sent this long after the first request that opened it (default 10 s): a burst shares one. */
  digestWaitMs?: number | undefined;
  raid?: Partial<RaidThresholds> | undefined;
  /** The same sync failure of a chat is repeated at most this often (default 1 h). */
  repeatFailureMs?: number | undefined;
  /** Events read per round (default 1000). */
  batchSize?: number | undefined;
  /** A refusing target is tried again after this long (default 10 min). */
  refusedRetryMs?: number | undefined;
  /** Clock in ms (Date.now by default). */
  now?: (() => number) | undefined;
  /** Joins the store holds for a key in a time range (the raid baseline); the store's by default. */
  baseline?: BaselineCount | undefined;
}

export interface Notifier {
  start(): void;
  /** Stops the timer and waits for a drain in progress. */
  stop(): Promise<void>;
  /** One drain now (serialised with the timer's). */
  drainOnce(): Promise<DrainReport>;
  /** Something new is in the outbox (a live update): drain soon instead of at the next interval. */
  poke(): void;
  /** Asks Telegram whether the bot may write to each target; returns one line per refusing one. */
  checkTargets(): Promise<string[]>;
}

export function createNotifier(o: NotifierOptions): Notifier {
  const now = o.now ?? Date.now;
  const intervalMs = o.intervalMs ?? 30_000;
  const logger = o.logger.child({ component: 'notify' });
  const admins = [...(o.adminIds ?? [])].map(String);
  const recipients = (): string[] => (o.notifyChatId !== undefined ? [o.notifyChatId.toString()] : admins);
  const baseline = o.baseline ?? joinsBetween(o.store);
  const states = new Map<string, RecipientState>();
  const stateOf = (recipient: string): RecipientState => {
    let state = states.get(recipient);
    if (!state) {
      state = {
        raids: new RaidDetector({ ...DEFAULT_RAID_THRESHOLDS, ...o.raid }, baseline),
        digests: new DigestScheduler(o.digestIntervalMs ?? 300_000, o.digestWaitMs ?? 10_000),
        throttle: new AlertThrottle(o.repeatFailureMs ?? 3_600_000),
      };
      states.set(recipient, state);
    }
    return state;
  };
  const deps: DrainDeps = {
    outbox: o.store.outbox,
    targets: o.store.notifyTargets,
    api: o.api,
    logger,
    recipients,
    reporters: () => admins,
    stateOf,
    textsFor: (recipient) => textsFor(chatLocale(o.store, BigInt(recipient))),
    names: storeNames(o.store),
    recentJoins: (chatId, link, sinceUnix) => o.store.joiners.since(chatId, link, sinceUnix),
    stillPending: (chatId, userId) => o.store.requests.pendingOf(chatId, userId) !== undefined,
    nowMs: now,
    batchSize: o.batchSize ?? 1000,
    refusedRetryMs: o.refusedRetryMs ?? 10 * 60_000,
    sentParts: new Set<string>(),
  };
  if (recipients().length === 0) logger.warn('neither NOTIFY_CHAT_ID nor ADMIN_IDS is set: notifications are dropped');

  let running: Promise<DrainReport> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let pausedUntil = 0;

  const drainOnce = (): Promise<DrainReport> => {
    running ??= drain(deps)
      .then((report) => {
        if (report.failure?.retryAfterSeconds) pausedUntil = now() + report.failure.retryAfterSeconds * 1000;
        if (report.messages > 0 || report.failure) logger.info({ report }, 'outbox drained');
        // Delivered events are kept a week for inspection, then dropped so the outbox stays small.
        o.store.outbox.purgeDelivered(Math.floor(now() / 1000) - DELIVERED_RETENTION_SECONDS);
        return report;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  let poked = false;
  const schedule = (delayMs: number): void => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void tick(), Math.max(0, delayMs));
  };

  const tick = async (): Promise<void> => {
    timer = undefined;
    let next = intervalMs;
    if (now() >= pausedUntil) {
      // A drain started elsewhere may have read the outbox before the poke: this one starts after it.
      await running?.catch(() => undefined);
      poked = false;
      // A failed drain is logged and retried next tick: the events are still in the outbox.
      const report = await drainOnce().catch((error: unknown) => void logger.error({ err: error }, 'outbox drain failed'));
      // A digest held back for its short wait is sent when that wait is over, not a whole interval later.
      if (report?.nextDueAtMs !== undefined) next = Math.min(next, report.nextDueAtMs - now());
    }
    // A poke while a 429 pause lasts waits for the pause like everything else.
    if (timer === undefined) schedule(poked && now() >= pausedUntil ? 0 : next);
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
    poke() {
      poked = true;
      // Between ticks: drain now. During one: it drains again as soon as it is done.
      if (timer !== undefined) schedule(0);
    },
    drainOnce,
    async checkTargets() {
      const lines: string[] = [];
      for (const target of recipients()) {
        const outcome = await probeTarget(o.api, target);
        if (outcome.ok || !outcome.permanent) continue;
        lines.push(`${target}: ${outcome.description}`);
        // Reported now (log + reachable admins), once per refusal, like a refusal met by a drain.
        await refused(deps, target, outcome.description);
      }
      return lines;
    },
  };
}

function storeNames(store: Store): Names {
  return {
    chat: (chatId) => store.chats.get(chatId)?.title || String(chatId),
    user: (userId) => {
      const u = store.users.get(userId);
      return u && { name: `${u.firstName} ${u.lastName}`.trim(), username: u.username };
    },
    linkTitle: (chatId, link) => store.links.get(chatId, link)?.title ?? null,
  };
}
