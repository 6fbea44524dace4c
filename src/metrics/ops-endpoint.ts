/**
 * Wires /healthz and /metrics for one `joinwatch start` process: what each check reads (the
 * store, the engine, the bot's polling) and the limits it applies, from the configuration.
 */
import type { Logger } from 'pino';
import type { Store } from '../store/index.js';
import { longestCronGapSeconds } from './cron-gap.js';
import { assessHealth, BOT_POLL_LIMIT_SECONDS, notifyLimitSeconds, syncLimitSeconds, type HealthInput } from './health.js';
import { chatIdOf, type Metrics } from './metrics.js';
import { startOpsServer, type OpsServer } from './server.js';

export interface OpsEndpointOptions {
  host: string;
  port: number;
  store: Store;
  metrics: Metrics;
  logger: Logger;
  /** The watched chats as configured (-100… ids or @usernames). */
  chats: readonly string[];
  /** This process syncs: the engine's revocation flag and the schedule and budget it runs under. */
  sync?: { sessionRevoked(): boolean; cron: string; maxCallsPerCycle: number; maxCallsPerMinute: number } | undefined;
  /** This process runs the bot and the notifier. */
  bot?: { running(): boolean; lastAnswerAt(): number; digestIntervalSeconds: number; notifyIntervalSeconds: number } | undefined;
  nowMs?: () => number;
}

export async function startOpsEndpoint(o: OpsEndpointOptions): Promise<OpsServer> {
  const nowMs = o.nowMs ?? Date.now;
  const startedAtMs = nowMs();
  const syncLimit = o.sync && syncLimitSeconds({ cronGapSeconds: longestCronGapSeconds(o.sync.cron), ...o.sync });
  const notifyLimit = o.bot && notifyLimitSeconds(o.bot);
  const input = (): HealthInput => ({
    nowMs: nowMs(),
    startedAtMs,
    sync: o.sync && syncLimit !== undefined
      ? {
          limitSeconds: syncLimit,
          sessionRevoked: o.sync.sessionRevoked(),
          chats: o.chats.map((chat) => {
            const id = chatIdOf(o.store, chat);
            return {
              chat,
              title: id === undefined ? null : (o.store.chats.get(id)?.title ?? null),
              lastSuccessAt: id === undefined ? null : o.store.vitals.lastSuccessfulSyncAt(id),
            };
          }),
        }
      : undefined,
    bot: o.bot && { running: o.bot.running(), lastAnswerAtMs: o.bot.lastAnswerAt(), limitSeconds: BOT_POLL_LIMIT_SECONDS },
    notifications: o.bot && notifyLimit !== undefined ? { oldestUndeliveredAt: o.store.vitals.oldestUndeliveredAt(), limitSeconds: notifyLimit } : undefined,
  });
  const server = await startOpsServer({
    host: o.host,
    port: o.port,
    health: () => assessHealth(input()),
    metrics: () => o.metrics.render(),
    onError: (error) => o.logger.error({ err: error }, 'health or metrics request failed'),
  }).catch((error: unknown) => {
    const code = (error as { code?: string }).code;
    throw new Error(`cannot serve metrics on ${o.host}:${o.port}${code === 'EADDRINUSE' ? ': the port is in use' : code === 'EADDRNOTAVAIL' ? ': no such address on this machine' : ''} (METRICS_HOST, METRICS_PORT)`);
  });
  o.logger.info({ url: server.url }, 'health and metrics served at /healthz and /metrics');
  return server;
}
