/**
 * The kill suite: `joinwatch start` (one process, or split into --no-bot and --no-sync on one
 * database) against the sandbox, SIGKILLed at seeded random moments while the world keeps changing
 * (joins, leaves, removals, re-joins, requests decided elsewhere, requests asked again: world-driver.ts)
 * and an admin works the bot (lists, pages, approvals, "Which chat?" picks). After each restart:
 * the database passes PRAGMA integrity_check and the buttons sent before the kill still work. At
 * the end: the export equals the world row for row, stays that ended and their left_at / left_how
 * included (compare.ts), and no notification was lost or doubled beyond what the dedupe key
 * accounts for.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { toRecord, type ExportRecord } from '../../../src/export/format.js';
import { rng } from '../../../src/sandbox/generate-scenario.js';
import { startSandbox, type Sandbox } from '../../../src/sandbox/sandbox.js';
import type { SentRecord } from '../../../src/sandbox/botapi/state.js';
import type { World } from '../../../src/sandbox/world.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { runCli } from '../../e2e/cli-process.js';
import { buttonsOf, press, quiet, sleep } from './bot-rig.js';
import { compareWithWorld, type RowDiff } from './compare.js';
import type { Figures } from './figures.js';
import { checkNotifications } from './notifications.js';
import { LogSink, Managed, ONE_PROCESS, SPLIT } from './processes.js';
import { secretsOf } from './secrets.js';
import { worldDriver } from './world-driver.js';
import { ADMIN, CHAT_A, CHAT_B, LINKS_A, botChat, faultWorld, type WorldSize } from './world.js';

export interface KillSuiteOptions {
  seed: number;
  kills: number;
  topology: 'one process' | 'split';
  size: WorldSize;
  figures: Figures;
  logs: LogSink;
}

/** A button press "works" unless its answer says its data is gone or refused it. */
const BROKEN_ANSWER = /expired|no longer available|not from this bot|was changed|not valid|went wrong|not an admin/i;

export async function killSuite(o: KillSuiteOptions): Promise<string> {
  const r = rng(o.seed);
  const world = faultWorld(o.seed, o.size);
  const sandbox = await startSandbox({ world });
  o.logs.given(secretsOf({ botToken: sandbox.botToken, sessions: [sandbox.session], apiHash: sandbox.apiHash }));
  const dir = mkdtempSync(join(tmpdir(), 'jw-faults-'));
  const db = join(dir, 'joinwatch.db');
  const recipient = String(botChat(CHAT_A));
  const env = {
    ...sandbox.env(),
    DATABASE_PATH: db,
    WATCH_CHATS: `${botChat(CHAT_A)},${botChat(CHAT_B)}`,
    NOTIFY_CHAT_ID: recipient,
    NOTIFY_INTERVAL_SECONDS: '1',
    DIGEST_INTERVAL_SECONDS: '2',
    SYNC_CRON: '*/2 * * * * *',
    SYNC_JITTER_SECONDS: '1',
    // Every link listed whole every 18 s: a leave and a join through one link between two cycles
    // leave its counter level, and only a full listing shows them (as on Telegram).
    SYNC_FULL_RECONCILE_HOURS: '0.005',
    LOG_LEVEL: 'info',
  };
  const nodes = (o.topology === 'split' ? SPLIT : ONE_PROCESS).map((role) => new Managed(role, env, o.logs));
  const admin = adminAtWork(sandbox, r);
  const driver = worldDriver(world, r);
  const pressedPicks = new Set<string>();
  try {
    sandbox.bot.message({ from: ADMIN, text: '/start' });
    for (const n of nodes) await n.start();
    driver.start(120);
    admin.start();
    for (let round = 0; round < o.kills; round++) {
      await sleep(1000 + r() * 4000);
      const victims = o.topology === 'split' ? pickVictims(nodes, r) : nodes;
      const before = lastMessageId(sandbox);
      o.figures.kills.tried++;
      await Promise.all(victims.map((v) => v.kill()));
      // The admin waits for the restart, as a person would: their buttons are pressed as shown.
      admin.stop();
      for (const v of victims) await v.start();
      let survived = integrity(db) === 'ok';
      const buttons = await pressBeforeKill(sandbox, before, r, pressedPicks);
      o.figures.buttons.tried += buttons.tried;
      o.figures.buttons.working += buttons.working;
      if (buttons.working < buttons.tried) survived = false;
      if (survived) o.figures.kills.survived++;
      admin.start();
    }
    driver.stop();
    admin.stop();
    // The world stands still: the sync catches up within a few cycles.
    const diff = await converge(db, world, 120_000);
    o.figures.rows.compared += diff.compared;
    o.figures.rows.lost += diff.lost.length;
    o.figures.rows.doubled += diff.doubled.length;
    o.figures.rows.extra += diff.extra.length;
    const cliDiff = await cliExportDiff(env, world, o.logs);
    if (cliDiff.lost.length + cliDiff.doubled.length + cliDiff.extra.length > 0) throw new Error(`the CLI export differs from the world: ${JSON.stringify(cliDiff).slice(0, 2000)}`);
    await drained(db, 60_000);
    const notes = checkNotifications(db, world, sandbox, recipient);
    for (const k of ['sent', 'lost', 'doubled', 'resentInFlight', 'doubledBeyondDedupe'] as const) o.figures.notifications[k] += notes[k];
    if (notes.details.length > 0) console.log(`notifications (${o.topology}):\n  ${notes.details.join('\n  ')}`);
    const stops = await Promise.all(nodes.map((n) => n.stop()));
    if (diff.lost.length + diff.doubled.length + diff.extra.length > 0) {
      throw new Error(`export differs from the world (${o.topology}): lost ${JSON.stringify(diff.lost.slice(0, 5))}, doubled ${JSON.stringify(diff.doubled.slice(0, 5))}, extra ${JSON.stringify(diff.extra.slice(0, 5))}`);
    }
    return `${o.kills} kills (${o.topology}); ${diff.compared} rows compared, ${diff.endedCompared} of them stays that ended; world changes ${JSON.stringify(driver.counts)}; ${admin.actions} admin actions; stops after SIGTERM ${stops.map((s) => `${s.ms} ms exit ${s.code}`).join(', ')}`;
  } finally {
    driver.stop();
    admin.stop();
    for (const n of nodes) await n.kill();
    await sandbox.stop();
  }
}

function lastMessageId(sandbox: Sandbox): number {
  return sandbox.bot.sent(0).reduce((n, m) => Math.max(n, m.message_id), 0);
}

function pickVictims(nodes: Managed[], r: () => number): Managed[] {
  const x = r();
  return x < 0.4 ? [nodes[0]!] : x < 0.8 ? [nodes[1]!] : nodes;
}

function integrity(db: string): string {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return String(conn.pragma('integrity_check', { simple: true }));
  } finally {
    conn.close();
  }
}

/** The admin working the bot: lists, pages, approvals and declines, "Which chat?" questions. */
function adminAtWork(sandbox: Sandbox, r: () => number) {
  let timer: NodeJS.Timeout | undefined;
  let actions = 0;
  const act = (): void => {
    actions++;
    const x = r();
    const driver = sandbox.bot;
    if (x < 0.25) driver.message({ from: ADMIN, text: `/pending ${botChat(CHAT_A)}` });
    else if (x < 0.35) driver.message({ from: ADMIN, text: '/pending' });
    else if (x < 0.45) driver.message({ from: ADMIN, text: `/joiners ${LINKS_A[Math.floor(r() * 3)]}` });
    else {
      // Press a button of one of the latest messages: pages, approve, decline.
      const recent = adminMessages(sandbox, 0).slice(-6);
      const choices = recent.flatMap((m) => buttonsOf(m).filter((b) => /^(pp|pa|pd|jn):/.test(b.data)).map((b) => ({ m, b })));
      const choice = choices[Math.floor(r() * choices.length)];
      if (choice) driver.press({ from: ADMIN, messageId: choice.m.message_id, data: choice.b.data });
    }
  };
  return {
    get actions() {
      return actions;
    },
    start() {
      const tick = (): void => {
        act();
        timer = setTimeout(tick, 300 + r() * 700);
      };
      timer = setTimeout(tick, 500);
    },
    stop() {
      clearTimeout(timer);
    },
  };
}

function adminMessages(sandbox: Sandbox, after: number): SentRecord[] {
  return sandbox.bot.sent(after).filter((m) => m.chat === Number(ADMIN) && buttonsOf(m).length > 0);
}

/**
 * Presses a sample of the buttons the bot had sent before the kill (one of each kind present:
 * page, approve or decline, joiners page, an unanswered "Which chat?"), each as its message shows
 * it now (a press redraws its list), and counts those whose answer shows they still work.
 */
async function pressBeforeKill(sandbox: Sandbox, lastBefore: number, r: () => number, pressedPicks: Set<string>): Promise<{ tried: number; working: number }> {
  // Settled first: the restarted bot answers what queued while it was down, redrawing lists.
  await quiet(sandbox, 500, 20_000);
  let tried = 0;
  let working = 0;
  for (const kind of ['pp', 'jn', 'pa', 'pd', 'pk']) {
    const messages = sandbox.bot.sent(0).filter((m) => m.message_id <= lastBefore && m.chat === Number(ADMIN)).slice(-30);
    const choices = messages.flatMap((m) => buttonsOf(m).filter((b) => b.data.startsWith(`${kind}:`) && !pressedPicks.has(b.data)).map((b) => ({ m, data: b.data })));
    const choice = choices[Math.floor(r() * choices.length)];
    if (!choice) continue;
    if (kind === 'pk') for (const b of buttonsOf(choice.m)) pressedPicks.add(b.data);
    tried++;
    const answer = await press(sandbox, ADMIN, choice.m.message_id, choice.data, false);
    if (answer && !BROKEN_ANSWER.test(answer.text ?? '')) working++;
    await quiet(sandbox, 300, 10_000);
  }
  return { tried, working };
}

/** What `joinwatch export --all` writes, read from the store directly (quicker to poll). */
function storeExport(store: Store, mtChat: bigint): ExportRecord[] {
  return [...store.exports.all(botChat(mtChat))].map(toRecord);
}

/** Waits until the store holds the world row for row (the sync caught up), or the time is up. */
async function converge(db: string, world: World, timeoutMs: number): Promise<ReturnType<typeof compareWithWorld>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const store = openStore(db);
    let diff: ReturnType<typeof compareWithWorld>;
    try {
      diff = compareWithWorld(world, [CHAT_A, CHAT_B], [CHAT_A, CHAT_B].flatMap((c) => storeExport(store, c)));
    } finally {
      store.close();
    }
    if (diff.lost.length + diff.doubled.length + diff.extra.length === 0 || Date.now() > until) return diff;
    await sleep(2000);
  }
}

/** The same comparison through `joinwatch export --all --format json`, as an operator would check. */
async function cliExportDiff(env: Record<string, string>, world: World, logs: LogSink): Promise<RowDiff> {
  const records: ExportRecord[] = [];
  for (const c of [CHAT_A, CHAT_B]) {
    const p = runCli(['export', '--chat', String(botChat(c)), '--all', '--format', 'json'], { DATABASE_PATH: env.DATABASE_PATH!, LOG_LEVEL: 'info' });
    logs.keep('export', p);
    const end = await p.exited;
    if (end.code !== 0) throw new Error(`joinwatch export exited ${end.code}: ${p.output().slice(0, 500)}`);
    records.push(...(JSON.parse(p.output()) as ExportRecord[]));
  }
  return compareWithWorld(world, [CHAT_A, CHAT_B], records);
}

/** Waits until every outbox event reached its recipient. */
async function drained(db: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const store = openStore(db);
    const waiting = store.outbox.undelivered(1).length;
    store.close();
    if (waiting === 0 || Date.now() > until) return;
    await sleep(1000);
  }
}
