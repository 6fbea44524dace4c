/**
 * Scripted activity for the demo and the notification tests: joins and join requests arriving at a
 * steady rate on a chat's links, and a burst (a raid) on one link. With churn rates it also makes
 * members leave (some removed by an admin), people who left join again, other admins decide
 * pending requests in their own app, and declined people ask again. Deterministic for a seed;
 * `step(seconds)` advances it by hand (tests), `start()` runs it on a timer (demo).
 */
import { randomName, rng } from './generate-scenario.js';
import type { World, WorldLink } from './world.js';

export interface ActivityOptions {
  world: World;
  chatId: bigint;
  joinsPerMinute?: number;
  requestsPerMinute?: number;
  /** Members leaving per minute (default 0); `kickShare` of them are removed by an admin (default 0.2). */
  leavesPerMinute?: number;
  kickShare?: number;
  /** Share of new joins that are people who left coming back (default 0.3, when anyone left). */
  rejoinShare?: number;
  /** Pending requests decided per minute by another admin in their app (default 0); `approveShare` approved (0.6). */
  decisionsPerMinute?: number;
  approveShare?: number;
  /** Share of new requests that are declined people asking again (default 0.3, when anyone was declined). */
  reRequestShare?: number;
  /** A raid: `count` joins on `link` (default: the busiest open link) spread over `withinSeconds`, starting after `afterSeconds`. */
  burst?: { link?: string; count: number; withinSeconds: number; afterSeconds?: number };
  seed?: number;
  /** Timer granularity for start(). Default 1000 ms. */
  tickMs?: number;
  /** First id for generated users. Default 20,000,000 (above the generator's range). */
  firstUserId?: bigint;
}

export interface Activity {
  /** Simulates `seconds` of activity now; returns what it did. */
  step(seconds: number): StepTotals;
  start(): void;
  stop(): void;
  stats(): StepTotals & { burstJoins: number };
}

export interface StepTotals {
  joins: number;
  requests: number;
  leaves: number;
  decisions: number;
}

export function createActivity(o: ActivityOptions): Activity {
  const { world, chatId } = o;
  if (!world.chat(chatId)) throw new Error(`activity: unknown chat ${chatId}`);
  const r = rng(o.seed ?? 7);
  let nextId = o.firstUserId ?? 20_000_000n;
  let elapsed = 0;
  let joinCredit = 0;
  let requestCredit = 0;
  let leaveCredit = 0;
  let decisionCredit = 0;
  const totals = { joins: 0, requests: 0, leaves: 0, decisions: 0, burstJoins: 0 };
  /** People who left (may come back) and people declined (may ask again), oldest first. */
  const left: bigint[] = [];
  const declined: bigint[] = [];
  let timer: NodeJS.Timeout | undefined;

  const open = (): WorldLink[] => world.links(chatId, { revoked: false }).filter((l) => !l.expireDate || l.expireDate > world.now());
  const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(r() * xs.length)];
  const newUser = (): bigint => {
    while (world.user(nextId)) nextId++;
    const id = nextId++;
    world.addUser({ id, ...randomName(r), ...(r() < 0.5 ? { username: `act_${id.toString(36)}` } : {}) });
    return id;
  };
  /** Someone who left and is not back yet, or a new user. */
  const joiner = (): bigint => {
    const i = left.length > 0 && r() < (o.rejoinShare ?? 0.3) ? Math.floor(r() * left.length) : -1;
    return i < 0 ? newUser() : (left.splice(i, 1)[0] as bigint);
  };
  const requester = (): bigint => {
    const i = declined.length > 0 && r() < (o.reRequestShare ?? 0.3) ? Math.floor(r() * declined.length) : -1;
    if (i < 0) return newUser();
    const id = declined.splice(i, 1)[0] as bigint;
    return world.isMember(chatId, id) || world.pendingRequest(chatId, id) ? newUser() : id;
  };
  /** One of the newest members (joined through a link or not), never an admin. */
  const leaver = (): bigint | undefined => {
    const rows = world.importers(chatId, { requested: false, offsetDate: 0, offsetUser: 0n, limit: 100 }).rows;
    return pick(rows.filter((row) => !world.isAdmin(chatId, row.userId)))?.userId;
  };
  const otherAdmin = (): bigint => {
    const chat = world.chat(chatId)!;
    return chat.admins.find((a) => a !== world.self.id && a !== world.bot.id) ?? chat.ownerId;
  };
  const burstLink = (): string | undefined =>
    o.burst?.link ?? open().filter((l) => !l.requestNeeded).sort((a, b) => world.usage(b.link) - world.usage(a.link))[0]?.link;

  function step(seconds: number): StepTotals {
    const from = elapsed;
    elapsed += seconds;
    // Credits count in 1/60 units (events per minute x seconds) so integer rates never drift.
    joinCredit += (o.joinsPerMinute ?? 6) * seconds;
    requestCredit += (o.requestsPerMinute ?? 2) * seconds;
    leaveCredit += (o.leavesPerMinute ?? 0) * seconds;
    decisionCredit += (o.decisionsPerMinute ?? 0) * seconds;
    const done: StepTotals = { joins: 0, requests: 0, leaves: 0, decisions: 0 };
    const links = open();
    for (; leaveCredit >= 60; leaveCredit -= 60) {
      const userId = leaver();
      if (userId === undefined) continue;
      world.leave(chatId, userId, { kicked: r() < (o.kickShare ?? 0.2) });
      left.push(userId);
      done.leaves++;
    }
    for (; joinCredit >= 60; joinCredit -= 60, done.joins++) {
      const link = pick(links.filter((l) => !l.requestNeeded));
      world.addJoin(chatId, { userId: joiner(), link: link?.link ?? null });
    }
    for (; decisionCredit >= 60; decisionCredit -= 60) {
      const rows = world.importers(chatId, { requested: true, offsetDate: 0, offsetUser: 0n, limit: 100 }).rows;
      const req = pick(rows);
      if (!req) continue;
      const approved = r() < (o.approveShare ?? 0.6);
      world.resolveRequest(chatId, req.userId, approved, otherAdmin());
      if (!approved) declined.push(req.userId);
      done.decisions++;
    }
    for (; requestCredit >= 60; requestCredit -= 60, done.requests++) {
      const link = pick(links.filter((l) => l.requestNeeded));
      world.addRequest(chatId, { userId: requester(), link: link && r() < 0.8 ? link.link : null, ...(r() < 0.3 ? { about: 'saw the ad' } : {}) });
    }
    done.joins += stepBurst(from, elapsed);
    totals.joins += done.joins;
    totals.requests += done.requests;
    totals.leaves += done.leaves;
    totals.decisions += done.decisions;
    return done;
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
