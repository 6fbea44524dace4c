/**
 * /healthz: is this process doing its job? Each part it runs is judged against its own settings:
 * - sync: every watched chat finished a sync that stored its progress (ok or partial) within
 *   twice the longest gap of SYNC_CRON, plus the longest a cycle may take under the call budget
 *   (SYNC_MAX_CALLS_PER_CYCLE / SYNC_MAX_CALLS_PER_MINUTE minutes), plus a minute; and Telegram
 *   has not revoked the session;
 * - bot: grammY is polling and getUpdates answered within the last 90 s (a long poll returns
 *   at least every 30 s);
 * - notifications: the oldest undelivered event is younger than the digest interval plus two
 *   notifier rounds plus 5 minutes (room for a 429 pause).
 * A chat never synced yet is fine while the process is younger than the sync limit.
 */
export interface SyncHealthInput {
  chats: ReadonlyArray<{ chat: string; title: string | null; lastSuccessAt: number | null }>;
  limitSeconds: number;
  sessionRevoked: boolean;
}

export interface HealthInput {
  nowMs: number;
  startedAtMs: number;
  sync?: SyncHealthInput | undefined;
  bot?: { running: boolean; lastAnswerAtMs: number; limitSeconds: number } | undefined;
  notifications?: { oldestUndeliveredAt: number | null; limitSeconds: number } | undefined;
}

export interface HealthReport {
  status: 'ok' | 'failing';
  /** One sentence per failing check; empty when healthy. */
  problems: string[];
  checks: Record<string, unknown>;
}

export const BOT_POLL_LIMIT_SECONDS = 90;
const GRACE_SECONDS = 60;
const NOTIFY_SLACK_SECONDS = 300;

export function syncLimitSeconds(o: { cronGapSeconds: number; maxCallsPerCycle: number; maxCallsPerMinute: number }): number {
  return 2 * o.cronGapSeconds + Math.ceil(o.maxCallsPerCycle / o.maxCallsPerMinute) * 60 + GRACE_SECONDS;
}

export function notifyLimitSeconds(o: { digestIntervalSeconds: number; notifyIntervalSeconds: number }): number {
  return o.digestIntervalSeconds + 2 * o.notifyIntervalSeconds + NOTIFY_SLACK_SECONDS;
}

export function assessHealth(h: HealthInput): HealthReport {
  const now = h.nowMs / 1000;
  const problems: string[] = [];
  const checks: Record<string, unknown> = {};
  if (h.sync) {
    const s = h.sync;
    const uptime = now - h.startedAtMs / 1000;
    const chats = s.chats.map((c) => {
      const age = c.lastSuccessAt === null ? null : Math.max(0, Math.round(now - c.lastSuccessAt));
      const ok = age === null ? uptime <= s.limitSeconds : age <= s.limitSeconds;
      const name = c.title ? `${c.title} (${c.chat})` : c.chat;
      if (!ok) problems.push(age === null ? `${name} has not synced successfully since joinwatch started ${duration(uptime)} ago` : `${name} last synced successfully ${duration(age)} ago, more than the ${duration(s.limitSeconds)} its schedule allows`);
      return { chat: c.chat, title: c.title, ok, lastSuccessAt: c.lastSuccessAt === null ? null : new Date(c.lastSuccessAt * 1000).toISOString(), ageSeconds: age };
    });
    if (s.sessionRevoked) problems.push('Telegram revoked the userbot session: syncing stopped; run `joinwatch login` and restart');
    checks.session = { ok: !s.sessionRevoked, revoked: s.sessionRevoked };
    checks.sync = { ok: chats.every((c) => c.ok), limitSeconds: s.limitSeconds, chats };
  }
  if (h.bot) {
    const b = h.bot;
    const age = Math.max(0, Math.round(now - b.lastAnswerAtMs / 1000));
    const ok = b.running && age <= b.limitSeconds;
    if (!b.running) problems.push('the bot stopped polling Telegram for updates');
    else if (!ok) problems.push(`the Bot API has not answered the bot's polling for ${duration(age)}`);
    checks.botPolling = { ok, running: b.running, lastAnswerAgeSeconds: age, limitSeconds: b.limitSeconds };
  }
  if (h.notifications) {
    const n = h.notifications;
    const age = n.oldestUndeliveredAt === null ? 0 : Math.max(0, Math.round(now - n.oldestUndeliveredAt));
    const ok = age <= n.limitSeconds;
    if (!ok) problems.push(`the oldest undelivered notification is ${duration(age)} old (limit ${duration(n.limitSeconds)})`);
    checks.notifications = { ok, oldestUndeliveredAgeSeconds: age, limitSeconds: n.limitSeconds };
  }
  return { status: problems.length === 0 ? 'ok' : 'failing', problems, checks };
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}
