/**
 * What the metrics observer costs the sync (issue 12, target < 2 %): the same backfill through real
 * GramJS against the sandbox (in a child process, bench/lib/sync-sandbox-child.ts), into a fresh
 * store each time, alternately without and with the observer (prom-client counters and histograms
 * per Telegram call, per cycle), so drift of the shared machine hits both alike.
 * Prints each run's backfill time, the medians and the ratio with/without.
 * Run: npx tsx bench/sync-metrics-overhead.ts [--joins 200000] [--pairs 5] [--only on|off] [--micro]
 *   --only runs one mode once (for timing whole processes against each other); --micro prints only
 *   the observer's cost per call, which the machine's noise does not blur.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createMetrics } from '../src/metrics/metrics.js';
import { openStore } from '../src/store/index.js';
import { SyncEngine } from '../src/sync/engine.js';
import { createTelegramClient } from '../src/telegram/client.js';
import { GramJsInviteSource } from '../src/telegram/invite-source.js';

const CHAT = -1001700000001n;
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const JOINS = Number(option('joins') ?? 200_000);
const PAIRS = Number(option('pairs') ?? 5);
const ONLY = option('only');
const fmt = (n: number, d = 2) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

if (args.includes('--micro')) {
  console.log(`observer cost: ${fmt(observerCostMicros(), 3)} µs per observed call`);
  process.exit(0);
}

const child = spawn(process.execPath, ['--import', 'tsx', new URL('./lib/sync-sandbox-child.ts', import.meta.url).pathname, String(JOINS), String(Math.round(JOINS / 50)), '200'], { stdio: ['pipe', 'pipe', 'inherit'] });
const hello = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve))) as { mtproto: string; session: string; apiId: number; apiHash: string };
const client = createTelegramClient({ apiId: hello.apiId, apiHash: hello.apiHash, session: hello.session, server: hello.mtproto, cacheEntities: false });
await client.connect();
const dir = mkdtempSync(join(tmpdir(), 'jw-metrics-overhead-'));

async function backfill(withMetrics: boolean, n: number): Promise<{ seconds: number; rows: number }> {
  const store = openStore(join(dir, `run-${n}.db`));
  const metrics = withMetrics ? createMetrics({ store, chats: [String(CHAT)], sessionRevoked: () => false }) : undefined;
  const engine = new SyncEngine({
    store,
    source: new GramJsInviteSource(client),
    maxCallsPerCycle: 1_000_000,
    maxCallsPerMinute: 1_000_000,
    ...(metrics ? { observer: metrics.sync } : {}),
  });
  const t = performance.now();
  const report = await engine.runCycle([CHAT]);
  const seconds = (performance.now() - t) / 1000;
  if (metrics) await metrics.render(); // one scrape, so nothing is left unmeasured
  store.close();
  rmSync(join(dir, `run-${n}.db`), { force: true });
  return { seconds, rows: report.chats[0]?.rowsAdded ?? 0 };
}

/**
 * The observer's own cost, apart from the machine's noise: what one observed call costs (a
 * counter and a histogram), times the calls of a backfill, against that backfill's time.
 */
function observerCostMicros(): number {
  const scratch = openStore(':memory:');
  const m = createMetrics({ store: scratch, chats: [String(CHAT)] });
  const n = 1_000_000;
  for (let i = 0; i < 10_000; i++) m.sync.call({ method: 'listJoins', outcome: 'ok', seconds: 0.01 });
  const t = performance.now();
  for (let i = 0; i < n; i++) m.sync.call({ method: i % 2 ? 'listJoins' : 'listRequests', outcome: 'ok', seconds: (i % 100) / 1000 });
  const micros = ((performance.now() - t) * 1000) / n;
  scratch.close();
  return micros;
}

if (ONLY) {
  const r = await backfill(ONLY === 'on', 0);
  console.log(JSON.stringify({ metrics: ONLY, seconds: +r.seconds.toFixed(3), rows: r.rows }));
} else {
  await backfill(false, -1); // warm-up: JIT, the sandbox's caches, the page cache
  const off: number[] = [];
  const on: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    // Alternate which goes first, so a trend over the run does not favour one side.
    const order = i % 2 === 0 ? [false, true] : [true, false];
    for (const withMetrics of order) {
      const r = await backfill(withMetrics, i * 2 + (withMetrics ? 1 : 0));
      (withMetrics ? on : off).push(r.seconds);
      console.log(`  pair ${i + 1}: ${withMetrics ? 'with   ' : 'without'} metrics ${fmt(r.seconds)} s (${r.rows.toLocaleString('en')} rows)`);
    }
  }
  const ratios = on.map((s, i) => s / (off[i] ?? NaN));
  console.log(`backfill of ${JOINS.toLocaleString('en')} joins: median without ${fmt(median(off))} s, with ${fmt(median(on))} s → ` +
    `median ratio per pair ${fmt(median(ratios), 4)} (overhead ${fmt((median(ratios) - 1) * 100, 2)} %), ratio of medians ${fmt(median(on) / median(off), 4)}`);
  const micros = observerCostMicros();
  const calls = Math.ceil(JOINS / 100) + Math.ceil(JOINS / 50 / 100) * 2 + 10; // member pages, pending pages, listing
  console.log(`observer cost: ${fmt(micros, 3)} µs per observed call × ~${calls.toLocaleString('en')} calls = ${fmt((micros * calls) / 1000, 1)} ms per backfill, ` +
    `${fmt(((micros * calls) / 1e6 / median(off)) * 100, 3)} % of the median backfill without metrics`);
  console.log(JSON.stringify({ joins: JOINS, pairs: PAIRS, withoutSeconds: off, withSeconds: on, medianRatio: +median(ratios).toFixed(4), observerMicrosPerCall: +micros.toFixed(3) }));
}
await client.destroy();
child.stdin.end();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
