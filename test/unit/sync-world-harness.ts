/**
 * The sync engine against an in-process sandbox World (through the model check's WorldSource,
 * which applies the MTProto server's own rules), on an in-memory store, with a pinned clock.
 * For the churn tests: every defect is shown on a world that changes the way Telegram does.
 */
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { World } from '../../src/sandbox/world.js';
import { openStore, type Store } from '../../src/store/index.js';
import { SyncEngine, type EngineOptions } from '../../src/sync/engine.js';
import { SimSource, type Listing, type SourceCall } from '../sim/sim-source.js';
import { WorldSource } from '../sim/world-source.js';

export const SELF = 7000001n;
export const CO_ADMIN = 7000002n;
export const BOT = 8000001n;
export const A = 1700000001n; // owned by SELF, no username
export const B = 1700000002n; // owned by CO_ADMIN, @news_b
export const CHAT_A = botApiChatIdFromChannel(A);
export const CHAT_B = botApiChatIdFromChannel(B);
export const T0 = 1767225600;

export interface Harness {
  world: World;
  store: Store;
  /** What the engine calls: the world, behind the model check's hooks (calls, holds, faults). */
  source: SimSource;
  /** The world as Telegram answers it (e.g. minUsers). */
  worldSource: WorldSource;
  clock: { now: number };
  /** One cycle over the given chats (default A) with a fresh engine (like a new `sync --once`). */
  cycle(o?: { chats?: bigint[]; budget?: number; engine?: Partial<EngineOptions> }): ReturnType<SyncEngine['runCycle']>;
  engine(o?: { budget?: number } & Partial<EngineOptions>): SyncEngine;
  /** Adds a person (a fresh user) and returns the id. */
  person(id?: bigint): bigint;
  tick(seconds?: number): number;
  sql<T = Record<string, unknown>>(query: string, ...params: unknown[]): T[];
}

export interface HarnessOptions {
  pageCap?: number;
  beforeCall?: (call: SourceCall, h: Harness) => void;
  /** Runs when a listing call was answered, before the engine sees the page. */
  onListing?: (l: Listing, h: Harness) => void;
  store?: Store;
  /** The account reads the admin log: after a chat's first (full) cycle, cycles are ordinary. */
  adminLog?: boolean;
}

export function harness(o: HarnessOptions = {}): Harness {
  const clock = { now: T0 + 86_400 };
  const world = World.fromScenario({
    self: { id: Number(SELF), first_name: 'Moderator' },
    bot: { id: Number(BOT), first_name: 'Joinwatch' },
    users: [{ id: Number(CO_ADMIN), first_name: 'Co', last_name: 'Admin' }],
    chats: [
      { id: Number(A), type: 'supergroup', title: 'Chat A', owner_id: Number(SELF), admins: [Number(SELF), Number(CO_ADMIN), Number(BOT)] },
      { id: Number(B), type: 'channel', title: 'News B', username: 'news_b', owner_id: Number(CO_ADMIN), admins: [Number(CO_ADMIN), Number(SELF), Number(BOT)] },
    ],
  });
  world.setClock(() => clock.now);
  const store = o.store ?? openStore(':memory:');
  let nextId = 9_000_000n;
  const h: Harness = {
    world,
    store,
    clock,
    source: undefined as unknown as SimSource,
    worldSource: new WorldSource(world, { pageCap: o.pageCap ?? 100, adminLog: o.adminLog ?? false }),
    engine: (e = {}) =>
      new SyncEngine({ store, source: h.source, now: () => clock.now, maxCallsPerMinute: 1_000_000_000, maxCallsPerCycle: e.budget ?? 100_000, ...e }),
    cycle: (c = {}) => h.engine({ ...(c.budget !== undefined ? { budget: c.budget } : {}), ...c.engine }).runCycle(c.chats ?? [CHAT_A]),
    person(id) {
      const uid = id ?? nextId++;
      world.addUser({ id: uid, firstName: `P${uid}` });
      return uid;
    },
    tick(seconds = 1) {
      clock.now += seconds;
      return clock.now;
    },
    sql: <T>(query: string, ...params: unknown[]) => store.db.prepare(query).all(...params) as T[],
  };
  // A second passes with every call, as on a real network: what happens meanwhile is dated after it.
  h.source = new SimSource(h.worldSource, () => clock.now, {
    beforeCall: (c) => {
      clock.now++;
      o.beforeCall?.(c, h);
    },
    onListing: (l) => o.onListing?.(l, h),
  });
  return h;
}

/** A link of chat A (or B) with `n` members, joined one second apart; returns the link. */
export function linkWithMembers(h: Harness, n: number, o: { chat?: bigint; admin?: bigint; requestNeeded?: boolean; link?: string } = {}): string {
  const link = h.world.createLink(o.chat ?? A, { adminId: o.admin ?? SELF, requestNeeded: o.requestNeeded ?? false, date: h.tick(), ...(o.link ? { link: o.link } : {}) }).link;
  for (let i = 0; i < n; i++) h.world.addJoin(o.chat ?? A, { userId: h.person(), link, date: h.tick() });
  return link;
}

/** Open stays of a link in the store: (user, date) of the people the store believes are members now. */
export function openStays(h: Harness, chatId: bigint, link: string): [bigint, number][] {
  return h
    .sql<{ user_id: bigint; date: bigint }>(
      `SELECT j.user_id, j.date FROM joins j JOIN invite_links l ON l.id = j.link_id
       WHERE l.chat_id = ? AND l.link = ? AND j.left_at IS NULL ORDER BY j.date DESC, j.user_id DESC`,
      chatId, link,
    )
    .map((r) => [r.user_id, Number(r.date)]);
}

/** Every stored join of a link, newest first, as the export reads it. */
export function storedJoins(h: Harness, chatId: bigint, link: string): { userId: bigint; date: number }[] {
  return [...h.store.exports.joinsOfLink(chatId, link)].map((r) => ({ userId: r.userId, date: r.date }));
}

/** Current members of a link in the world, newest first. */
export function members(h: Harness, chatId: bigint, link: string): [bigint, number][] {
  const rows = h.world.importers(chatId === CHAT_B ? B : A, { link, requested: false, offsetDate: 0, offsetUser: 0n, limit: Number.MAX_SAFE_INTEGER }).rows;
  return rows.map((r) => [r.userId, r.date]);
}

export function requestRows(h: Harness, chatId = CHAT_A): Record<string, unknown>[] {
  return h.sql('SELECT user_id, link, date, about, status, decided_by FROM join_requests WHERE chat_id = ? ORDER BY user_id, date', chatId);
}

export function events(h: Harness, kind: string): Record<string, unknown>[] {
  return h.sql<{ payload: string }>('SELECT payload FROM outbox WHERE kind = ? ORDER BY id', kind).map((r) => JSON.parse(r.payload) as Record<string, unknown>);
}
