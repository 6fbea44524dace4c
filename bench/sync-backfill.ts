/**
 * Sync benchmark (issue 4): 1 chat, 200 links, 1,000,000 joins (500,000 on one link), 20,000 pending,
 * through real GramJS and the sandbox MTProto server, which runs in a CHILD process
 * (bench/sync-sandbox-child.ts) so the peak RSS printed here is the sync's own.
 * Prints: backfill wall time and importers/s, peak RSS, Telegram calls made versus the minimum for
 * the backfill, an idle cycle and a 1 % change cycle, the cost of learning who left when 1 % of the
 * members leave (calls per cycle at the default budget, until the store's members equal Telegram's),
 * and the sync's page write cost per row versus a bare better-sqlite3 insert of the same rows.
 * Run: npx tsx bench/sync-backfill.ts [joins=1000000] [pending=20000] [links=200]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { openStore } from '../src/store/index.js';
import { SyncEngine } from '../src/sync/engine.js';
import type { CycleReport } from '../src/sync/report.js';
import { createTelegramClient } from '../src/telegram/client.js';
import { GramJsInviteSource } from '../src/telegram/invite-source.js';
import { medianPageWrite, PAGE_WRITE_DESCRIPTION } from './lib/page-write.js';

const CHAT = -1001700000001n;
const args = process.argv.slice(2);
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const mb = (bytes: number) => `${fmt(bytes / 1048576, 1)} MB`;

// --- the sandbox child -------------------------------------------------------------------------
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/sync-sandbox-child.ts', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: child.stdout });
const queue: ((line: string) => void)[] = [];
const early: string[] = [];
lines.on('line', (l) => (queue.shift() ?? ((x: string) => early.push(x)))(l));
const nextLine = () => new Promise<string>((resolve) => (early.length > 0 ? resolve(early.shift()!) : queue.push(resolve)));
async function ask<T>(cmd: object): Promise<T> {
  const answer = nextLine();
  child.stdin.write(`${JSON.stringify(cmd)}\n`);
  return JSON.parse(await answer) as T;
}
type Calls = Record<string, number>;
type Minimum = { listing: number; joins: number; pending: number; adminLog?: number; newJoins?: number; newRequests?: number };
// The admin log is a sync call since the live path (issue 10): every cycle reads it from its cursor.
const SYNC_METHODS = ['messages.getAdminsWithInvites', 'messages.getExportedChatInvites', 'messages.getChatInviteImporters', 'channels.getAdminLog'];
const syncCalls = (c: Calls) => SYNC_METHODS.reduce((n, m) => n + (c[m] ?? 0), 0);
const minTotal = (m: Minimum) => m.listing + m.joins + m.pending + (m.adminLog ?? 0);

const hello = JSON.parse(await nextLine()) as { mtproto: string; session: string; apiId: number; apiHash: string; buildMs: number; params: Record<string, number> };
console.log(`sandbox child ready: world of ${fmt(hello.params.joins ?? 0)} joins, ${fmt(hello.params.pending ?? 0)} pending, ${hello.params.linksPerChat} links built in ${fmt(hello.buildMs / 1000, 1)} s`);

// --- the sync, in this process -----------------------------------------------------------------
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-sync-bench-'));
const store = openStore(path.join(dir, 'joinwatch.db'));
const client = createTelegramClient({ apiId: hello.apiId, apiHash: hello.apiHash, session: hello.session, server: hello.mtproto, cacheEntities: false });
await client.connect();
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
let lastShown = 0;
const source = new GramJsInviteSource(client);
const engine = new SyncEngine({
  store,
  source,
  maxCallsPerCycle: 1_000_000,
  maxCallsPerMinute: 1_000_000,
  onProgress: (p) => {
    if (p.total >= 100_000 && p.stored - lastShown >= 100_000) {
      lastShown = p.stored;
      console.log(`  … ${fmt(p.stored)} / ${fmt(p.total)} on ${p.link} (rss ${mb(process.memoryUsage().rss)})`);
    }
  },
});
await ask<Calls>({ cmd: 'calls' }); // zero the counter (connect and getMe are not sync calls)

async function measured(label: string, run: () => Promise<CycleReport>, minimum: Minimum) {
  const t0 = performance.now();
  const report = await run();
  const seconds = (performance.now() - t0) / 1000;
  const calls = await ask<Calls>({ cmd: 'calls' });
  const chat = report.chats[0]!;
  const made = syncCalls(calls);
  console.log(`${label}: ${chat.outcome}, ${fmt(chat.rowsAdded)} rows in ${fmt(seconds, 2)} s; Telegram calls ${made} vs minimum ${minTotal(minimum)} ` +
    `(listing ${minimum.listing} + members ${minimum.joins} + pending ${minimum.pending} + admin log ${minimum.adminLog ?? 0}) → ratio ${(made / minTotal(minimum)).toFixed(2)}`);
  console.log(`  calls by method: ${JSON.stringify(calls)}`);
  return { seconds, rows: chat.rowsAdded, made, minimum: minTotal(minimum), outcome: chat.outcome };
}

// The backfill reads one admin-log page (an empty log: the cursor every later cycle starts from);
// the live path cannot do without it, so the minimum counts it.
const backfillMin = { ...(await ask<Minimum>({ cmd: 'minimum', kind: 'backfill' })), adminLog: 1 };
const backfill = await measured('backfill', () => engine.runCycle([CHAT]), backfillMin);
const backfillRss = peakRss;
console.log(`  ${fmt(backfill.rows / backfill.seconds)} importers/s end to end; peak RSS of the sync process ${mb(backfillRss)} (maxRSS ${mb(process.resourceUsage().maxRSS * 1024)})`);
// Idle and 1 % change: an ordinary (live) cycle, against what a cycle that lists every link (the
// full reconcile, today's cycle before issue 10) needs at least; bench/live.ts prints the ordinary
// cycle against its own floor (admin-log pages + pending pages).
const idle = await measured('idle cycle (ordinary, vs the full listing\'s minimum)', () => engine.runCycle([CHAT]), await ask<Minimum>({ cmd: 'minimum', kind: 'idle' }));
const changeMin = await ask<Minimum>({ cmd: 'change', share: 0.01 });
console.log(`1 % change: +${fmt(changeMin.newJoins ?? 0)} joins, +${fmt(changeMin.newRequests ?? 0)} requests added to the world`);
const change = await measured('1 % change cycle (ordinary, vs the full listing\'s minimum)', () => engine.runCycle([CHAT]), changeMin);

// --- 1 % of the members leave: who, learnt from listings alone ----------------------------------
// Counters say only how many left per link; the links that lost members are listed whole in the
// background (at most a quarter of a cycle's calls), so it takes several cycles at the default budget.
// Ordinary (live) cycles list no links: leaves are learnt by the reconcile (hourly by default), so
// these are full cycles, as `sync --once --full` runs them.
const DEFAULT_BUDGET = 5000;
const leaving = await ask<{ left: number; links: number; minimum: number }>({ cmd: 'leave', share: 0.01 });
console.log(`1 % leave: ${fmt(leaving.left)} members of ${leaving.links} links left`);
const detector = new SyncEngine({ store, source, maxCallsPerCycle: DEFAULT_BUDGET, maxCallsPerMinute: 1_000_000 });
const leaveCycles: number[] = [];
const t0 = performance.now();
for (let i = 0; i < 100; i++) {
  await detector.runCycle([CHAT], { full: true });
  leaveCycles.push(syncCalls(await ask<Calls>({ cmd: 'calls' })));
  const usage = await ask<Record<string, number>>({ cmd: 'check' });
  if (store.links.list(CHAT).every((l) => l.membersStored === (usage[l.link] ?? 0))) break;
}
const leaveCalls = leaveCycles.reduce((a, b) => a + b, 0);
console.log(`leaves learnt in ${leaveCycles.length} full reconcile cycles of at most ${fmt(DEFAULT_BUDGET)} calls (${fmt((performance.now() - t0) / 1000, 1)} s): ` +
  `calls per cycle ${leaveCycles.join(', ')}; ${fmt(leaveCalls)} in all vs minimum ${fmt(leaving.minimum)} (each link that lost members listed once to its empty page) → ratio ${(leaveCalls / leaving.minimum).toFixed(2)}`);
clearInterval(sampler);
await client.destroy();
child.stdin.end();

// --- the write cost: the sync's own page write vs a bare insert of the same rows ---------------
const cost = medianPageWrite(200_000, 3);
console.log(`write cost per row (median of 3 rounds of 200,000): store page write ${fmt(cost.storeMicrosPerRow, 2)} µs vs bare better-sqlite3 insert ` +
  `${fmt(cost.bareMicrosPerRow, 2)} µs → ${cost.ratio.toFixed(2)}x; vs a tuned bare insert ${fmt(cost.tunedBareMicrosPerRow, 2)} µs → ${cost.tunedRatio.toFixed(2)}x (${PAGE_WRITE_DESCRIPTION})`);

const summary = {
  backfill: { seconds: +backfill.seconds.toFixed(2), rows: backfill.rows, importersPerSecond: Math.round(backfill.rows / backfill.seconds), calls: backfill.made, minimum: backfill.minimum, ratio: +(backfill.made / backfill.minimum).toFixed(3) },
  peakRssMB: +(backfillRss / 1048576).toFixed(1),
  idle: { calls: idle.made, minimum: idle.minimum, ratio: +(idle.made / idle.minimum).toFixed(3) },
  change: { calls: change.made, minimum: change.minimum, ratio: +(change.made / change.minimum).toFixed(3), rows: change.rows },
  leaves: { left: leaving.left, links: leaving.links, cycles: leaveCycles.length, callsPerCycle: leaveCycles, calls: leaveCalls, minimum: leaving.minimum, ratio: +(leaveCalls / leaving.minimum).toFixed(3) },
  writeCost: { storeMicros: +cost.storeMicrosPerRow.toFixed(2), bareMicros: +cost.bareMicrosPerRow.toFixed(2), ratio: +cost.ratio.toFixed(2), tunedBareMicros: +cost.tunedBareMicrosPerRow.toFixed(2), tunedRatio: +cost.tunedRatio.toFixed(2) },
};
console.log(JSON.stringify(summary));
store.close();
fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
