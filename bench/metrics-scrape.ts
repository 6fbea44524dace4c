/**
 * How long a Prometheus scrape of /metrics (and a /healthz check) takes on the 1,000,000-join store
 * (bench/lib/bench-store.ts; pass --db FILE to reuse it), over HTTP from this process, with the
 * series a busy day leaves behind (every call method and outcome, cycles, update kinds, Node's
 * process metrics). Prints p50/p99 and the size of the answer.
 * Run: npx tsx bench/metrics-scrape.ts [--db FILE] [--samples 300]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createMetrics } from '../src/metrics/metrics.js';
import { startOpsEndpoint } from '../src/metrics/ops-endpoint.js';
import { openBenchStore } from './lib/bench-store.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const SAMPLES = Number(option('samples') ?? 300);
const dir = mkdtempSync(join(tmpdir(), 'jw-scrape-bench-'));
const store = openBenchStore(option('db') ?? join(dir, 'bench.db'));
const chats = store.chats.list().map((c) => String(c.id));
const metrics = createMetrics({ store, chats, sessionRevoked: () => false }, { processMetrics: true });
const methods = ['listAdminsWithLinks', 'listLinks', 'listJoins', 'listRequests'] as const;
for (let i = 0; i < 100_000; i++) {
  const outcome = i % 500 === 0 ? 'FloodWait' : i % 997 === 0 ? 'Transient' : 'ok';
  metrics.sync.call({ method: methods[i % 4]!, outcome, seconds: (i % 50) / 100, ...(outcome === 'FloodWait' ? { floodSeconds: 3600 } : {}) });
}
for (let i = 0; i < 10_000; i++) metrics.updateHandled(['message', 'callback_query', 'chat_join_request', 'my_chat_member'][i % 4] as string, (i % 100) / 1000);
for (let i = 0; i < 100; i++) metrics.floodSlept(3);
const server = await startOpsEndpoint({
  host: '127.0.0.1', port: 0, store, metrics, logger: pino({ level: 'silent' }), chats,
  sync: { sessionRevoked: () => false, cron: '*/5 * * * *', maxCallsPerCycle: 5000, maxCallsPerMinute: 300 },
  bot: { running: () => true, lastAnswerAt: Date.now, digestIntervalSeconds: 300, notifyIntervalSeconds: 30 },
});

async function time(path: string): Promise<{ ms: number[]; bytes: number }> {
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < SAMPLES + 20; i++) {
    const t = performance.now();
    const body = await (await fetch(server.url + path)).text();
    if (i >= 20) ms.push(performance.now() - t); // the first 20 warm up
    bytes = body.length;
  }
  return { ms, bytes };
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const scrape = await time('/metrics');
const health = await time('/healthz');
console.log(`GET /metrics: p50 ${pct(scrape.ms, 50).toFixed(2)} ms, p99 ${pct(scrape.ms, 99).toFixed(2)} ms, ${(scrape.bytes / 1024).toFixed(1)} kB (n=${SAMPLES})`);
console.log(`GET /healthz: p50 ${pct(health.ms, 50).toFixed(2)} ms, p99 ${pct(health.ms, 99).toFixed(2)} ms (n=${SAMPLES})`);
console.log(JSON.stringify({ metricsP50Ms: +pct(scrape.ms, 50).toFixed(2), metricsP99Ms: +pct(scrape.ms, 99).toFixed(2), healthP50Ms: +pct(health.ms, 50).toFixed(2), healthP99Ms: +pct(health.ms, 99).toFixed(2), bytes: scrape.bytes }));
await server.stop();
store.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
