/**
 * Shared set-up for the sync e2e tests: a sandbox (real MTProto server), a real GramJS client from
 * the product's factory, the product's GramJS InviteSource and the sync engine over a fresh store.
 */
import type { TelegramClient } from 'telegram';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import type { World } from '../../src/sandbox/world.js';
import { openStore, type Store } from '../../src/store/index.js';
import { SyncEngine, type EngineOptions } from '../../src/sync/engine.js';
import { createTelegramClient } from '../../src/telegram/client.js';
import { GramJsInviteSource } from '../../src/telegram/invite-source.js';

export const SELF = 7000001n;
export const CO_ADMIN = 7000002n;
export const MT_CHAT = 1700000001n;
export const CHAT = -1001700000001n;

export interface SyncWorld {
  sb: Sandbox;
  world: World;
  client: TelegramClient;
  store: Store;
  engine: SyncEngine;
  cycle(chats?: (string | bigint)[], o?: { full?: boolean }): ReturnType<SyncEngine['runCycle']>;
  /** MTProto calls served since the last `calls()` (the counter is reset each time). */
  calls(): Record<string, number>;
  stop(): Promise<void>;
}

export async function startSyncWorld(
  world: World,
  o: { maxPageSize?: number; dbPath?: string; engine?: Partial<EngineOptions> } = {},
): Promise<SyncWorld> {
  const sb = await startSandbox({ world, ...(o.maxPageSize !== undefined ? { maxPageSize: o.maxPageSize } : {}) });
  const client = createTelegramClient({ apiId: sb.apiId, apiHash: sb.apiHash, session: sb.session, server: sb.mtproto });
  await client.connect();
  const store = openStore(o.dbPath ?? ':memory:');
  const engine = new SyncEngine({ store, source: new GramJsInviteSource(client), maxCallsPerMinute: 1_000_000, ...o.engine });
  sb.resetCalls();
  return {
    sb,
    world,
    client,
    store,
    engine,
    cycle: (chats = [CHAT], o = {}) => engine.runCycle(chats, o),
    calls() {
      const c = sb.calls();
      sb.resetCalls();
      return c;
    },
    async stop() {
      await client.destroy().catch(() => undefined);
      store.close();
      await sb.stop();
    },
  };
}

/** Rows of a table as plain objects (tests may read the store's raw connection). */
export function rows(store: Store, sql: string, ...params: unknown[]): Record<string, unknown>[] {
  return store.db.prepare(sql).all(...params) as Record<string, unknown>[];
}

export function outbox(store: Store, kind: string): Record<string, unknown>[] {
  return rows(store, 'SELECT payload FROM outbox WHERE kind = ? ORDER BY id', kind).map((r) => JSON.parse(String(r.payload)) as Record<string, unknown>);
}

/** Expected listing calls for an owner: one getExportedChatInvites page per 100 links, per admin and kind. */
export function listingCalls(world: World, mtChatId: bigint, page = 100): number {
  let n = 0;
  const admins = new Set(world.links(mtChatId).map((l) => l.adminId));
  for (const adminId of admins) {
    for (const revoked of [false, true]) {
      const count = world.links(mtChatId, { adminId, revoked }).length;
      n += Math.ceil(count / page);
    }
  }
  return n;
}
