/**
 * Sync benchmark (issue 4): 1 chat, 200 links, 1,000,000 joins (500,000 on one link), 20,000 pending,
 * through real GramJS and the sandbox MTProto server, which runs in a CHILD process
 * (bench/sync-sandbox-child.ts) so the peak RSS printed here is the sync's own.
 * Prints: backfill wall time and importers/s, peak RSS, Telegram calls made versus the minimum for
 * the backfill, an idle cycle and a 1 % change cycle, and the sync's page write cost per row versus a
 * bare better-sqlite3 insert of the same rows in the same run.
 * Run: npx tsx bench/sync-backfill.ts [joins=1000000] [pending=20000] [links=200]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { openStore } from '../src/store/index.js';
import type { SyncContext } from '../src/sync/context.js';
import { SyncEngine } from '../src/sync/engine.js';
import { writeJoinPage } from '../src/sync/joins-pager.js';
import type { CycleReport } from '../src/sync/report.js';
import type { ImporterPage } from '../src/sync/types.js';
import { createTelegramClient } from '../src/telegram/client.js';
import { GramJsInviteSource } from '../src/telegram/invite-source.js';

const CHAT = -1001700000001n;
const args = process.argv.slice(2);
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const mb = (bytes: number) => `${fmt(bytes / 1048576, 1)} MB`;

// --- the sandbox child -------------------------------------------------------------------------
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/sync-sandbox-child.ts', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
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
type Minimum = { listing: number; joins: number; pending: number; newJoins?: number; newRequests?: number };
const SYNC_METHODS = ['messages.getAdminsWithInvites', 'messages.getExportedChatInvites', 'messages.getChatInviteImporters'];
const syncCalls = (c: Calls) => SYNC_METHODS.reduce((n, m) => n + (c[m] ?? 0), 0);
const minTotal = (m: Minimum) => m.listing + m.joins + m.pending;

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
const engine = new SyncEngine({
  store,
  source: new GramJsInviteSource(client),
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
    `(listing ${minimum.listing} + members ${minimum.joins} + pending ${minimum.pending}) → ratio ${(made / minTotal(minimum)).toFixed(2)}`);
  console.log(`  calls by method: ${JSON.stringify(calls)}`);
  return { seconds, rows: chat.rowsAdded, made, minimum: minTotal(minimum), outcome: chat.outcome };
}

const backfill = await measured('backfill', () => engine.runCycle([CHAT]), await ask<Minimum>({ cmd: 'minimum', kind: 'backfill' }));
const backfillRss = peakRss;
console.log(`  ${fmt(backfill.rows / backfill.seconds)} importers/s end to end; peak RSS of the sync process ${mb(backfillRss)} (maxRSS ${mb(process.resourceUsage().maxRSS * 1024)})`);
const idle = await measured('idle cycle', () => engine.runCycle([CHAT]), await ask<Minimum>({ cmd: 'minimum', kind: 'idle' }));
const changeMin = await ask<Minimum>({ cmd: 'change', share: 0.01 });
console.log(`1 % change: +${fmt(changeMin.newJoins ?? 0)} joins, +${fmt(changeMin.newRequests ?? 0)} requests added to the world`);
const change = await measured('1 % change cycle', () => engine.runCycle([CHAT]), changeMin);
clearInterval(sampler);
await client.destroy();
child.stdin.end();

// --- the write cost: the sync's own page write vs a bare insert of the same rows ---------------
function writeCost(rows = 200_000): { sync: number; bare: number } {
  const round = fs.mkdtempSync(path.join(dir, 'round-'));
  const s = openStore(path.join(round, 'write.db'));
  const link = 'https://t.me/+WriteBench0001';
  s.chats.upsert({ id: CHAT, title: 'bench', type: 'supergroup', isOwner: true });
  s.links.upsert(CHAT, { link, adminId: 1n, date: 1, usage: rows });
  const ctx = { store: s, now: () => 1_767_225_600 } as SyncContext;
  const bare = new Database(path.join(round, 'bare.db'));
  bare.pragma('journal_mode = WAL');
  bare.pragma('synchronous = NORMAL');
  bare.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, access_hash INTEGER, username TEXT, first_name TEXT, last_name TEXT); CREATE TABLE joins (link TEXT, user_id INTEGER, date INTEGER, approved_by INTEGER, via_chatlist INTEGER)');
  const u = bare.prepare('INSERT INTO users VALUES (?, ?, ?, ?, ?)');
  const j = bare.prepare('INSERT INTO joins VALUES (?, ?, ?, ?, ?)');
  const barePage = bare.transaction((p: ImporterPage) => {
    for (let i = 0; i < p.rows.length; i++) {
      const r = p.rows[i]!;
      const user = p.users[i]!;
      u.run(user.id, user.accessHash, user.username ?? null, user.firstName, user.lastName ?? '');
      j.run(link, r.userId, r.date, null, 0);
    }
  });
  let syncNs = 0n;
  let bareNs = 0n;
  for (let off = 0; off < rows; off += 100) {
    const page: ImporterPage = { count: rows, rows: [], users: [] };
    for (let i = off; i < off + 100; i++) {
      const id = 9_007_199_254_740_993n + BigInt(i);
      page.rows.push({ userId: id, date: 1_767_225_600 - Math.floor(i / 3), requested: false, viaChatlist: false });
      page.users.push({ id, accessHash: -4611686018427387904n + BigInt(i), firstName: `Анна ${i}`, lastName: i % 3 ? '' : 'Lee', username: i % 2 ? undefined : `u${i}` });
    }
    const t0 = process.hrtime.bigint();
    barePage(page);
    const t1 = process.hrtime.bigint();
    writeJoinPage(ctx, CHAT, link, page, true, { backfill: { date: page.rows.at(-1)!.date, userId: page.rows.at(-1)!.userId } });
    const t2 = process.hrtime.bigint();
    bareNs += t1 - t0;
    syncNs += t2 - t1;
  }
  if (s.joins.countByLink(CHAT, link) !== rows) throw new Error('the sync write lost rows');
  s.close();
  bare.close();
  return { sync: Number(syncNs) / rows / 1000, bare: Number(bareNs) / rows / 1000 };
}
// Three rounds on fresh files, median: one round is at the mercy of the page cache and checkpoints.
const rounds = [writeCost(), writeCost(), writeCost()].sort((a, b) => a.sync / a.bare - b.sync / b.bare);
const cost = rounds[1]!;
console.log(`write cost per row (median of 3 rounds of 200,000): sync page write ${fmt(cost.sync, 2)} µs vs bare better-sqlite3 insert ${fmt(cost.bare, 2)} µs → ${(cost.sync / cost.bare).toFixed(2)}x ` +
  '(sync = users upsert + join + approval check + one outbox event per page + cursor, one transaction per 100-row page; bare = users + joins inserts, same pages)');

const summary = {
  backfill: { seconds: +backfill.seconds.toFixed(2), rows: backfill.rows, importersPerSecond: Math.round(backfill.rows / backfill.seconds), calls: backfill.made, minimum: backfill.minimum, ratio: +(backfill.made / backfill.minimum).toFixed(3) },
  peakRssMB: +(backfillRss / 1048576).toFixed(1),
  idle: { calls: idle.made, minimum: idle.minimum, ratio: +(idle.made / idle.minimum).toFixed(3) },
  change: { calls: change.made, minimum: change.minimum, ratio: +(change.made / change.minimum).toFixed(3), rows: change.rows },
  writeCost: { syncMicros: +cost.sync.toFixed(2), bareMicros: +cost.bare.toFixed(2), ratio: +(cost.sync / cost.bare).toFixed(2) },
};
console.log(JSON.stringify(summary));
store.close();
fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
