/**
 * Deterministic generator of big, realistic scenarios: many links per chat, one hot link holding
 * a share of the joins, runs of equal dates (pagination ties) and a burst at one second, pending
 * requests, and names that break careless code (Cyrillic, emoji, RTL marks, < & * _).
 * The same seed always gives the same world. The benchmark world (1,000,000 joins) is built
 * straight into a World (`generateWorld`), never through a 100 MB JSON; `generateScenario` gives
 * the JSON form for small worlds and fixtures.
 */
import { z } from 'zod';
import type { ScenarioInput } from './scenario.js';
import { World } from './world.js';

export interface GenerateParams {
  seed?: number;
  chats?: number;
  linksPerChat?: number;
  /** Joins per chat. */
  joins?: number;
  /** Share of a chat's joins on its first ("hot") link, 0..1. */
  hotLinkShare?: number;
  /** Pending requests per chat. */
  pending?: number;
  /** Probability that a row repeats the previous row's date (ties across page boundaries). */
  equalDateShare?: number;
  /** Rows sharing one single second on the hot link (a raid). */
  burst?: number;
  /** Share of users with non-ASCII or markup-like names. */
  trickyNameShare?: number;
  startDate?: number;
  spanSeconds?: number;
}

const count = z.number().int().nonnegative();
const share = z.number().min(0).max(1);
const paramsShape = {
  seed: count, chats: count, linksPerChat: count, joins: count, hotLinkShare: share, pending: count,
  equalDateShare: share, burst: count, trickyNameShare: share, startDate: count, spanSeconds: count,
} satisfies Record<keyof GenerateParams, z.ZodType>;
const paramsSchema = z.strictObject(paramsShape).partial();

/**
 * Validates generator parameters given as JSON (`joinwatch sandbox --generate '{…}'`); throws one
 * line naming the first bad field: counts are non-negative integers, shares lie in 0..1.
 */
export function parseGenerateParams(input: unknown): GenerateParams {
  const result = paramsSchema.safeParse(input);
  if (result.success) return result.data as GenerateParams;
  const issue = result.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    throw new Error(`unknown generator parameter ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; known: ${Object.keys(paramsShape).join(', ')}`);
  }
  const field = issue?.path[0];
  if (typeof field !== 'string') throw new Error('generator parameters must be a JSON object, e.g. {"chats":1,"joins":1000}');
  const want = paramsShape[field as keyof GenerateParams] === share ? 'a share from 0 to 1' : 'a non-negative integer';
  const got = (input as Record<string, unknown>)[field];
  throw new Error(`generator parameter ${field} must be ${want}, got ${JSON.stringify(got)}`);
}

/** The benchmark world of issue 3: 1 chat, 200 links, 1,000,000 joins (500,000 on one link), 20,000 pending. */
export const BENCH_PARAMS: GenerateParams = { chats: 1, linksPerChat: 200, joins: 1_000_000, hotLinkShare: 0.5, pending: 20_000 };
/**
 * The demo's world: a few chats, dozens of links, thousands of joins and requests. Its dates end
 * "now", so that per-day statistics over the last weeks have something to show.
 */
export function demoParams(nowSeconds = Math.floor(Date.now() / 1000)): GenerateParams {
  const day = 86_400;
  return { seed: 20260101, chats: 3, linksPerChat: 12, joins: 2500, pending: 400, hotLinkShare: 0.3, burst: 40, startDate: nowSeconds - 46 * day, spanSeconds: 45 * day };
}

const SELF = 7000001;
const BOT = 8000001;
const CO_ADMIN = 7000002;

const LATIN = ['Ann', 'Bob', 'Chen', 'Dana', 'Emil', 'Fatima', 'George', 'Hana', 'Ivo', 'Julia', 'Kofi', 'Lena', 'Marco', 'Nina', 'Omar', 'Priya'];
const LAST = ['Lee', 'Smith', 'García', 'Nguyen', 'Müller', "O'Brien", 'Rossi', undefined, undefined];
const TRICKY = [
  'Иван', 'Мария', 'Олег Петров', '😀 fan', '🚀 Rocket', '<b>Bold</b>', 'Tom & Jerry', '*star*', '_under_score_',
  '\u202Eevil', 'محمد', 'דוד', 'Zoë', '李雷', '&amp; literal', '`code`', '[link](x)',
];

/** Where generated rows go: straight into a World, or into a scenario object. */
interface Sink {
  user(id: number, firstName: string, lastName?: string, username?: string): void;
  chat(id: number, title: string, username: string | undefined): void;
  link(chatId: number, l: { hash: string; adminId: number; date: number; title?: string; permanent: boolean; revoked: boolean; requestNeeded: boolean }): void;
  join(chatId: number, j: { userId: number; hash: string | null; date: number; approvedBy?: number }): void;
  request(chatId: number, r: { userId: number; hash: string | null; date: number; about?: string }): void;
}

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A realistic (and sometimes hostile) display name, for generated users. */
export function randomName(r: () => number, trickyShare = 0.3): { firstName: string; lastName?: string } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const firstName = r() < trickyShare ? pick(TRICKY) : pick(LATIN);
  const lastName = pick(LAST);
  return lastName ? { firstName, lastName } : { firstName };
}

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function run(p: GenerateParams, sink: Sink): void {
  const r = rng(p.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const start = p.startDate ?? 1767225600;
  const span = p.spanSeconds ?? 90 * 86400;
  const tieShare = p.equalDateShare ?? 0.3;
  const tricky = p.trickyNameShare ?? 0.3;
  let nextUser = 10_000_000;
  const newUser = (): number => {
    const id = nextUser++;
    const odd = r() < tricky;
    const first = odd ? pick(TRICKY) : pick(LATIN);
    const last = pick(LAST);
    sink.user(id, first, last, r() < 0.5 ? `u${id.toString(36)}_${first.length}` : undefined);
    return id;
  };
  const hash = (): string => Array.from({ length: 16 }, () => B62[Math.floor(r() * 62)]).join('');

  for (let c = 0; c < (p.chats ?? 1); c++) {
    const chatId = 1700000001 + c;
    sink.chat(chatId, c === 0 ? 'Rust Learners' : `Community ${c + 1} — Сообщество`, c === 1 ? 'community_two' : undefined);
    const links = buildLinks(sink, chatId, p.linksPerChat ?? 10, start, hash);
    const memberLinks = links.filter((l) => !l.requestNeeded);
    const requestLinks = links.filter((l) => l.requestNeeded);
    const joins = p.joins ?? 100;
    const burst = Math.min(p.burst ?? 300, joins);
    const burstAt = Math.floor(joins / 2);
    const hot = memberLinks[0];
    const hotTarget = Math.round(joins * (p.hotLinkShare ?? 0.3));
    let hotSoFar = 0;
    let date = start;
    for (let i = 0; i < joins; i++) {
      // Dates only move forward (rows arrive sorted, so loading needs no sort); ties are common.
      const inBurst = i > burstAt && i <= burstAt + burst;
      if (!inBurst && r() >= tieShare) date = start + Math.floor(((i + 1) * span) / (joins + 1));
      const userId = newUser();
      if (inBurst && hot) {
        hotSoFar++;
        sink.join(chatId, { userId, hash: hot.hash, date });
        continue;
      }
      // The hot link keeps pace with its exact share (the burst runs ahead, the pace catches up).
      const onHot = !!hot && hotSoFar < (hotTarget * (i + 1)) / joins;
      const viaRequest = !onHot && requestLinks.length > 0 && r() < 0.1;
      const others = memberLinks.length > 1 ? memberLinks.slice(1) : memberLinks;
      const link = onHot ? hot : viaRequest ? pick(requestLinks) : pick(others);
      if (onHot) hotSoFar++;
      sink.join(chatId, { userId, hash: link?.hash ?? null, date, ...(viaRequest ? { approvedBy: r() < 0.5 ? SELF : CO_ADMIN } : {}) });
    }
    const pendingStart = start + span;
    let pdate = pendingStart;
    for (let i = 0; i < (p.pending ?? 10); i++) {
      if (r() >= tieShare) pdate = pendingStart + i * 7;
      const link = requestLinks.length > 0 && r() < 0.8 ? pick(requestLinks) : null;
      sink.request(chatId, { userId: newUser(), hash: link?.hash ?? null, date: pdate, ...(r() < 0.4 ? { about: pick(['hi', 'Привет! 👋', 'from the <ads>', 'pls & thx']) } : {}) });
    }
  }
}

interface GenLink {
  hash: string;
  requestNeeded: boolean;
}

function buildLinks(sink: Sink, chatId: number, n: number, start: number, hash: () => string): GenLink[] {
  const out: GenLink[] = [];
  for (let i = 0; i < n; i++) {
    const permanent = i === n - 1;
    const l = {
      hash: hash(), adminId: i % 5 === 3 ? CO_ADMIN : SELF, date: start - (n - i) * 3600, permanent,
      revoked: !permanent && i % 17 === 16, requestNeeded: !permanent && i % 4 === 2,
      ...(permanent ? {} : { title: i === 0 ? 'Hot: spring ads' : `Campaign ${i} ✨` }),
    };
    sink.link(chatId, l);
    out.push(l);
  }
  return out;
}

const baseUsers = (): { self: ScenarioInput['self']; bot: ScenarioInput['bot']; coAdmin: ScenarioInput['self'] } => ({
  self: { id: SELF, first_name: 'Moderator', username: 'mod_account' },
  bot: { id: BOT, first_name: 'Joinwatch', username: 'joinwatch_bot' },
  coAdmin: { id: CO_ADMIN, first_name: 'Co', last_name: 'Admin', username: 'co_admin' },
});

/** Builds the world directly (the fast path: no JSON, rows arrive sorted). */
export function generateWorld(p: GenerateParams = {}): World {
  const b = baseUsers();
  const world = World.fromScenario({ self: b.self, bot: b.bot, users: [b.coAdmin], chats: [] });
  const link = (hash: string | null): string | null => (hash ? `https://t.me/+${hash}` : null);
  // Rows always follow the user they belong to: reuse that user's bigint instead of a copy per row.
  let last = world.self;
  const uid = (id: number): bigint => (Number(last.id) === id ? last.id : BigInt(id));
  run(p, {
    user: (id, firstName, lastName, username) => {
      last = world.addUser({ id: BigInt(id), firstName, ...(lastName ? { lastName } : {}), ...(username ? { username } : {}) });
    },
    chat: (id, title, username) => void world.addChat({ id: BigInt(id), type: 'supergroup', title, ownerId: BigInt(SELF), admins: [BigInt(SELF), BigInt(CO_ADMIN), BigInt(BOT)], ...(username ? { username } : {}) }),
    link: (chatId, l) => void world.createLink(BigInt(chatId), { ...l, adminId: BigInt(l.adminId) }),
    join: (chatId, j) => void world.addJoin(BigInt(chatId), { userId: uid(j.userId), link: link(j.hash), date: j.date, ...(j.approvedBy ? { approvedBy: BigInt(j.approvedBy) } : {}) }),
    request: (chatId, r) => void world.addRequest(BigInt(chatId), { userId: uid(r.userId), link: link(r.hash), date: r.date, ...(r.about ? { about: r.about } : {}) }),
  });
  return world;
}

/** The same world as a scenario object (write it with JSON.stringify for small sizes). */
export function generateScenario(p: GenerateParams = {}): ScenarioInput {
  const b = baseUsers();
  const users: NonNullable<ScenarioInput['users']> = [b.coAdmin];
  const chats = new Map<number, NonNullable<ScenarioInput['chats']>[number]>();
  const chat = (id: number): NonNullable<ScenarioInput['chats']>[number] => chats.get(id) as NonNullable<ScenarioInput['chats']>[number];
  const link = (hash: string | null): string | null => (hash ? `https://t.me/+${hash}` : null);
  run(p, {
    user: (id, first_name, last_name, username) => void users.push({ id, first_name, ...(last_name ? { last_name } : {}), ...(username ? { username } : {}) }),
    chat: (id, title, username) => void chats.set(id, { id, type: 'supergroup', title, username: username ?? null, owner_id: SELF, admins: [SELF, CO_ADMIN, BOT], links: [], joins: [], requests: [] }),
    link: (chatId, l) => void chat(chatId).links?.push({
      link: `https://t.me/+${l.hash}`, admin_id: l.adminId, date: l.date, title: l.title ?? null, permanent: l.permanent, revoked: l.revoked,
      request_needed: l.requestNeeded, expire_date: null, usage_limit: null,
    }),
    join: (chatId, j) => void chat(chatId).joins?.push({ user_id: j.userId, link: link(j.hash), date: j.date, approved_by: j.approvedBy ?? null, via_chatlist: false }),
    request: (chatId, r) => void chat(chatId).requests?.push({ user_id: r.userId, link: link(r.hash), date: r.date, about: r.about ?? null }),
  });
  return { self: b.self, bot: b.bot, users, chats: [...chats.values()] };
}
