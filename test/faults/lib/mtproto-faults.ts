/**
 * MTProto faults on every method the sync uses, through the real GramJS client and the product's
 * InviteSource and engine against the sandbox: short and long flood waits, connections dropped
 * every few messages, answers slower than the call timeout, the session revoked mid-cycle, the key
 * forgotten mid-run, and a link revoked and another deleted mid-backfill. Each case ends with the
 * store checked against the world (after the fault is lifted), and yields a line for the table.
 */
import { startSandbox, type Sandbox } from '../../../src/sandbox/sandbox.js';
import type { World } from '../../../src/sandbox/world.js';
import { toRecord } from '../../../src/export/format.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { SyncEngine } from '../../../src/sync/engine.js';
import { createTelegramClient } from '../../../src/telegram/client.js';
import { GramJsInviteSource } from '../../../src/telegram/invite-source.js';
import { diffRows, exportRows, worldRows } from './compare.js';
import { CHAT_A, CHAT_B, LINKS_A, botChat, faultWorld } from './world.js';

export interface CaseResult {
  name: string;
  outcome: string;
  ok: boolean;
}

const CHATS = [botChat(CHAT_A), botChat(CHAT_B)];
/** The methods the sync calls, by the names the sandbox counts them under. */
export const SYNC_METHODS = ['messages.getAdminsWithInvites', 'messages.getExportedChatInvites', 'messages.getChatInviteImporters'] as const;

interface Rig {
  sb: Sandbox;
  world: World;
  store: Store;
  engine: SyncEngine;
  /** The engine's clock (unix s): moved past a long flood wait to lift the deferral. */
  clock: { now: number };
  stop(): Promise<void>;
}

async function rig(seed: number, o: { pageSize?: number; callTimeoutMs?: number; joinsA?: number } = {}): Promise<Rig> {
  const world = faultWorld(seed, { joinsA: o.joinsA ?? 600, pendingA: 30, joinsB: 80, pendingB: 6 });
  const sb = await startSandbox({ world, maxPageSize: o.pageSize ?? 50 });
  const client = createTelegramClient({ apiId: sb.apiId, apiHash: sb.apiHash, session: sb.session, server: sb.mtproto, floodSleepThreshold: 5 });
  await client.connect();
  const store = openStore(':memory:');
  const clock = { now: Math.floor(Date.now() / 1000) };
  const engine = new SyncEngine({ store, source: new GramJsInviteSource(client, o.callTimeoutMs), maxCallsPerMinute: 1_000_000, now: () => clock.now });
  return {
    sb, world, store, engine, clock,
    async stop() {
      await client.destroy().catch(() => undefined);
      store.close();
      await sb.stop();
    },
  };
}

/** The store against the world for both chats, leaving out links Telegram deleted (their history is kept). */
function storeMatchesWorld(r: Rig, skipLinks: readonly string[] = []): string | undefined {
  const skip = (row: string) => skipLinks.some((l) => row.includes(`|${l}|`));
  const expected = [CHAT_A, CHAT_B].flatMap((c) => worldRows(r.world, c)).filter((x) => !skip(x));
  const actual = CHATS.flatMap((c) => exportRows([...r.store.exports.all(c)].map(toRecord))).filter((x) => !skip(x));
  const d = diffRows(expected, actual);
  const bad = d.lost.length + d.doubled.length + d.extra.length;
  return bad === 0 ? undefined : `store differs from the world: lost ${d.lost.length}, doubled ${d.doubled.length}, extra ${d.extra.length}`;
}

function integrity(store: Store): string {
  return String(store.db.pragma('integrity_check', { simple: true }));
}

function events(store: Store, kind: string): number {
  return Number(store.db.prepare('SELECT count(*) FROM outbox WHERE kind = ?').pluck().get(kind));
}

async function clean(r: Rig): Promise<string | undefined> {
  r.sb.setFaults({ floodWait: [], dropConnectionEvery: null, delayMs: 0 });
  r.clock.now += 4 * 3600; // past any deferral
  await r.engine.runCycle(CHATS);
  return storeMatchesWorld(r);
}

async function runCase(name: string, seed: number, o: Parameters<typeof rig>[1], body: (r: Rig) => Promise<string>): Promise<CaseResult> {
  const r = await rig(seed, o);
  try {
    const outcome = await body(r);
    if (integrity(r.store) !== 'ok') return { name, outcome: `integrity_check failed after: ${outcome}`, ok: false };
    return { name, outcome, ok: true };
  } catch (error) {
    return { name, outcome: error instanceof Error ? error.message : String(error), ok: false };
  } finally {
    await r.stop();
  }
}

function fail(message: string): never {
  throw new Error(message);
}

export async function mtprotoFaultCases(seed: number): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const method of SYNC_METHODS) {
    results.push(
      await runCase(`short flood waits (FLOOD_WAIT_1 every 2nd call) on ${method}`, seed, {}, async (r) => {
        r.sb.setFaults({ floodWait: [{ method, every: 2, seconds: 1 }] });
        const started = Date.now();
        const cycle = await r.engine.runCycle(CHATS);
        const outcomes = cycle.chats.map((c) => c.outcome).join(', ');
        const diff = storeMatchesWorld(r);
        if (diff || cycle.chats.some((c) => c.outcome !== 'ok')) fail(`slept through expected, got ${outcomes}; ${diff ?? ''}`);
        return `slept through by GramJS: chats ${outcomes} in ${((Date.now() - started) / 1000).toFixed(1)} s, store equals world`;
      }),
    );
    results.push(
      await runCase(`long flood wait (FLOOD_WAIT_3600) on ${method}`, seed, {}, async (r) => {
        r.sb.setFaults({ floodWait: [{ method, every: 2, seconds: 3600 }] });
        const cycle = await r.engine.runCycle(CHATS);
        const outcomes = cycle.chats.map((c) => c.outcome).join(', ');
        // A long flood wait holds its method for the whole account (the store's flood_holds), until it expires.
        const held = r.store.syncState.holds(r.clock.now).map((h) => h.method);
        if (!held.includes(method)) fail(`no hold on ${method} after its FLOOD_WAIT_3600 (holds: ${held.join(', ') || 'none'})`);
        if (cycle.chats.every((c) => c.outcome === 'ok')) fail('a 3600 s flood wait went unnoticed');
        const after = await clean(r);
        if (after) fail(after);
        return `chats ${outcomes} (${method} held account-wide for the wait, ${events(r.store, 'sync.failed')} sync.failed events); after the wait, store equals world`;
      }),
    );
  }
  results.push(
    await runCase('connections dropped every 7th message', seed, { joinsA: 250 }, async (r) => {
      r.sb.setFaults({ dropConnectionEvery: 7 });
      const cycle = await r.engine.runCycle(CHATS);
      const diff = storeMatchesWorld(r);
      if (diff || cycle.chats.some((c) => c.outcome !== 'ok')) fail(`chats ${cycle.chats.map((c) => `${c.outcome} ${c.error ?? ''}`).join(', ')}; ${diff ?? ''}`);
      return `GramJS reconnected and resent: chats ok, ${cycle.calls} calls, store equals world`;
    }),
  );
  results.push(
    await runCase('answers slower than the call timeout (1.5 s answers, 1 s timeout)', seed, { callTimeoutMs: 1000, joinsA: 100 }, async (r) => {
      r.sb.setFaults({ delayMs: 1500 });
      const cycle = await r.engine.runCycle(CHATS);
      const failed = cycle.chats.filter((c) => c.failure?.code === 'TIMEOUT').length;
      if (failed === 0) fail(`no call timed out: ${cycle.chats.map((c) => c.outcome).join(', ')}`);
      const after = await clean(r);
      if (after) fail(after);
      return `${failed} chats failed with TIMEOUT (${events(r.store, 'sync.failed')} sync.failed events), nothing half written; next cycle: store equals world`;
    }),
  );
  results.push(
    await runCase('session revoked mid-cycle (AUTH_KEY_UNREGISTERED after 8 calls)', seed, { pageSize: 20 }, async (r) => {
      r.sb.setFaults({ revokeSessionAfter: 8 });
      const cycle = await r.engine.runCycle(CHATS);
      const again = await r.engine.runCycle(CHATS);
      const revoked = events(r.store, 'session.revoked');
      if (!cycle.sessionRevoked || revoked !== 1 || again.calls !== 0) fail(`revoked ${cycle.sessionRevoked}, ${revoked} events, ${again.calls} calls after`);
      const subset = storedSubsetOfWorld(r);
      if (subset) fail(subset);
      return `one session.revoked event, no call after; what was stored (${storedRows(r)} rows) is all in the world`;
    }),
  );
  results.push(
    await runCase('server forgets the auth key mid-run (-404 after 8 calls)', seed, { pageSize: 20 }, async (r) => {
      r.sb.setFaults({ forgetKeysAfter: 8 });
      const started = Date.now();
      const cycle = await r.engine.runCycle(CHATS);
      const seconds = (Date.now() - started) / 1000;
      const revoked = events(r.store, 'session.revoked');
      if (!cycle.sessionRevoked || revoked !== 1 || seconds > 10) fail(`revoked ${cycle.sessionRevoked}, ${revoked} events, ${seconds.toFixed(1)} s`);
      const subset = storedSubsetOfWorld(r);
      if (subset) fail(subset);
      return `recognised at the first call after: one session.revoked (AUTH_KEY_UNKNOWN) event, cycle over in ${seconds.toFixed(1)} s (no 60 s timeouts)`;
    }),
  );
  results.push(
    await runCase('a link revoked and another deleted mid-backfill', seed, { pageSize: 20, joinsA: 900 }, async (r) => {
      const chat = botChat(CHAT_A);
      r.sb.setFaults({ delayMs: 5 });
      const cycle = r.engine.runCycle(CHATS);
      let finished = false;
      void cycle.finally(() => (finished = true));
      // The link being backfilled right now is deleted; one not finished yet is revoked.
      const row = (l: string) => r.store.links.get(chat, l);
      let deleted: string | undefined;
      while (!deleted && !finished) {
        await new Promise((x) => setTimeout(x, 2));
        deleted = LINKS_A.find((l) => (row(l)?.joinsStored ?? 0) >= 40 && row(l)?.backfillDone === false);
      }
      const revoked = LINKS_A.slice(0, 3).find((l) => l !== deleted && row(l)?.backfillDone !== true);
      if (!deleted || !revoked) fail('the backfill ended before a link could be deleted in the middle of it');
      r.world.revokeLink(revoked);
      r.sb.setFaults({ deletedLinks: [deleted] });
      const kept = row(deleted)!.joinsStored;
      await cycle;
      r.sb.setFaults({ delayMs: 0 });
      await r.engine.runCycle(CHATS);
      if (!row(deleted)?.goneAt || !row(revoked)?.revoked) fail(`deleted link gone_at ${row(deleted)?.goneAt}, revoked link revoked ${row(revoked)?.revoked}`);
      const diff = storeMatchesWorld(r, [deleted]);
      if (diff) fail(diff);
      const history = storedRows(r, deleted);
      if (history < kept) fail(`the deleted link's history shrank from ${kept} to ${history}`);
      const subset = storedSubsetOfWorld(r);
      if (subset) fail(subset);
      return `revoked link backfilled to the end; the link deleted mid-backfill marked gone, its ${history} joiners stored before kept; the rest equals the world`;
    }),
  );
  return results;
}

function storedRows(r: Rig, link?: string): number {
  return CHATS.flatMap((c) => [...r.store.exports.all(c)]).filter((x) => x.status === 'joined' && (link === undefined || x.link === link)).length;
}

/** Nothing stored that the world does not hold (no garbage from a half-read page). */
function storedSubsetOfWorld(r: Rig): string | undefined {
  const world = new Set([CHAT_A, CHAT_B].flatMap((c) => worldRows(r.world, c)));
  const extra = CHATS.flatMap((c) => exportRows([...r.store.exports.all(c)].map(toRecord))).filter((x) => x.startsWith('joined|') && !world.has(x));
  return extra.length === 0 ? undefined : `${extra.length} stored joins are not in the world`;
}
