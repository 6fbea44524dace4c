import { afterEach, describe, expect, it } from 'vitest';
import { recipientMemory } from '../../src/notify/memory.js';
import { RaidDetector as Detector, densestWindow, type BaselineCount, type JoinSample, type RaidThresholds } from '../../src/notify/raid-detector.js';
import { openStore, type Store } from '../../src/store/index.js';

// Each detector remembers in a database of its own (the notifier's memory, as in production).
const stores: Store[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));
class RaidDetector extends Detector {
  constructor(t: RaidThresholds, baseline: BaselineCount) {
    const store = openStore(':memory:');
    stores.push(store);
    super(t, baseline, recipientMemory(store.notifyMemory, 'recipient'));
  }
}

const CHAT = -1001700000001n;
const OTHER = -1001700000002n;
const LINK_A = 'https://t.me/+AAAAAAAAAAAA';
const LINK_B = 'https://t.me/+BBBBBBBBBBBB';
const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z
const T: RaidThresholds = { windowSeconds: 600, minJoins: 20, factor: 5, baselineDays: 7, maxAgeSeconds: 3600 };

function burst(chatId: bigint, link: string | null, n: number, start: number, step: number, firstUser = 1): JoinSample[] {
  return Array.from({ length: n }, (_, i) => ({ chatId, link, userId: BigInt(firstUser + i), date: start + i * step }));
}

describe('densestWindow', () => {
  it('finds the busiest window, end exclusive at windowSeconds', () => {
    expect(densestWindow([0, 10, 20, 700, 701, 702, 703], 600)).toEqual({ count: 4, start: 700, end: 703 });
    expect(densestWindow([0, 600], 600).count).toBe(1);
    expect(densestWindow([], 600).count).toBe(0);
  });
});

describe('RaidDetector', () => {
  it('flags 30 joins in 5 minutes on a link that usually gets 1 a day', () => {
    const d = new RaidDetector(T, () => 7); // 7 joins in 7 days before the burst
    const found = d.detect(burst(CHAT, LINK_A, 30, NOW - 300, 10), NOW);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ chatId: CHAT, link: LINK_A, count: 30, windowStart: NOW - 300, windowEnd: NOW - 10 });
    expect(found[0]!.expected).toBeCloseTo((7 * 600) / (7 * 86_400));
  });

  it('stays quiet below minJoins, or when the link is always this busy', () => {
    expect(new RaidDetector(T, () => 0).detect(burst(CHAT, LINK_A, 19, NOW - 300, 10), NOW)).toEqual([]);
    // 7 days at 10 joins/min: a window usually holds 6000; 30 is nothing.
    expect(new RaidDetector(T, () => 7 * 1440 * 10).detect(burst(CHAT, LINK_A, 30, NOW - 300, 10), NOW)).toEqual([]);
  });

  it('ignores old joins (a backfill of history is not a raid)', () => {
    expect(new RaidDetector(T, () => 0).detect(burst(CHAT, LINK_A, 50, NOW - 86_400, 5), NOW)).toEqual([]);
  });

  it('spreads over time do not trigger: 30 joins over 5 hours', () => {
    expect(new RaidDetector({ ...T, maxAgeSeconds: 86_400 }, () => 0).detect(burst(CHAT, LINK_A, 30, NOW - 18_000, 600), NOW)).toEqual([]);
  });

  it('reports a chat-wide burst spread over links only when no single link explains it', () => {
    const d = new RaidDetector(T, () => 0);
    const spread = [...burst(CHAT, LINK_A, 12, NOW - 200, 10, 1), ...burst(CHAT, LINK_B, 12, NOW - 200, 10, 100)];
    const found = d.detect(spread, NOW);
    expect(found.map((f) => [f.chatId, f.link, f.count])).toEqual([[CHAT, null, 24]]);
    const d2 = new RaidDetector(T, () => 0);
    const oneLink = [...burst(CHAT, LINK_A, 25, NOW - 200, 5, 1), ...burst(CHAT, LINK_B, 3, NOW - 200, 10, 100)];
    expect(d2.detect(oneLink, NOW).map((f) => f.link)).toEqual([LINK_A]);
  });

  it('keeps chats apart', () => {
    const d = new RaidDetector(T, () => 0);
    const found = d.detect([...burst(CHAT, LINK_A, 10, NOW - 100, 5, 1), ...burst(OTHER, LINK_A, 10, NOW - 100, 5, 50)], NOW);
    expect(found).toEqual([]);
  });

  it('sees a burst that straddles two drains, counts a re-read once, and repeats only after confirm', () => {
    const d = new RaidDetector(T, () => 0);
    const first = burst(CHAT, LINK_A, 12, NOW - 300, 10, 1);
    expect(d.detect(first, NOW - 150)).toEqual([]);
    expect(d.detect(first, NOW - 140)).toEqual([]); // the same events read again: still 12
    const found = d.detect(burst(CHAT, LINK_A, 12, NOW - 180, 10, 500), NOW);
    expect(found[0]?.count).toBe(24);
    expect(d.detect([], NOW + 10)).toHaveLength(1); // not confirmed (send failed): reported again
    d.confirm(found[0]!, NOW + 10);
    expect(d.detect([], NOW + 20)).toEqual([]);
    // The burst doubles: a new alert even inside the quiet window.
    expect(d.detect(burst(CHAT, LINK_A, 30, NOW - 100, 3, 1000), NOW + 30)[0]?.count).toBeGreaterThanOrEqual(48);
  });
});
