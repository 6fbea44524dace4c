import { describe, expect, it } from 'vitest';
import { createActivity } from '../../src/sandbox/activity.js';
import { generateScenario, generateWorld } from '../../src/sandbox/generate-scenario.js';
import { World, type WorldImporter } from '../../src/sandbox/world.js';
import { pageAll as pageAllOf } from './world-paging.js';

const CHAT = 1700000001n;
const PARAMS = { chats: 2, linksPerChat: 12, joins: 3000, hotLinkShare: 0.5, pending: 150, burst: 250, seed: 42 };

function pageAll(w: World, link: string | null, requested: boolean, limit: number): WorldImporter[] {
  return pageAllOf(w, CHAT, { link, requested, limit });
}

describe('scenario generator', () => {
  it('is deterministic and its JSON form is a valid scenario equal to the direct world', () => {
    const a = generateWorld(PARAMS);
    const b = World.fromScenario(JSON.parse(JSON.stringify(generateScenario(PARAMS))));
    for (const w of [a, b]) {
      expect(w.chats()).toHaveLength(2);
      expect(w.links(CHAT)).toHaveLength(12);
      expect(w.pendingCount(CHAT)).toBe(150);
    }
    expect(a.links(CHAT).map((l) => [l.link, a.usage(l.link), a.requested(l.link)])).toEqual(b.links(CHAT).map((l) => [l.link, b.usage(l.link), b.requested(l.link)]));
    expect(generateWorld(PARAMS).links(CHAT).map((l) => l.link)).toEqual(a.links(CHAT).map((l) => l.link));
  });

  it('puts the exact hot share on one link, with a burst at one second and tricky names', () => {
    const w = generateWorld(PARAMS);
    const usages = w.links(CHAT).map((l) => w.usage(l.link)).sort((x, y) => y - x);
    expect(usages[0]).toBe(1500);
    const hot = w.links(CHAT).find((l) => w.usage(l.link) === 1500)!;
    const rows = pageAll(w, hot.link, false, 100);
    const perDate = new Map<number, number>();
    for (const r of rows) perDate.set(r.date, (perDate.get(r.date) ?? 0) + 1);
    expect(Math.max(...perDate.values())).toBeGreaterThanOrEqual(250);
    const names = w.users().map((u) => u.firstName);
    expect(names.some((n) => /[А-я]/.test(n))).toBe(true);
    expect(names.some((n) => n.includes('<'))).toBe(true);
    expect(w.links(CHAT).filter((l) => l.permanent)).toHaveLength(1);
    expect(w.links(CHAT, { revoked: true }).length).toBeGreaterThanOrEqual(0);
  });

  it('pages the hot link and the pending list to the end without skipping or repeating', () => {
    const w = generateWorld(PARAMS);
    const hot = w.links(CHAT).sort((x, y) => w.usage(y.link) - w.usage(x.link))[0]!;
    for (const limit of [100, 33]) {
      const rows = pageAll(w, hot.link, false, limit);
      expect(rows).toHaveLength(1500);
      expect(new Set(rows.map((r) => r.userId)).size).toBe(1500);
    }
    const pending = pageAll(w, null, true, 7);
    expect(pending).toHaveLength(150);
    expect(new Set(pending.map((r) => r.userId)).size).toBe(150);
  });
});

describe('activity generator', () => {
  it('adds joins and requests at the configured rates and a burst on one link', () => {
    const w = generateWorld({ chats: 1, linksPerChat: 6, joins: 50, pending: 0, seed: 3 });
    const joins: WorldImporter[] = [];
    const requests: WorldImporter[] = [];
    w.on('join', (_c: bigint, r: WorldImporter) => joins.push(r));
    w.on('request', (_c: bigint, r: WorldImporter) => requests.push(r));
    const act = createActivity({ world: w, chatId: CHAT, joinsPerMinute: 12, requestsPerMinute: 6, burst: { count: 40, withinSeconds: 10, afterSeconds: 60 } });
    for (let i = 0; i < 120; i++) act.step(1);
    expect(act.stats()).toEqual({ joins: 24 + 40, requests: 12, leaves: 0, decisions: 0, burstJoins: 40 });
    expect(joins).toHaveLength(64);
    expect(requests).toHaveLength(12);
    const perLink = new Map<string | null, number>();
    for (const j of joins) perLink.set(j.link, (perLink.get(j.link) ?? 0) + 1);
    expect(Math.max(...perLink.values())).toBeGreaterThanOrEqual(40);
    expect(w.pendingCount(CHAT)).toBe(12);
  });

  it('starts the burst after afterSeconds on the given link, spread over its window, only on open links', () => {
    const w = generateWorld({ chats: 1, linksPerChat: 6, joins: 50, pending: 0, seed: 5 });
    const target = w.links(CHAT, { revoked: false }).find((l) => !l.requestNeeded && !l.permanent)!.link;
    const before = w.usage(target);
    const act = createActivity({ world: w, chatId: CHAT, joinsPerMinute: 0, requestsPerMinute: 0, burst: { link: target, count: 30, withinSeconds: 10, afterSeconds: 20 } });
    act.step(20);
    expect(act.stats().burstJoins).toBe(0);
    act.step(5);
    expect(act.stats().burstJoins).toBe(15);
    act.step(100);
    expect(act.stats()).toEqual({ joins: 30, requests: 0, leaves: 0, decisions: 0, burstJoins: 30 });
    expect(w.usage(target) - before).toBe(30);
    // Steady joins never land on a revoked or request-only link, requests never on a plain one.
    const rows: WorldImporter[] = [];
    w.on('join', (_c: bigint, r: WorldImporter) => rows.push(r));
    w.on('request', (_c: bigint, r: WorldImporter) => rows.push(r));
    createActivity({ world: w, chatId: CHAT, joinsPerMinute: 60, requestsPerMinute: 60, seed: 9 }).step(120);
    for (const r of rows) {
      const l = r.link ? w.link(r.link) : undefined;
      expect(l?.revoked ?? false).toBe(false);
      if (l) expect(l.requestNeeded).toBe(r.requested);
    }
    expect(rows.filter((r) => r.requested)).toHaveLength(120);
  });

  it('runs on a timer between start() and stop()', async () => {
    const w = generateWorld({ chats: 1, linksPerChat: 3, joins: 10, pending: 0, seed: 1 });
    const act = createActivity({ world: w, chatId: CHAT, joinsPerMinute: 6000, requestsPerMinute: 0, tickMs: 10 });
    act.start();
    await new Promise((r) => setTimeout(r, 120));
    act.stop();
    const joins = act.stats().joins;
    expect(joins).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(act.stats().joins).toBe(joins);
  });
});
