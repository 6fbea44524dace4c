/**
 * joinwatch's Prometheus metrics (prom-client), in a registry of their own per app. The recorders
 * are the seams the rest of the code calls (the sync engine's observer, GramJS's flood sleeps, the
 * bot's update timing, live events); the store-backed gauges are read at scrape time, so nothing
 * polls the database between scrapes.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../store/index.js';
import type { SyncObserver } from '../sync/engine.js';
import type { CallObservation } from '../sync/metered-source.js';
import type { CycleReport } from '../sync/report.js';

export interface MetricsSources {
  store: Store;
  /** The watched chats as configured (-100… ids or @usernames). */
  chats: readonly string[];
  /** Present when this process syncs: is the Telegram session revoked? */
  sessionRevoked?: () => boolean;
  nowMs?: () => number;
}

export interface Metrics {
  readonly registry: Registry;
  /** Feeds the sync engine's `observer` option. */
  readonly sync: SyncObserver;
  /** A flood wait GramJS slept through by itself (shorter than SYNC_FLOOD_SLEEP_MAX_SECONDS). */
  floodSlept(seconds: number): void;
  /** Feeds createBot's `onUpdateHandled`. */
  updateHandled(kind: string, seconds: number): void;
  /**
   * A live event arrived: the bot's chat_join_request / chat_member updates (app.ts counts each one
   * the bot handled), a userbot push.
   */
  liveEventReceived(kind: string): void;
  /** The Prometheus text exposition and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

export interface MetricsOptions {
  /** Node's process metrics (CPU, memory, event loop lag, GC): on when serving. */
  processMetrics?: boolean;
}

export function createMetrics(src: MetricsSources, o: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const nowMs = src.nowMs ?? Date.now;
  if (o.processMetrics) collectDefaultMetrics({ register: registry });

  const calls = new Counter({
    name: 'joinwatch_telegram_calls_total',
    help: 'Telegram calls made by the sync, by InviteSource method (listJoins and listRequests are messages.getChatInviteImporters, listLinks messages.getExportedChatInvites, listAdminsWithLinks messages.getAdminsWithInvites) and outcome (ok or the error kind)',
    labelNames: ['method', 'outcome'] as const,
    registers,
  });
  const callSeconds = new Histogram({
    name: 'joinwatch_telegram_call_duration_seconds',
    help: 'Time per Telegram call of the sync, flood sleeps included',
    labelNames: ['method'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
    registers,
  });
  const floods = new Counter({
    name: 'joinwatch_telegram_flood_waits_total',
    help: 'FLOOD_WAIT answers: slept through by GramJS (short ones), or deferring the link to a later cycle (long ones)',
    labelNames: ['handling'] as const,
    registers,
  });
  const floodSeconds = new Counter({
    name: 'joinwatch_telegram_flood_wait_seconds_total',
    help: 'Seconds Telegram asked to wait, summed, by handling (slept or deferred)',
    labelNames: ['handling'] as const,
    registers,
  });
  const cycleSeconds = new Histogram({
    name: 'joinwatch_sync_cycle_duration_seconds',
    help: 'Wall time of one sync cycle over the watched chats',
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers,
  });
  const chatRuns = new Counter({
    name: 'joinwatch_sync_chat_runs_total',
    help: 'Chats synced, by outcome (ok, partial, deferred, failed)',
    labelNames: ['outcome'] as const,
    registers,
  });
  const rows = new Counter({
    name: 'joinwatch_sync_rows_written_total',
    help: 'New rows the sync stored, by kind (joins, requests)',
    labelNames: ['kind'] as const,
    registers,
  });
  const updateSeconds = new Histogram({
    name: 'joinwatch_bot_update_duration_seconds',
    help: 'Time the bot took to handle one update, replies included, by update kind',
    labelNames: ['kind'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const liveEvents = new Counter({
    name: 'joinwatch_live_events_received_total',
    help: 'Live events received (bot chat_join_request / chat_member updates, userbot pushes), by kind',
    labelNames: ['kind'] as const,
    registers,
  });
  new Gauge({
    name: 'joinwatch_notification_lag_seconds',
    help: 'Age of the oldest notification event not delivered yet (0 when none waits)',
    registers,
    collect() {
      const oldest = src.store.vitals.oldestUndeliveredAt();
      this.set(oldest === null ? 0 : Math.max(0, nowMs() / 1000 - oldest));
    },
  });
  new Gauge({
    name: 'joinwatch_database_size_bytes',
    help: 'Size of the SQLite database file (page_count x page_size; the WAL not included)',
    registers,
    collect() {
      this.set(src.store.vitals.databaseBytes());
    },
  });
  new Gauge({
    name: 'joinwatch_sync_last_success_timestamp_seconds',
    help: 'When each watched chat last finished a sync that stored its progress (ok or partial); absent before the first',
    labelNames: ['chat'] as const,
    registers,
    collect() {
      this.reset();
      for (const chat of src.chats) {
        const at = lastSuccessAt(src.store, chat);
        if (at !== null) this.set({ chat }, at);
      }
    },
  });
  if (src.sessionRevoked) {
    const revoked = src.sessionRevoked;
    new Gauge({
      name: 'joinwatch_telegram_session_revoked',
      help: '1 once Telegram revoked the userbot session (run `joinwatch login` and restart)',
      registers,
      collect() {
        this.set(revoked() ? 1 : 0);
      },
    });
  }

  const observeCall = (c: CallObservation): void => {
    calls.inc({ method: c.method, outcome: c.outcome });
    callSeconds.observe({ method: c.method }, c.seconds);
    if (c.floodSeconds !== undefined) {
      floods.inc({ handling: 'deferred' });
      floodSeconds.inc({ handling: 'deferred' }, c.floodSeconds);
    }
  };
  const observeCycle = (report: CycleReport, seconds: number): void => {
    cycleSeconds.observe(seconds);
    let joins = 0;
    let requests = 0;
    for (const chat of report.chats) {
      chatRuns.inc({ outcome: chat.outcome });
      for (const link of chat.links) joins += link.newJoins;
      requests += chat.requests.newRequests;
    }
    rows.inc({ kind: 'joins' }, joins);
    rows.inc({ kind: 'requests' }, requests);
  };

  return {
    registry,
    sync: { call: observeCall, cycle: observeCycle },
    floodSlept(seconds) {
      floods.inc({ handling: 'slept' });
      floodSeconds.inc({ handling: 'slept' }, seconds);
    },
    updateHandled: (kind, seconds) => updateSeconds.observe({ kind }, seconds),
    liveEventReceived: (kind) => liveEvents.inc({ kind }),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}

/** The chat as configured (-100… id or @username) → its last successful sync, from the store. */
export function lastSuccessAt(store: Store, chat: string): number | null {
  const id = chatIdOf(store, chat);
  return id === undefined ? null : store.vitals.lastSuccessfulSyncAt(id);
}

export function chatIdOf(store: Store, chat: string): bigint | undefined {
  if (chat.startsWith('@')) return store.chats.byUsername(chat)?.id;
  try {
    return BigInt(chat);
  } catch {
    return undefined;
  }
}
