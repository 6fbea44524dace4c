/**
 * Turns one batch of outbox events into the notifications to send: a digest per chat whose digest
 * is due, a raid alert per burst, one alerts message per chat for link and sync problems. Every
 * notification names the outbox ids it accounts for; events that need no message (joins, resolved
 * requests, unknown kinds) are "silent" and acknowledged once the batch's sends succeeded.
 */
import type { Texts } from '../bot/i18n/texts.js';
import type { DigestScheduler, RequestEvent } from './digest.js';
import { digestKeyboard, type InlineKeyboardJson } from './digest-buttons.js';
import type { JoinItem, NotifyEvent } from './events.js';
import { alertsMessage, digestMessage, raidMessage, type Names } from './messages.js';
import type { JoinSample, RaidDetector } from './raid-detector.js';
import type { AlertThrottle } from './throttle.js';

export interface Notification {
  /** Stable across retries of the same events: used to avoid resending parts already sent. */
  key: string;
  /** Outbox ids this message accounts for: marked delivered once it was sent. */
  eventIds: number[];
  /** Whose admins receive it; null: global (session, sync without a chat). */
  chatId: bigint | null;
  parts: string[];
  /** Buttons under the last part (a short digest's Approve / Decline). */
  keyboard?: InlineKeyboardJson;
  /** Updates the in-memory schedulers; called only after a successful send. */
  onSent(nowMs: number): void;
}

export interface Plan {
  notifications: Notification[];
  silentIds: number[];
  /** Requests of chats whose digest is not due yet: left in the outbox on purpose. */
  heldBack: number;
  /** When the earliest held-back digest becomes due (ms): the notifier drains again then. */
  nextDueAtMs?: number;
}

type AlertEvent = Extract<NotifyEvent, { type: 'link_near_limit' | 'link_expiring' | 'sync_failed' | 'session_revoked' }>;

/** A link's joins dated at or after a time (the store's), for pages whose event carries no joins. */
export type RecentJoins = (chatId: bigint, link: string, sinceUnix: number) => readonly JoinItem[];

export interface PlanDeps {
  /** The recipient's language (drain.ts: the target chat's setting). */
  texts: Texts;
  names: Names;
  recentJoins: RecentJoins;
  /** Is this request still pending in the store? A digest never lists one decided meanwhile. */
  stillPending: (chatId: bigint, userId: bigint) => boolean;
  raids: RaidDetector;
  digests: DigestScheduler;
  /** Repeats of the same sync failure are acknowledged quietly for a while. */
  throttle: AlertThrottle;
}

export function planNotifications(events: readonly NotifyEvent[], deps: PlanDeps, nowMs: number): Plan {
  const requests: RequestEvent[] = [];
  const alerts = new Map<bigint | null, AlertEvent[]>();
  const silentIds: number[] = [];
  const joins: JoinSample[] = [];
  const recentSince = deps.raids.recentSince(Math.floor(nowMs / 1000));
  for (const e of events) {
    if (e.type === 'requests') {
      const open = e.requests.filter((r) => deps.stillPending(e.chatId, r.userId));
      if (open.length === 0) silentIds.push(e.id);
      for (const r of open) requests.push({ ...r, id: e.id, chatId: e.chatId, createdAt: e.createdAt });
    } else if (e.type === 'joins') {
      joins.push(...raidSamples(e, recentSince, deps.recentJoins));
      silentIds.push(e.id);
    } else if (e.type === 'other') silentIds.push(e.id);
    else if (e.type === 'sync_failed' && deps.throttle.isQuiet(throttleKey(e), nowMs)) silentIds.push(e.id);
    else {
      const chatId = e.type === 'session_revoked' ? null : e.chatId;
      alerts.set(chatId, [...(alerts.get(chatId) ?? []), e]);
    }
  }
  const notifications: Notification[] = [];
  const nowUnix = Math.floor(nowMs / 1000);
  for (const finding of deps.raids.detect(joins, nowUnix)) {
    notifications.push({
      key: `raid:${finding.chatId}:${finding.link ?? '*'}:${finding.windowStart}`,
      eventIds: [],
      chatId: finding.chatId,
      parts: raidMessage(deps.texts, finding, deps.names),
      onSent: () => deps.raids.confirm(finding, nowUnix),
    });
  }
  let heldBack = 0;
  const due = new Set<bigint>();
  for (const batch of deps.digests.due(requests, nowMs)) {
    due.add(batch.chatId);
    const ids = [...new Set(requests.filter((r) => r.chatId === batch.chatId).map((r) => r.id))];
    const keyboard = digestKeyboard(deps.texts, batch.chatId, batch.requests, deps.names);
    notifications.push({
      key: `digest:${ids.join(',')}`,
      eventIds: ids,
      chatId: batch.chatId,
      parts: digestMessage(deps.texts, batch.chatId, batch.requests, deps.names),
      ...(keyboard ? { keyboard } : {}),
      onSent: (at) => deps.digests.markSent(batch.chatId, at),
    });
  }
  for (const r of requests) if (!due.has(r.chatId)) heldBack++;
  const nextDueAtMs = deps.digests.nextDueAt();
  for (const [chatId, list] of alerts) {
    const ids = list.map((a) => a.id);
    const onSent = (at: number) => {
      for (const a of list) if (a.type === 'sync_failed') deps.throttle.markSent(throttleKey(a), at);
    };
    notifications.push({ key: `alerts:${ids.join(',')}`, eventIds: ids, chatId, parts: alertsMessage(deps.texts, chatId, uniqueFailures(list), deps.names), onSent });
  }
  return { notifications, silentIds, heldBack, ...(nextDueAtMs !== undefined ? { nextDueAtMs } : {}) };
}

/**
 * The joins of a page that may be part of a raid: recent by their own dates (a new link is paged as
 * a backfill, yet its last two minutes are news; a backfill of last year is not), and not approved
 * by an admin (an "approve all" is a decision, not a raid).
 */
function raidSamples(e: Extract<NotifyEvent, { type: 'joins' }>, sinceUnix: number, recentJoins: RecentJoins): JoinSample[] {
  let items: readonly JoinItem[] = e.joins;
  if (e.backfill) items = e.newest !== null && e.newest >= sinceUnix ? recentJoins(e.chatId, e.link, sinceUnix) : [];
  return items.filter((j) => j.approvedBy === null && j.date >= sinceUnix).map((j) => ({ chatId: e.chatId, link: e.link, userId: j.userId, date: j.date }));
}

function throttleKey(e: Extract<NotifyEvent, { type: 'sync_failed' }>): string {
  return `${e.chatId ?? '*'}|${e.error}`;
}

/** Several cycles' identical failures read in one batch make one line, not one line each. */
function uniqueFailures(list: readonly AlertEvent[]): AlertEvent[] {
  const seen = new Set<string>();
  return list.filter((a) => {
    if (a.type !== 'sync_failed') return true;
    const key = throttleKey(a);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
