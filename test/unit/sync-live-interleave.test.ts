/**
 * A targeted pending check does not wait behind a long cycle (engine.ts, chat-locks.ts): while a
 * cycle pages a big chat's members, a push on another chat stores its request within seconds; on
 * the chat the cycle is in the middle of, the check waits for that chat's phase one (never two
 * writers on one chat's pending rows) and is dropped when that phase's own check served it. Calls
 * of both come from the one budget.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { openStore, type Store } from '../../src/store/index.js';
import { SyncEngine } from '../../src/sync/engine.js';
import { startLiveTrigger, type LiveTrigger } from '../../src/sync/live-trigger.js';
import type { ImporterPage, InviteSource, LinkQuery, ResolveOptions, SourceChat } from '../../src/sync/types.js';
import { CHAT_ID, FakeSource, SELF } from './sync-fake-source.js';
import { until } from '../support/until.js';

const SMALL_ID = botApiChatIdFromChannel(1700000002n);
const T0 = 1767225600;

/** A second chat: the fake's own, under another id. */
class SmallChat extends FakeSource {
  override async resolveChat(ref: string | bigint): Promise<SourceChat> {
    if (String(ref) !== String(SMALL_ID)) throw new Error(`not the small chat: ${ref}`);
    return { chatId: SMALL_ID, title: 'Small', type: 'supergroup', isOwner: true, selfId: SELF };
  }
}

/** A gate the test opens: a held call waits for it. */
class Gate {
  private open: () => void = () => undefined;
  closed: Promise<void> | undefined;
  close(): void {
    this.closed = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.closed = undefined;
    this.open();
  }
}

/** Two chats behind one InviteSource; the big chat's pages can be held, and overlapping listings of one chat's requests are counted. */
class TwoChats implements InviteSource {
  readonly big = new FakeSource();
  readonly small = new SmallChat();
  readonly joinsGate = new Gate();
  readonly requestsGate = new Gate();
  private readonly inFlight = new Map<bigint, number>();
  overlaps = 0;
  /** Calls asked for (a held one included), by method and chat. */
  readonly asked = { joins: 0, bigRequests: 0 };

  private of(chatId: bigint): FakeSource {
    return chatId === SMALL_ID ? this.small : this.big;
  }
  self() {
    return this.big.self();
  }
  resolveChat(ref: string | bigint, o?: ResolveOptions) {
    return String(ref) === String(SMALL_ID) ? this.small.resolveChat(ref) : this.big.resolveChat(ref, o);
  }
  listAdminsWithLinks(chatId: bigint) {
    return this.of(chatId).listAdminsWithLinks();
  }
  listLinks(chatId: bigint, q: LinkQuery) {
    return this.of(chatId).listLinks(chatId, q);
  }
  async listJoins(chatId: bigint, q: Parameters<InviteSource['listJoins']>[1]): Promise<ImporterPage> {
    if (chatId === CHAT_ID) this.asked.joins++;
    if (chatId === CHAT_ID) await this.joinsGate.closed;
    return this.of(chatId).listJoins(chatId, q);
  }
  async listRequests(chatId: bigint, q: Parameters<InviteSource['listRequests']>[1]): Promise<ImporterPage> {
    const n = (this.inFlight.get(chatId) ?? 0) + 1;
    this.inFlight.set(chatId, n);
    if (n > 1) this.overlaps++;
    if (chatId === CHAT_ID) this.asked.bigRequests++;
    try {
      if (chatId === CHAT_ID) await this.requestsGate.closed;
      return await this.of(chatId).listRequests(chatId, q);
    } finally {
      this.inFlight.set(chatId, (this.inFlight.get(chatId) ?? 1) - 1);
    }
  }
}

let store: Store | undefined;
let trigger: LiveTrigger | undefined;
let engine: SyncEngine | undefined;
let held: TwoChats | undefined;
afterEach(async () => {
  held?.joinsGate.release();
  held?.requestsGate.release();
  await trigger?.stop();
  await engine?.stop();
  store?.close();
  store = trigger = engine = undefined;
});


/** Both chats synced once (links, a request link each); the clock the test moves. */
async function syncedPair() {
  const s = openStore(':memory:');
  store = s;
  const source = new TwoChats();
  held = source;
  const clock = { t: T0 + 10_000 };
  const bigLink = source.big.addLink({ hash: 'BigLink00001', date: T0, requestNeeded: true });
  const smallLink = source.small.addLink({ hash: 'SmallLink001', date: T0, requestNeeded: true });
  for (let i = 0; i < 5; i++) source.big.addJoin(bigLink.link, 8_000_000n + BigInt(i), T0 + 10 + i);
  engine = new SyncEngine({ store: s, source, now: () => clock.t, pageLimit: 10, maxCallsPerMinute: 1_000_000, callLog: s.syncCalls });
  const first = await engine.runCycle([CHAT_ID, SMALL_ID]);
  expect(first.chats.map((c) => c.outcome)).toEqual(['ok', 'ok']);
  return { s, source, clock, bigLink, smallLink, engine };
}

describe('targeted pending checks beside a long cycle', () => {
  it('a dirty chat is checked within seconds while a cycle pages another chat, from the same budget', async () => {
    const { s, source, clock, bigLink, smallLink, engine: e } = await syncedPair();
    // 300 new joiners on the big chat: the next cycle pages them (30 pages), held at the first.
    for (let i = 0; i < 300; i++) source.big.addJoin(bigLink.link, 8_100_000n + BigInt(i), T0 + 1_000 + i);
    clock.t += 60;
    source.joinsGate.close();
    let cycleDone = false;
    const cycle = e.runCycle([CHAT_ID, SMALL_ID]).finally(() => (cycleDone = true));
    await until(() => source.asked.joins > 0, 5000);

    // The trigger's start marks and checks every chat (the big one too: its phase one is done).
    clock.t += 11;
    trigger = startLiveTrigger({ store: s, engine: e, chats: [CHAT_ID, SMALL_ID], pollMs: 60_000, now: () => clock.t });
    const startCheck = clock.t;
    await until(() => [SMALL_ID, CHAT_ID].every((id) => s.chatLive.get(id)?.pendingCheckedAt === startCheck), 5000);
    clock.t += 11;
    source.small.addRequest(smallLink.link, 9_200_001n, clock.t);
    s.chatLive.markPushed(SMALL_ID, clock.t);
    const callsBefore = s.syncCalls.since(0).length;
    trigger.poke();
    const ms = await until(() => s.requests.pendingOf(SMALL_ID, 9_200_001n)?.link === smallLink.link, 3000);
    expect(ms).toBeLessThan(2000);
    expect(cycleDone).toBe(false); // the long cycle still waits on its page
    // Its calls went through the shared per-minute window (the store's syncCalls).
    expect(s.syncCalls.since(0).length).toBeGreaterThan(callsBefore);

    source.joinsGate.release();
    const report = await cycle;
    expect(report.chats.every((c) => c.outcome === 'ok')).toBe(true);
    expect([...s.exports.joinsOfLink(CHAT_ID, bigLink.link)]).toHaveLength(305);
    expect(source.overlaps).toBe(0);
  });

  it('on the chat the cycle is in, the check waits for its phase one, never overlaps it, and is dropped when that check served it', async () => {
    const { s, source, clock, bigLink, engine: e } = await syncedPair();
    clock.t += 60;
    source.big.addRequest(bigLink.link, 9_100_001n, clock.t - 30);
    s.chatLive.markPushed(CHAT_ID, clock.t - 30); // pushed before the cycle's own check begins
    const before = source.asked.bigRequests;
    source.requestsGate.close();
    const cycle = e.runCycle([CHAT_ID, SMALL_ID]);
    await until(() => source.asked.bigRequests > before, 5000);
    const cycleCalls = source.asked.bigRequests;

    const targeted = e.checkPending([CHAT_ID]);
    await new Promise((r) => setTimeout(r, 200));
    expect(source.asked.bigRequests).toBe(cycleCalls); // waits for the chat, no second writer
    source.requestsGate.release();
    await cycle;
    const report = await targeted;
    expect(s.requests.pendingOf(CHAT_ID, 9_100_001n)?.link).toBe(bigLink.link);
    expect(s.chatLive.get(CHAT_ID)?.dirtyAt).toBeNull();
    expect(report.chats).toEqual([]); // served by the cycle's own check: no call spent
    expect(source.overlaps).toBe(0);

    // A push during that check (it may have come after the page) is not served: the check runs after it.
    source.requestsGate.close();
    const again = e.runCycle([CHAT_ID]);
    const later = source.asked.bigRequests;
    await until(() => source.asked.bigRequests > later, 5000);
    source.big.addRequest(bigLink.link, 9_100_002n, clock.t);
    s.chatLive.markPushed(CHAT_ID, clock.t);
    const second = e.checkPending([CHAT_ID]);
    await new Promise((r) => setTimeout(r, 100));
    source.requestsGate.release();
    await again;
    const checked = await second;
    expect(checked.chats.map((c) => c.mode)).toEqual(['pending']);
    expect(s.requests.pendingOf(CHAT_ID, 9_100_002n)).toBeDefined();
    expect(source.overlaps).toBe(0);
  });

  it('a shutdown waits for a targeted check under way', async () => {
    const { source, engine: e } = await syncedPair();
    const before = source.asked.bigRequests;
    source.requestsGate.close();
    let done = false;
    const targeted = e.checkPending([CHAT_ID]).finally(() => (done = true));
    await until(() => source.asked.bigRequests > before, 5000);
    const stopping = e.stop();
    await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(false);
    source.requestsGate.release();
    await stopping;
    expect(done).toBe(true);
    await targeted;
  });
});
