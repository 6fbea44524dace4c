/**
 * Live-sync benchmark (issue 10). Prints:
 *  1. request in the world → stored, through the push path (Telegram's updatePendingJoinRequests →
 *     dirty mark → targeted pending check), real GramJS against the sandbox: p50 / p99;
 *  1b. the real app (startApp against the sandbox, as the demo runs it: userbot + bot + notifier):
 *     request in the world → stored (whichever source stores it first, counted: in practice the
 *     bot's chat_join_request) and → the digest naming it accepted by the sandbox Bot API, with
 *     DIGEST_WAIT_SECONDS=10 (the default: the digest waits ~10 s by design) and 0 (the pipeline's own
 *     cost): p50 / p99 (bench/lib/live-app.ts);
 *  2. Telegram calls per idle chat per cycle on the bench world's link layout (200 links, two
 *     admins): the full reconcile (today's cycle) vs the ordinary cycle;
 *  3. calls for a 1 % change cycle (1 % of the joins new, 1 % of the pending new) on that world:
 *     the full reconcile vs the ordinary cycle, and the ordinary cycle's minimum (admin-log pages +
 *     pending pages);
 *  4. a 300-chat world idle for a simulated day (a cycle every 5 minutes, the reconcile hourly),
 *     in process (the model check's WorldSource): calls per hour, full cycles vs live.
 * Run: npx tsx bench/live.ts [joins=20000] [samples=40]
 */
import { botApiChatIdFromChannel } from '../src/domain/chat-id.js';
import { generateWorld } from '../src/sandbox/generate-scenario.js';
import { startSandbox } from '../src/sandbox/sandbox.js';
import type { World } from '../src/sandbox/world.js';
import { openStore } from '../src/store/index.js';
import { SyncEngine } from '../src/sync/engine.js';
import { startLiveTrigger } from '../src/sync/live-trigger.js';
import { createTelegramClient } from '../src/telegram/client.js';
import { GramJsInviteSource } from '../src/telegram/invite-source.js';
import { listenForSignals } from '../src/telegram/live-signals.js';
import { WorldSource } from '../test/sim/world-source.js';
import { measureLiveApp, type LiveAppRun } from './lib/live-app.js';

const [joinsArg, samplesArg] = process.argv.slice(2);
const JOINS = Number(joinsArg ?? 20_000);
const SAMPLES = Number(samplesArg ?? 40);
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? NaN;
const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

// --- the bench world's layout through real GramJS ------------------------------------------------
const world = generateWorld({ chats: 1, linksPerChat: 200, joins: JOINS, hotLinkShare: 0.5, pending: Math.round(JOINS / 50), seed: 4 });
const mtChat = world.chats()[0]!.id;
const chatId = botApiChatIdFromChannel(mtChat);
let clock = Math.floor(Date.now() / 1000);
world.setClock(() => clock);
const sb = await startSandbox({ world });
const client = createTelegramClient({ apiId: sb.apiId, apiHash: sb.apiHash, session: sb.session, server: sb.mtproto, cacheEntities: false });
await client.connect();
const store = openStore(':memory:');
const engine = new SyncEngine({ store, source: new GramJsInviteSource(client), maxCallsPerCycle: 1_000_000, maxCallsPerMinute: 1_000_000, now: () => clock });
const calls = () => {
  const c = sb.calls();
  sb.resetCalls();
  return c;
};
await engine.runCycle([chatId]);
console.log(`world: 1 chat, 200 links (2 admins), ${fmt(JOINS)} joins, ${fmt(world.pendingCount(mtChat))} pending; backfilled`);
calls();

await engine.runCycle([chatId], { full: true });
const idleFull = calls();
await engine.runCycle([chatId]);
const idleLive = calls();
console.log(`idle chat, calls per cycle: full reconcile (today's cycle) ${total(idleFull)} ${JSON.stringify(idleFull)}; ordinary (live) ${total(idleLive)} ${JSON.stringify(idleLive)} (target ≤ 2)`);

let nextUser = 50_000_000n;
function change(share: number): { joins: number; requests: number } {
  const open = world.links(mtChat, { revoked: false }).filter((l) => !l.requestNeeded);
  const asking = world.links(mtChat, { revoked: false }).filter((l) => l.requestNeeded);
  const joins = Math.round(JOINS * share);
  const requests = Math.round(world.pendingCount(mtChat) * share) || 1;
  for (let i = 0; i < joins; i++) {
    clock += 1;
    world.addUser({ id: nextUser, firstName: `J${nextUser}` });
    world.addJoin(mtChat, { userId: nextUser++, link: open[i % open.length]!.link });
  }
  for (let i = 0; i < requests; i++) {
    world.addUser({ id: nextUser, firstName: `R${nextUser}` });
    world.addRequest(mtChat, { userId: nextUser++, link: asking.length > 0 && i % 3 !== 0 ? asking[i % asking.length]!.link : null });
  }
  return { joins, requests };
}
const c1 = change(0.01);
await engine.runCycle([chatId]);
const changeLive = calls();
const c2 = change(0.01);
await engine.runCycle([chatId], { full: true });
const changeFull = calls();
const logPages = Math.ceil((c1.joins + 1) / 100);
const pendingPages = Math.ceil(world.pendingCount(mtChat) / 100);
console.log(`1 % change (+${fmt(c1.joins)} joins, +${fmt(c1.requests)} requests): ordinary (live) ${total(changeLive)} calls ${JSON.stringify(changeLive)}; ` +
  `full reconcile of an equal change (+${fmt(c2.joins)}, +${fmt(c2.requests)}) ${total(changeFull)} calls ${JSON.stringify(changeFull)}; ` +
  `the ordinary cycle's floor: admin-log pages ${logPages} + one pending page = ${logPages + 1} (the chat-wide list's ${pendingPages} pages when it changed)`);

// --- request → stored through the push path ------------------------------------------------------
const trigger = startLiveTrigger({ store, engine, chats: [chatId], signals: listenForSignals(client), now: () => clock });
await client.getMe();
clock += 11;
await new Promise((r) => setTimeout(r, 300));
const stored: number[] = [];
for (let i = 0; i < SAMPLES; i++) {
  clock += 11; // past the 10 s debounce of the last targeted sync
  const userId = nextUser++;
  world.addUser({ id: userId, firstName: `L${userId}` });
  const t0 = performance.now();
  world.addRequest(mtChat, { userId, link: null });
  while (!store.requests.pendingOf(chatId, userId)) await new Promise((r) => setTimeout(r, 2));
  stored.push(performance.now() - t0);
  await new Promise((r) => setTimeout(r, 20));
}
await trigger.stop();
console.log(`request in the world → stored (push → dirty mark → targeted check), ${SAMPLES} samples: p50 ${fmt(pct(stored, 50))} ms, p99 ${fmt(pct(stored, 99))} ms`);
await client.destroy();
await sb.stop();
store.close();

// --- the real app: request → stored → notification, at the default digest wait and without one ----
const appRuns: Record<string, LiveAppRun> = {};
for (const wait of [10, 0]) {
  const run = (appRuns[`wait${wait}`] = await measureLiveApp({ digestWaitSeconds: wait, samples: SAMPLES, spacingMs: 250, seed: 11 + wait }));
  console.log(`real app, DIGEST_WAIT_SECONDS=${wait}, ${SAMPLES} requests (one per chat, 250 ms apart): ` +
    `request → stored p50 ${fmt(pct(run.storedMs, 50))} ms, p99 ${fmt(pct(run.storedMs, 99))} ms (stored first by ${JSON.stringify(run.storedBy)}); ` +
    `request → digest accepted by the Bot API p50 ${fmt(pct(run.notifiedMs, 50))} ms, p99 ${fmt(pct(run.notifiedMs, 99))} ms`);
}
console.log('  (the 10 s default: a digest leaves DIGEST_WAIT_SECONDS after the second its first request was stored, so 9–10 s after ' +
  'the request by design, letting a burst share one message; the pipeline beyond that wait is the DIGEST_WAIT_SECONDS=0 figure)');

// --- 300 chats idle for a simulated day, in process ------------------------------------------------
function countingSource(w: World): { source: WorldSource; calls: () => number } {
  const inner = new WorldSource(w, { adminLog: true });
  let n = 0;
  const counted = new Proxy(inner, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function' || prop === 'self' || prop === 'resolveChat') return v;
      return (...args: unknown[]) => {
        n++;
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { source: counted, calls: () => n };
}
async function day(live: boolean): Promise<{ perHour: number; hours: number }> {
  const w = generateWorld({ chats: 300, linksPerChat: 5, joins: 40, pending: 2, seed: 9 });
  let t = Math.floor(Date.now() / 1000);
  w.setClock(() => t);
  const s = openStore(':memory:');
  const { source, calls: made } = countingSource(w);
  const e = new SyncEngine({ store: s, source, now: () => t, maxCallsPerCycle: 1_000_000, maxCallsPerMinute: 1_000_000_000 });
  const chats = w.chats().map((c) => botApiChatIdFromChannel(c.id));
  await e.runCycle(chats, { full: true }); // the first sync of every chat, not counted
  const before = made();
  const hours = live ? 24 : 2;
  for (let cycle = 0; cycle < hours * 12; cycle++) {
    t += 300;
    if (live && cycle % 12 === 11) s.chatLive.markReconcileDue(chats);
    await e.runCycle(chats, live ? {} : { full: true });
  }
  s.close();
  return { perHour: (made() - before) / hours, hours };
}
const today = await day(false);
const live = await day(true);
console.log(`300 chats (5 links each) idle, a cycle every 5 minutes: full cycles (today) ${fmt(today.perHour)} calls/hour (over ${today.hours} h); ` +
  `live (ordinary cycles, the reconcile hourly) ${fmt(live.perHour)} calls/hour (over a simulated day)`);
console.log(JSON.stringify({
  storedMs: { p50: +pct(stored, 50).toFixed(1), p99: +pct(stored, 99).toFixed(1), samples: SAMPLES },
  app: Object.fromEntries(Object.entries(appRuns).map(([k, r]) => [k, {
    storedMs: { p50: +pct(r.storedMs, 50).toFixed(1), p99: +pct(r.storedMs, 99).toFixed(1) },
    notifiedMs: { p50: +pct(r.notifiedMs, 50).toFixed(1), p99: +pct(r.notifiedMs, 99).toFixed(1) },
    storedBy: r.storedBy,
  }])),
  idleCallsPerChat: { full: total(idleFull), live: total(idleLive) },
  changeCycle: { live: total(changeLive), full: total(changeFull), logPages, pendingPages },
  idle300PerHour: { today: Math.round(today.perHour), live: Math.round(live.perHour) },
}));
process.exit(0);
