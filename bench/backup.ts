/**
 * `joinwatch backup` on the 1,000,000-join store (issue 12): the generator's BENCH_PARAMS world
 * (1 chat, 200 links, 1,000,000 joins, 20,000 pending) written into a SQLite file through the store
 * API, as bench/bot-latency.ts builds it (pass the same --db FILE to build it once and reuse it).
 * Prints:
 *   - the backup alone: time (median of 3) and the size of the copy;
 *   - the backup while another process writes pages of 100 joins as the sync does: its time, the
 *     pages that writer committed meanwhile, and its commit latency during the backup versus before
 *     (the backup holds a read snapshot; in WAL mode writers are not held up).
 * Run: npx tsx bench/backup.ts [--db FILE] [--joins N]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BENCH_PARAMS } from '../src/sandbox/generate-scenario.js';
import { openBenchStore } from './lib/bench-store.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const JOINS = Number(option('joins') ?? BENCH_PARAMS.joins ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'jw-backup-bench-'));
const dbPath = option('db') ?? join(dir, 'bench.db');
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const mb = (bytes: number) => `${fmt(bytes / 1048576, 1)} MB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

const store = openBenchStore(dbPath, JOINS);
const counts = store.vitals.tableCounts();
console.log(`store: ${mb(store.vitals.databaseBytes())}, ${fmt(counts.joins)} joins, ${fmt(counts.users)} users, ${fmt(counts.joinRequests)} requests`);

const runs: number[] = [];
let size = 0;
for (let i = 0; i < 3; i++) {
  const r = await store.backup(join(dir, `copy-${i}.db`));
  runs.push(r.seconds);
  size = r.bytes;
  rmSync(r.file);
}
console.log(`backup alone: ${runs.map((s) => fmt(s, 2)).join(', ')} s → median ${fmt(median(runs), 2)} s, copy ${mb(size)} (${fmt(size)} bytes), quick_check included`);

// The same while another process writes.
const writer = spawn(process.execPath, ['--import', 'tsx', new URL('./lib/backup-writer.ts', import.meta.url).pathname, dbPath], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: writer.stdout });
const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
await next(); // ready
await new Promise((resolve) => setTimeout(resolve, 2000)); // a baseline of commits before the backup
const from = Date.now();
const during = await store.backup(join(dir, 'copy-busy.db'));
const to = Date.now();
await new Promise((resolve) => setTimeout(resolve, 500));
const result = next();
writer.stdin.end();
const commits = JSON.parse(await result) as Array<[number, number]>;
const before = commits.filter(([at]) => at < from).map(([, ms]) => ms);
const inside = commits.filter(([at]) => at >= from && at <= to).map(([, ms]) => ms);
console.log(`backup during writes: ${fmt(during.seconds, 2)} s, copy ${mb(during.bytes)}, quick_check ${during.check}; the writer committed ${fmt(inside.length)} pages of 100 joins meanwhile`);
console.log(`  writer commit latency before: p50 ${fmt(pct(before, 50), 2)} ms, p99 ${fmt(pct(before, 99), 2)} ms, max ${fmt(Math.max(...before), 2)} ms (n=${before.length})`);
console.log(`  writer commit latency during: p50 ${fmt(pct(inside, 50), 2)} ms, p99 ${fmt(pct(inside, 99), 2)} ms, max ${fmt(Math.max(...inside), 2)} ms (n=${inside.length})`);
console.log(JSON.stringify({ joins: counts.joins, backupSeconds: +median(runs).toFixed(2), sizeBytes: size, busyBackupSeconds: +during.seconds.toFixed(2), writerPagesDuring: inside.length, writerP99MsBefore: +pct(before, 99).toFixed(2), writerP99MsDuring: +pct(inside, 99).toFixed(2) }));
store.close();
rmSync(dir, { recursive: true, force: true });
