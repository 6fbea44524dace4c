/**
 * One drain of the outbox, recipient by recipient: each reads the events it has not had yet, plans
 * its own notifications (its own digest clock, raid memory and throttle), sends them, and records
 * per event that it got them, only after the message carrying them was sent. An event is delivered
 * (to everyone) once each recipient has it. So a recipient that failed hears later of everything it
 * missed, and one that did not is never told twice (a digest is never "the same key, more content").
 * A transient failure (network, 429) stops that recipient's drain; a refusal (the bot was removed,
 * blocked, may not post) keeps its events, is reported once, and is retried now and then.
 */
import type { Logger } from 'pino';
import type { Texts } from '../bot/i18n/texts.js';
import type { NotifyTargetsRepo, OutboxRepo } from '../store/index.js';
import type { DigestScheduler } from './digest.js';
import { parseEvent } from './events.js';
import { refusalMessage, type Names } from './messages.js';
import { planNotifications, type Notification, type PlanDeps } from './plan.js';
import type { RaidDetector } from './raid-detector.js';
import type { AlertThrottle } from './throttle.js';
import { sendHtml, type NotifyApi, type SendOutcome } from './send.js';

/** What one recipient's plans remember between drains. */
export interface RecipientState {
  raids: RaidDetector;
  digests: DigestScheduler;
  throttle: AlertThrottle;
}

export interface DrainDeps extends Omit<PlanDeps, 'raids' | 'digests' | 'throttle' | 'texts'> {
  outbox: OutboxRepo;
  targets: NotifyTargetsRepo;
  api: NotifyApi;
  logger: Logger;
  /** Chat ids (decimal text, the Bot API accepts it; no lossy number) that get every notification. */
  recipients(): string[];
  /** Whom to tell that `recipient` refuses (the admins who can be reached privately). */
  reporters(recipient: string): string[];
  stateOf(recipient: string): RecipientState;
  /** The language a recipient reads: its chat's /language choice, else (a person) their app's, else English. */
  textsFor(recipient: string): Texts;
  names: Names;
  nowMs(): number;
  batchSize: number;
  /** How long a refusing target is left alone before the next try. */
  refusedRetryMs: number;
  /** Parts already sent to a recipient, so a retry after a partial failure does not repeat them. */
  sentParts: Set<string>;
}

export interface DrainReport {
  read: number;
  messages: number;
  delivered: number;
  heldBack: number;
  /** When the earliest held-back digest becomes due (ms since the epoch), if one was held back. */
  nextDueAtMs?: number;
  /** Set when a send failed transiently: that recipient's drain stopped, the rest waits for the next one. */
  failure?: { description: string; retryAfterSeconds?: number | undefined };
  /** Recipients that refuse notifications (their events are kept). */
  refused?: string[];
}

const MAX_ROUNDS = 20;

export async function drainOnce(deps: DrainDeps): Promise<DrainReport> {
  const report: DrainReport = { read: 0, messages: 0, delivered: 0, heldBack: 0 };
  const recipients = deps.recipients();
  if (recipients.length === 0) return dropAll(deps, report);
  const touched = new Set<number>();
  for (const recipient of recipients) {
    const target = deps.targets.get(recipient);
    if (target && deps.nowMs() < target.nextTryAt * 1000) {
      (report.refused ??= []).push(recipient);
      continue;
    }
    await drainFor(deps, recipient, report, touched);
  }
  deps.outbox.completeFor(recipients, [...touched], unix(deps));
  return report;
}

async function drainFor(deps: DrainDeps, recipient: string, report: DrainReport, touched: Set<number>): Promise<void> {
  const plans: PlanDeps = { ...deps, ...deps.stateOf(recipient), texts: deps.textsFor(recipient) };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const rows = deps.outbox.undeliveredFor(recipient, deps.batchSize);
    if (rows.length === 0) break;
    report.read += rows.length;
    const plan = planNotifications(rows.map(parseEvent), plans, deps.nowMs());
    report.heldBack += plan.heldBack;
    if (plan.nextDueAtMs !== undefined) report.nextDueAtMs = Math.min(report.nextDueAtMs ?? plan.nextDueAtMs, plan.nextDueAtMs);
    for (const n of plan.notifications) {
      const outcome = await sendParts(deps, recipient, n);
      if (!outcome.ok && !outcome.permanent) {
        deps.logger.warn({ recipient, notification: n.key, error: outcome.description }, 'notification not sent; will retry');
        report.failure ??= { description: outcome.description, retryAfterSeconds: outcome.retryAfterSeconds };
        return;
      }
      if (!outcome.ok) {
        await refused(deps, recipient, outcome.description);
        (report.refused ??= []).push(recipient);
        return;
      }
      accepted(deps, recipient);
      report.messages++;
      acknowledge(deps, recipient, n.eventIds, report, touched);
      n.onSent(deps.nowMs());
    }
    acknowledge(deps, recipient, plan.silentIds, report, touched);
    // Held-back requests sit at the head of the outbox: reading again would only see them again.
    if (plan.heldBack > 0 || rows.length < deps.batchSize) break;
  }
}

async function sendParts(deps: DrainDeps, recipient: string, n: Notification): Promise<SendOutcome> {
  for (const [index, part] of n.parts.entries()) {
    const partKey = `${recipient}|${n.key}|${index}`;
    if (deps.sentParts.has(partKey)) continue;
    const outcome = await sendHtml(deps.api, recipient, part, index === n.parts.length - 1 ? n.keyboard : undefined);
    if (!outcome.ok) return outcome;
    deps.sentParts.add(partKey);
  }
  for (let i = 0; i < n.parts.length; i++) deps.sentParts.delete(`${recipient}|${n.key}|${i}`);
  return { ok: true };
}

function acknowledge(deps: DrainDeps, recipient: string, ids: readonly number[], report: DrainReport, touched: Set<number>): void {
  if (ids.length === 0) return;
  deps.outbox.markDeliveredTo(recipient, ids, unix(deps));
  for (const id of ids) touched.add(id);
  report.delivered += ids.length;
}

/** The target refused: keep its events, say so once (log + reachable admins), try again later. */
export async function refused(deps: DrainDeps, recipient: string, reason: string): Promise<void> {
  const now = unix(deps);
  const before = deps.targets.get(recipient);
  deps.targets.refused(recipient, reason, now, now + Math.ceil(deps.refusedRetryMs / 1000));
  if (before?.reportedAt != null) {
    deps.logger.debug({ recipient, reason }, 'notification target still refuses');
    return;
  }
  deps.logger.error({ recipient, reason }, `cannot send notifications to ${recipient}: they are kept and will be sent once it accepts`);
  for (const admin of deps.reporters(recipient)) {
    if (admin === recipient || deps.targets.get(admin) !== undefined) continue;
    const sent = await sendHtml(deps.api, admin, refusalMessage(deps.textsFor(admin), recipient, reason));
    if (!sent.ok) deps.logger.warn({ recipient: admin, error: sent.description }, 'could not tell an admin that notifications are refused');
  }
  deps.targets.reported(recipient, now);
}

function accepted(deps: DrainDeps, recipient: string): void {
  if (deps.targets.cleared(recipient)) deps.logger.info({ recipient }, 'notifications reach this target again; what waited is being sent');
}

/** Nobody to notify (neither NOTIFY_CHAT_ID nor ADMIN_IDS; warned at start): nothing can wait for anyone. */
function dropAll(deps: DrainDeps, report: DrainReport): DrainReport {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const ids = deps.outbox.undelivered(deps.batchSize).map((e) => e.id);
    if (ids.length === 0) break;
    deps.outbox.markDelivered(ids, unix(deps));
    report.read += ids.length;
    report.delivered += ids.length;
  }
  return report;
}

function unix(deps: DrainDeps): number {
  return Math.floor(deps.nowMs() / 1000);
}
