/**
 * One drain of the outbox: read undelivered events in order, plan the notifications, send them,
 * and mark events delivered only after the message that carries them was sent (to every
 * recipient). A transient failure stops the drain there; what was not sent stays in the outbox.
 */
import type { Logger } from 'pino';
import type { OutboxRepo } from '../store/index.js';
import type { DigestScheduler } from './digest.js';
import { parseEvent } from './events.js';
import type { Names } from './messages.js';
import { planNotifications, type Notification, type RecentJoins } from './plan.js';
import type { RaidDetector } from './raid-detector.js';
import type { AlertThrottle } from './throttle.js';
import { sendHtml, type NotifyApi } from './send.js';

export interface DrainDeps {
  outbox: OutboxRepo;
  api: NotifyApi;
  logger: Logger;
  /** Chat ids (decimal text, the Bot API accepts it; no lossy number) to notify about a chat. */
  recipients(chatId: bigint | null): string[];
  names: Names;
  recentJoins: RecentJoins;
  raids: RaidDetector;
  digests: DigestScheduler;
  throttle: AlertThrottle;
  nowMs(): number;
  batchSize: number;
  /** Parts already sent to a recipient, so a retry after a partial failure does not repeat them. */
  sentParts: Set<string>;
}

export interface DrainReport {
  read: number;
  messages: number;
  delivered: number;
  heldBack: number;
  /** Set when a send failed transiently: the drain stopped, the rest waits for the next one. */
  failure?: { description: string; retryAfterSeconds?: number | undefined };
}

const MAX_ROUNDS = 20;

export async function drainOnce(deps: DrainDeps): Promise<DrainReport> {
  const report: DrainReport = { read: 0, messages: 0, delivered: 0, heldBack: 0 };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const rows = deps.outbox.undelivered(deps.batchSize);
    if (rows.length === 0) break;
    report.read += rows.length;
    const plan = planNotifications(rows.map(parseEvent), deps, deps.nowMs());
    report.heldBack = plan.heldBack;
    for (const n of plan.notifications) {
      const failure = await deliver(deps, n);
      if (failure !== undefined) return { ...report, failure };
      report.messages++;
      acknowledge(deps, n.eventIds, report);
      n.onSent(deps.nowMs());
    }
    acknowledge(deps, plan.silentIds, report);
    // Held-back requests sit at the head of the outbox: reading again would only see them again.
    if (plan.heldBack > 0 || rows.length < deps.batchSize) break;
  }
  return report;
}

function acknowledge(deps: DrainDeps, ids: readonly number[], report: DrainReport): void {
  if (ids.length === 0) return;
  deps.outbox.markDelivered(ids, Math.floor(deps.nowMs() / 1000));
  report.delivered += ids.length;
}

async function deliver(deps: DrainDeps, n: Notification): Promise<DrainReport['failure']> {
  const to = deps.recipients(n.chatId);
  if (to.length === 0) deps.logger.debug({ notification: n.key }, 'no recipient configured for a notification; dropped');
  for (const chatId of to) {
    for (const [index, part] of n.parts.entries()) {
      const partKey = `${n.key}|${chatId}|${index}`;
      if (deps.sentParts.has(partKey)) continue;
      const outcome = await sendHtml(deps.api, chatId, part);
      if (outcome.ok) {
        deps.sentParts.add(partKey);
        continue;
      }
      if (!outcome.permanent) {
        deps.logger.warn({ notification: n.key, error: outcome.description }, 'notification not sent; will retry');
        return { description: outcome.description, retryAfterSeconds: outcome.retryAfterSeconds };
      }
      deps.logger.error({ notification: n.key, error: outcome.description }, 'notification refused for this recipient; skipped');
      break;
    }
  }
  for (const chatId of to) for (let i = 0; i < n.parts.length; i++) deps.sentParts.delete(`${n.key}|${chatId}|${i}`);
  return undefined;
}
