/**
 * Scripted activity for the demo and the notification tests: joins and join requests arriving at a
 * steady rate on a chat's links, and a burst (a raid) on one link. Deterministic for a seed;
 * `step(seconds)` advances it by hand (tests), `start()` runs it on a timer (demo).
 */
import { randomName, rng } from './generate-scenario.js';
import type { World, WorldLink } from './world.js';

export interface ActivityOptions {
  world: World;
  chatId: bigint;
  joinsPerMinute?: number;
  requestsPerMinute?: number;
  /** A raid: `count` joins on `link` (default: the busiest open link) spread over `withinSeconds`, starting after `afterSeconds`. */
  burst?: { link?: string; count: number; withinSeconds: number; afterSeconds?: number };
  seed?: number;
  /** Timer granularity for start(). Default 1000 ms. */
  tickMs?: number;
  /** First id for generated users. Default 20,000,000 (above the generator's range). */
  firstUserId?: bigint;
}

export interface Activity {
  /** Simulates `seconds` of activity now; returns what it added. */
  step(seconds: number): { joins: number; requests: number };
  start(): void;
  stop(): void;
  stats(): { joins: number; requests: number; burstJoins: number };
}

export function createActivity(o: ActivityOptions): Activity {
  const { world, chatId } = o;
  if (!world.chat(chatId)) throw new Error(`activity: unknown chat ${chatId}`);
  const r = rng(o.seed ?? 7);
  let nextId = o.firstUserId ?? 20_000_000n;
  let elapsed = 0;
  let joinCredit = 0;
  let requestCredit = 0;
  const totals = { joins: 0, requests: 0, burstJoins: 0 };
  let timer: NodeJS.Timeout | undefined;

  const open = (): WorldLink[] => world.links(chatId, { revoked: false }).filter((l) => !l.expireDate || l.expireDate > world.now());
  const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(r() * xs.length)];
  const newUser = (): bigint => {
    while (world.user(nextId)) nextId++;
    const id = nextId++;
    world.addUser({ id, ...randomName(r), ...(r() < 0.5 ? { username: `act_${id.toString(36)}` } : {}) });
    return id;
  };
  const burstLink = (): string | undefined =>
    o.burst?.link ?? open().filter((l) => !l.requestNeeded).sort((a, b) => world.usage(b.link) - world.usage(a.link))[0]?.link;

  function step(seconds: number): { joins: number; requests: number } {
    const from = elapsed;
    elapsed += seconds;
    // Credits count in 1/60 units (events per minute x seconds) so integer rates never drift.
    joinCredit += (o.joinsPerMinute ?? 6) * seconds;
    requestCredit += (o.requestsPerMinute ?? 2) * seconds;
    let joins = 0;
    let requests = 0;
    const links = open();
    for (; joinCredit >= 60; joinCredit -= 60, joins++) {
      const link = pick(links.filter((l) => !l.requestNeeded));
      world.addJoin(chatId, { userId: newUser(), link: link?.link ?? null });
    }
    for (; requestCredit >= 60; requestCredit -= 60, requests++) {
      const link = pick(links.filter((l) => l.requestNeeded));
      world.addRequest(chatId, { userId: newUser(), link: link && r() < 0.8 ? link.link : null, ...(r() < 0.3 ? { about: 'saw the ad' } : {}) });
    }
    joins += stepBurst(from, elapsed);
    totals.joins += joins;
    totals.requests += requests;
    return { joins, requests };
  }

  /** Burst joins due in (from, to]: linear over its window. */
  function stepBurst(from: number, to: number): number {
    const b = o.burst;
    if (!b) return 0;
    const begin = b.afterSeconds ?? 0;
    const due = (t: number): number => Math.min(b.count, Math.max(0, Math.floor(((t - begin) / Math.max(1, b.withinSeconds)) * b.count)));
    const n = due(to) - due(from);
    const link = n > 0 ? burstLink() : undefined;
    for (let i = 0; i < n; i++) world.addJoin(chatId, { userId: newUser(), link: link ?? null });
    totals.burstJoins += n;
    return n;
  }

  return {
    step,
    start() {
      if (timer) return;
      const tick = o.tickMs ?? 1000;
      timer = setInterval(() => step(tick / 1000), tick);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    stats: () => ({ ...totals }),
  };
}
