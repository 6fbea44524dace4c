/**
 * Anti-raid: a burst of joins on one link (or one chat) that is far above its usual rate. A raid is
 * `count >= minJoins` joins inside `windowSeconds`, and at least `factor` times what the previous
 * `baselineDays` would predict for a window that long. Only recent joins count (`maxAgeSeconds`,
 * by the joins' own dates), so a backfill of old history never alarms while a burst through a
 * link created minutes ago does; joins an admin approved are decisions and never count (plan.ts); and a key that alerted stays quiet for a window
 * unless its burst doubles, so a long raid gives a few alerts, not one per drain. The window of
 * recent joins and the alerts given are in the database (the recipient's memory): a raid that
 * straddles a restart is still one raid, and an alerted one is not alerted again.
 */
import type { RecipientMemory } from './memory.js';

export interface RaidThresholds {
  windowSeconds: number;
  minJoins: number;
  factor: number;
  baselineDays: number;
  maxAgeSeconds: number;
}

export const DEFAULT_RAID_THRESHOLDS: RaidThresholds = {
  windowSeconds: 600,
  minJoins: 20,
  factor: 5,
  baselineDays: 7,
  maxAgeSeconds: 3600,
};

export interface JoinSample {
  chatId: bigint;
  /** null: a join without a link (public username, folder); it counts for the chat only. */
  link: string | null;
  userId: bigint;
  date: number;
}

export interface RaidFinding {
  chatId: bigint;
  /** null when the burst is chat-wide (spread over links) rather than on one link. */
  link: string | null;
  count: number;
  windowStart: number;
  windowEnd: number;
  /** Joins the baseline predicts for a window of this length. */
  expected: number;
}

/** Joins the store holds for the key in `[fromUnix, toUnix)`; `link` null = the whole chat. */
export type BaselineCount = (chatId: bigint, link: string | null, fromUnix: number, toUnix: number) => number;

interface Burst {
  count: number;
  start: number;
  end: number;
}

/** The window of `windowSeconds` holding the most dates (dates sorted ascending). */
export function densestWindow(sortedDates: readonly number[], windowSeconds: number): Burst {
  let best: Burst = { count: 0, start: 0, end: 0 };
  let lo = 0;
  for (let hi = 0; hi < sortedDates.length; hi++) {
    const end = sortedDates[hi]!;
    while (end - sortedDates[lo]! >= windowSeconds) lo++;
    const count = hi - lo + 1;
    if (count > best.count) best = { count, start: sortedDates[lo]!, end };
  }
  return best;
}

export class RaidDetector {
  constructor(
    private readonly thresholds: RaidThresholds,
    private readonly baseline: BaselineCount,
    /** Recent joins across drains (a raid can straddle two sync cycles) and the alerts given. */
    private readonly memory: RecipientMemory,
  ) {}

  /**
   * Adds `joins` to the recent window and returns the raids in it as of `nowUnix`, leaving out
   * bursts already alerted (see `confirm`).
   */
  detect(joins: readonly JoinSample[], nowUnix: number): RaidFinding[] {
    const findings: RaidFinding[] = [];
    const raidedChats = new Set<bigint>();
    const since = nowUnix - this.thresholds.maxAgeSeconds;
    this.memory.addSamples(joins.filter((j) => j.date >= since));
    const byKey = groupByKey(this.memory.samplesSince(since));
    // Links first: a chat-wide alert is only worth it when no single link explains the burst.
    for (const [key, group] of [...byKey].sort(([, a], [, b]) => Number(a.link === null) - Number(b.link === null))) {
      if (group.link === null && raidedChats.has(group.chatId)) continue;
      const finding = this.check(group.chatId, group.link, group.dates);
      if (finding === undefined) continue;
      raidedChats.add(group.chatId);
      if (!this.isRepeat(key, finding, nowUnix)) findings.push(finding);
    }
    this.forget(nowUnix);
    return findings;
  }

  /** Joins older than this are history, never part of a raid. */
  recentSince(nowUnix: number): number {
    return nowUnix - this.thresholds.maxAgeSeconds;
  }

  /** The alert for `finding` goes out now (recorded with the message, before its first send). */
  confirm(finding: RaidFinding, nowUnix: number): void {
    this.memory.set('raid', keyOf(finding.chatId, finding.link), nowUnix * 1000, finding.count);
  }

  private check(chatId: bigint, link: string | null, dates: number[]): RaidFinding | undefined {
    const t = this.thresholds;
    const burst = densestWindow(dates, t.windowSeconds);
    if (burst.count < t.minJoins) return undefined;
    const baselineSeconds = t.baselineDays * 86_400;
    const before = this.baseline(chatId, link, burst.start - baselineSeconds, burst.start);
    const expected = (before * t.windowSeconds) / baselineSeconds;
    if (burst.count < t.factor * expected) return undefined;
    return { chatId, link, count: burst.count, windowStart: burst.start, windowEnd: burst.end, expected };
  }

  private isRepeat(key: string, finding: RaidFinding, nowUnix: number): boolean {
    const last = this.memory.get('raid', key);
    if (last === undefined || nowUnix - last.atMs / 1000 >= this.thresholds.windowSeconds) return false;
    return finding.count < (last.count ?? 0) * 2;
  }

  private forget(nowUnix: number): void {
    this.memory.forget('raid', (nowUnix - this.thresholds.maxAgeSeconds) * 1000);
  }
}

interface Group {
  chatId: bigint;
  link: string | null;
  dates: number[];
}

/** Joins grouped per (chat, link) and per chat (`|*`), dates sorted ascending. */
function groupByKey(joins: Iterable<JoinSample>): Map<string, Group> {
  const groups = new Map<string, Group>();
  const add = (key: string, chatId: bigint, link: string | null, date: number) => {
    const g = groups.get(key) ?? { chatId, link, dates: [] };
    g.dates.push(date);
    groups.set(key, g);
  };
  for (const j of joins) {
    if (j.link !== null) add(keyOf(j.chatId, j.link), j.chatId, j.link, j.date);
    add(keyOf(j.chatId, null), j.chatId, null, j.date);
  }
  for (const g of groups.values()) g.dates.sort((a, b) => a - b);
  return groups;
}

function keyOf(chatId: bigint, link: string | null): string {
  return `${chatId}|${link ?? '*'}`;
}
