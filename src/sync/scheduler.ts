/**
 * The sync on a schedule (node-cron 4): `noOverlap` so a long backfill never runs twice at once,
 * a small random delay so many installs do not hit Telegram on the same second, one cycle at
 * start so `joinwatch start` does not sit idle until the first tick, and a stop once the session
 * is revoked (the store stays readable for the bot).
 */
import { schedule, type ScheduledTask } from 'node-cron';
import type { SyncLog } from './context.js';
import type { SyncEngine } from './engine.js';
import type { CycleReport } from './report.js';

export interface SchedulerOptions {
  engine: Pick<SyncEngine, 'runCycle' | 'sessionRevoked'> & Partial<Pick<SyncEngine, 'stop'>>;
  chats: readonly (string | bigint)[];
  /** SYNC_CRON, e.g. every 5 minutes. */
  cron: string;
  /**
   * SYNC_RECONCILE_CRON: at each tick every chat is marked for the full reconcile (in SQLite, so a
   * restart keeps it) and a cycle runs; between ticks cycles are ordinary (live-plan.ts).
   */
  reconcile?: { cron: string; markDue(): void } | undefined;
  /** Upper bound of the random delay before each scheduled cycle, in ms. Default 20 s. */
  jitterMs?: number;
  runAtStart?: boolean;
  log?: SyncLog & { error(obj: object, msg?: string): void };
  onCycle?: (report: CycleReport) => void;
}

export interface SyncScheduler {
  /** Runs a cycle now (queued behind a running one by the engine). */
  runNow(): Promise<CycleReport>;
  stop(): Promise<void>;
  readonly running: boolean;
}

export function startSyncScheduler(o: SchedulerOptions): SyncScheduler {
  let stopped = false;
  let busy = 0;
  let task: ScheduledTask | undefined;
  const cycle = async (): Promise<CycleReport> => {
    busy++;
    const report = await o.engine.runCycle(o.chats).finally(() => busy--);
    o.onCycle?.(report);
    o.log?.info({ chats: report.chats.length, calls: report.calls, revoked: report.sessionRevoked }, 'sync cycle done');
    if (report.sessionRevoked) {
      o.log?.warn({}, 'Telegram session revoked: scheduled sync stopped; run `joinwatch login` and restart');
      void stop();
    }
    return report;
  };
  const stop = async (): Promise<void> => {
    stopped = true;
    await task?.destroy();
    await reconcileTask?.destroy();
    // Let a running cycle end at its next call, so nothing uses the store or client after this.
    await o.engine.stop?.();
  };
  // node-cron's noOverlap covers its own ticks; `busy` also covers the start run and runNow().
  const tick = () => {
    if (o.engine.sessionRevoked || stopped) return undefined;
    if (busy > 0) return void o.log?.info({}, 'sync still running: this tick is skipped');
    return cycle();
  };
  task = schedule(o.cron, tick, {
    name: 'joinwatch-sync',
    noOverlap: true,
    maxRandomDelay: o.jitterMs ?? 20_000,
  });
  task.on('execution:overlap', () => o.log?.info({}, 'sync still running: this tick is skipped'));
  const reconcileTask = o.reconcile
    ? schedule(
        o.reconcile.cron,
        () => {
          if (o.engine.sessionRevoked || stopped) return undefined;
          // Marked even when a cycle is running: the next one reconciles.
          o.reconcile?.markDue();
          return tick();
        },
        { name: 'joinwatch-reconcile', noOverlap: true, maxRandomDelay: o.jitterMs ?? 20_000 },
      )
    : undefined;
  task.on('execution:failed', (ctx) => o.log?.error({ err: ctx.execution?.error }, 'sync cycle failed'));
  if (o.runAtStart !== false) {
    void cycle().catch((err: unknown) => o.log?.error({ err }, 'first sync cycle failed'));
  }
  return {
    runNow: cycle,
    stop,
    get running() {
      return !stopped;
    },
  };
}
