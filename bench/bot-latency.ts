/**
 * Bot latency on the big store (issue 5's benchmark): 1 chat, 200 links, 1,000,000 joins (500,000 on
 * one link), 20,000 pending — the generator's BENCH_PARAMS world, mirrored into a SQLite file through
 * the store API (what the sync would write). Prints, for `/pending <query>` and a `/joiners` page:
 *   - the store query alone, p50/p99 (targets: p99 < 10 ms and < 5 ms);
 *   - end to end through real grammY and the sandbox Bot API (update in → reply out), p50/p99;
 *   - naive baselines on the same tables: a plain LIKE '%q%' scan for the search, OFFSET for pages.
 * Run: npx tsx bench/bot-latency.ts [--joins N] [--samples N] [--e2e-samples N] [--db FILE]
 * With --db the filled store is kept in FILE and reused by later runs (the world is regenerated:
 * the generator is deterministic, so store and world agree).
 */
import { existsSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { runBot } from '../src/bot/run-bot.js';
import { createBot } from '../src/bot/create-bot.js';
import { botApiChatIdFromChannel } from '../src/domain/chat-id.js';
import { BENCH_PARAMS, generateWorld } from '../src/sandbox/generate-scenario.js';
import { startSandbox } from '../src/sandbox/sandbox.js';
import type { SentRecord } from '../src/sandbox/botapi/state.js';
import { openStore, type Cursor, type Store } from '../src/store/index.js';
import { fillStoreFromWorld } from '../test/e2e/bot-harness.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const JOINS = arg('joins', BENCH_PARAMS.joins ?? 1_000_000);
const SAMPLES = arg('samples', 500);
const E2E_SAMPLES = arg('e2e-samples', 150);
const dbIndex = args.indexOf('--db');
const KEEP_DB = dbIndex >= 0 ? args[dbIndex + 1] : undefined;
const QUERIES = ['ann', 'Иван', 'fan', 'zz', '<b>', 'nosuchname'];

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
function fmt(xs: number[]): string {
  return `p50 ${pct(xs, 50).toFixed(2).padStart(7)} ms   p99 ${pct(xs, 99).toFixed(2).padStart(7)} ms   (n=${xs.length})`;
}
function time(fn: () => unknown, n: number): number[] {
  for (let i = 0; i < Math.min(20, n); i++) fn(); // warm the statement cache and pages
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out;
}

function naiveSearch(store: Store, chatId: bigint, q: string): unknown {
  // The baseline everyone writes first: concatenate, LIKE '%q%', sort, and count the same way.
  const where = `FROM join_requests r JOIN users u ON u.id = r.user_id
    WHERE r.chat_id = ? AND r.status = 'pending'
      AND (u.first_name || ' ' || u.last_name || ' ' || coalesce(u.username, '') || ' ' || coalesce(r.about, '')) LIKE ?`;
  const like = `%${q}%`;
  const rows = store.db.prepare(`SELECT r.user_id, r.date, u.first_name ${where} ORDER BY r.date DESC, r.user_id DESC LIMIT 10`).all(chatId, like);
  const count = store.db.prepare(`SELECT count(*) ${where}`).pluck().get(chatId, like);
  return [rows, count];
}

function naiveOffsetPage(store: Store, chatId: bigint, link: string, offset: number): unknown {
  return store.db
    .prepare(`SELECT j.user_id, j.date, u.first_name FROM joins j
              JOIN invite_links l ON l.id = j.link_id JOIN users u ON u.id = j.user_id
              WHERE l.chat_id = ? AND l.link = ? ORDER BY j.date DESC, j.user_id DESC LIMIT 20 OFFSET ?`)
    .all(chatId, link, offset);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'jw-bot-bench-'));
  try {
    let t = performance.now();
    const world = generateWorld({ ...BENCH_PARAMS, joins: JOINS });
    const [wchat] = world.chats();
    if (!wchat) throw new Error('no chat generated');
    const chatId = botApiChatIdFromChannel(wchat.id);
    console.log(`world: ${JOINS.toLocaleString('en')} joins, ${world.pendingCount(wchat.id).toLocaleString('en')} pending, ${world.links(wchat.id).length} active links, generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    t = performance.now();
    const dbPath = KEEP_DB ?? join(dir, 'bench.db');
    const reuse = KEEP_DB !== undefined && existsSync(KEEP_DB);
    const store = openStore(dbPath);
    if (reuse) console.log(`store reused from ${dbPath}`);
    else {
      fillStoreFromWorld(store, world, Math.floor(Date.now() / 1000));
      console.log(`store filled through the store API in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }

    const hot = [...world.links(wchat.id, { revoked: false })].sort((a, b) => world.usage(b.link) - world.usage(a.link))[0]!;
    const hotRows = world.importers(wchat.id, { link: hot.link, requested: false, offsetDate: 0, offsetUser: 0n, limit: 1_000_000 }).rows;
    console.log(`hot link ${hot.link}: ${hotRows.length.toLocaleString('en')} joiners\n`);

    console.log('== store query alone ==');
    for (const q of QUERIES) {
      const matches = store.pending.count(chatId, { query: q });
      console.log(`/pending ${q.padEnd(10)} (${String(matches).padStart(5)} match) keyset+FTS: ${fmt(time(() => { store.pending.page(chatId, { query: q }, { limit: 10 }); store.pending.count(chatId, { query: q }); }, SAMPLES))}`);
      console.log(`${' '.repeat(39)}LIKE scan: ${fmt(time(() => naiveSearch(store, chatId, q), Math.min(SAMPLES, 100)))}`);
    }
    const depths = Array.from({ length: SAMPLES }, (_, i) => Math.floor(((i * 7919) % hotRows.length)));
    const cursorAt = (d: number): Cursor => ({ date: hotRows[d]!.date, userId: hotRows[d]!.userId });
    let k = 0;
    console.log(`/joiners page (random depth, Next) keyset: ${fmt(time(() => store.joiners.page(chatId, hot.link, { limit: 20, before: cursorAt(depths[k++ % depths.length]!) }), SAMPLES))}`);
    k = 0;
    console.log(`/joiners page (random depth, Prev) keyset: ${fmt(time(() => store.joiners.page(chatId, hot.link, { limit: 20, after: cursorAt(depths[k++ % depths.length]!) }), SAMPLES))}`);
    k = 0;
    console.log(`/joiners page (random depth)  OFFSET baseline: ${fmt(time(() => naiveOffsetPage(store, chatId, hot.link, depths[k++ % depths.length]!), Math.min(SAMPLES, 60)))}`);
    console.log(`/joiners page (deepest, 499,980)  OFFSET: ${fmt(time(() => naiveOffsetPage(store, chatId, hot.link, hotRows.length - 20), 20))}`);

    console.log('\n== end to end: real grammY <-> sandbox Bot API (update in -> reply out) ==');
    const sandbox = await startSandbox({ world, mtproto: false });
    const bot = createBot({ token: sandbox.botToken, apiRoot: sandbox.botApiRoot, store, logger: pino({ level: 'silent' }), adminIds: [], watchChats: [{ kind: 'id', chatId }] });
    const running = runBot(bot, { timeoutSeconds: 1 });
    const driver = sandbox.bot;
    const asker = world.self.id;
    const say = async (text: string): Promise<{ ms: number; r: SentRecord }> => {
      const after = driver.cursor;
      const t0 = performance.now();
      driver.message({ from: asker, text });
      const r = await driver.waitForSent(() => true, { after, timeoutMs: 30_000 });
      return { ms: performance.now() - t0, r };
    };
    await say('/start'); // warm the admin cache (getChatAdministrators) once
    for (const q of ['ann', 'Иван', 'zz']) {
      const xs: number[] = [];
      // A few unmeasured rounds first: JIT warm-up of the search path is not what an admin waits for.
      for (let i = 0; i < 10; i++) await say(`/pending ${q}`);
      for (let i = 0; i < E2E_SAMPLES; i++) xs.push((await say(`/pending ${q}`)).ms);
      console.log(`/pending ${q.padEnd(10)} ${fmt(xs)}`);
    }
    const first = await say(`/joiners ${hot.link}`);
    const cmd: number[] = [first.ms];
    for (let i = 0; i < E2E_SAMPLES; i++) cmd.push((await say(`/joiners ${hot.link}`)).ms);
    console.log(`/joiners <link> (page 1)   ${fmt(cmd)}`);
    const presses: number[] = [];
    let page = first.r;
    for (let i = 0; i < E2E_SAMPLES; i++) {
      const markup = page.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] };
      const next = markup.inline_keyboard.flat().find((b) => b.text === 'Next ▶');
      if (!next) break;
      const after = driver.cursor;
      const t0 = performance.now();
      driver.press({ from: asker, messageId: page.message_id, data: next.callback_data });
      page = await driver.waitForSent((r) => r.message_id === first.r.message_id, { after, timeoutMs: 30_000 });
      presses.push(performance.now() - t0);
    }
    console.log(`/joiners Next press (edit)  ${fmt(presses)}`);
    await running.stop();
    await sandbox.stop();
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
