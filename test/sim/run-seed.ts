/**
 * One seed of the model check, deterministic from the seed alone (FoundationDB / TigerBeetle
 * style): a random world, random operations, sync cycles between them under a small call budget
 * with random flood waits, world changes between pages and SIGKILLs between pages (the store is
 * reopened from its file as it was at the kill), the oracle after every cycle, then a quiet period
 * of full cycles after which the store must equal the world. Everything that happened is in the
 * trace, so a failing seed explains itself and `--seed S` replays it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { rng } from '../../src/sandbox/generate-scenario.js';
import type { World } from '../../src/sandbox/world.js';
import { openStore, type Store } from '../../src/store/index.js';
import { SyncEngine } from '../../src/sync/engine.js';
import type { CycleReport } from '../../src/sync/report.js';
import { SourceError, type InviteSource } from '../../src/sync/types.js';
import { BotFeed } from './bot-feed.js';
import { Observed } from './observed.js';
import { BOT, buildWorld, randomOp, SELF, type Rng, type SimWorld } from './ops.js';
import { checkCycle, checkFinal, type OracleInput, type Violation } from './oracle.js';
import { SimSource, TELEGRAM_METHOD, type SourceCall } from './sim-source.js';
import { WorldSource } from './world-source.js';

/** How the sync reaches the seed's world: by default in process (WorldSource); the e2e test connects real GramJS to the sandbox server. */
export interface Transport {
  /** A fresh adapter, as a new process would have. */
  source(): InviteSource;
  close(): Promise<void>;
}

export interface SeedOptions {
  /** Operations before the quiet period (default 150). */
  ops?: number;
  /** Builds the transport over the seed's world, with Telegram's page cap. */
  connect?: (world: World, pageCap: number) => Promise<Transport>;
  /** Go on after a failing cycle and collect every kind of violation (to survey a code base). */
  keepGoing?: boolean;
  /** The bot as a third source in two seeds of three (default true; `--no-bot` leaves it out). */
  bot?: boolean;
}

export interface SeedResult {
  seed: number;
  ops: number;
  cycles: number;
  calls: number;
  kills: number;
  floods: number;
  violations: Violation[];
  trace: string[];
}

/** What a SIGKILL leaves: nothing more happens in this process. */
class Killed extends Error {
  constructor() {
    super('killed');
    this.name = 'Killed';
  }
}

interface Faults {
  pageCap: number;
  flood: number;
  kill: number;
  midOp: number;
}

function faultsFor(r: Rng): Faults {
  const of = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  return { pageCap: of([5, 9, 20, 50, 100]), flood: of([0, 0.01, 0.03]), kill: of([0, 0.01, 0.02]), midOp: of([0, 0.03, 0.08]) };
}

/** Seconds after which every link is due for a full listing again (the sync's reconcile pace in the model check). */
export const SIM_FULL_RECONCILE_SECONDS = 6 * 3600;

class SeedRun {
  readonly r: Rng;
  readonly sim: SimWorld;
  readonly faults: Faults;
  readonly observed = new Observed();
  readonly trace: string[] = [];
  readonly cycles: { start: number; end: number }[] = [];
  readonly pendingCheckedFrom = new Map<bigint, number>();
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-sim-'));
  readonly db = freshDatabase(path.join(this.dir, 'joinwatch.db'));
  store: Store;
  source!: SimSource;
  transport: Transport | undefined;
  inCycle = false;
  killed = false;
  quiet = false;
  kills = 0;
  floods = 0;
  calls = 0;
  heldSeen = 0;
  adminLog = false;
  repeatShare = 0;
  liveRng: Rng;
  /** The bot's updates (with `bot`, two seeds in three), delivered late, shuffled, some twice. */
  bot: BotFeed | undefined;

  constructor(readonly seed: number, withBot = true) {
    this.r = rng(seed * 7919 + 13);
    this.sim = buildWorld(this.r);
    this.faults = faultsFor(this.r);
    // The live sources, from a generator of their own so every seed's older choices stay as they were:
    // half the seeds read the admin log (ordinary cycles between reconciles), some with events repeated.
    const live = rng(seed * 104729 + 7);
    this.adminLog = seed % 2 === 0;
    this.repeatShare = this.adminLog ? [0, 0.05, 0.2][Math.floor(live() * 3)]! : 0;
    this.liveRng = live;
    const botRng = rng(seed * 15485863 + 11);
    if (withBot && seed % 3 !== 0) {
      const of = <T>(xs: readonly T[]): T => xs[Math.floor(botRng() * xs.length)] as T;
      const o = { deliverShare: of([0.2, 0.5, 1]), repeatShare: of([0, 0.1, 0.3]) };
      this.bot = new BotFeed(this.sim.world, BOT, botRng, o, (u) => this.observed.addBot(u, this.sim.now(), (chatId, shown, creatorId) => wholeLink(this.sim.world, chatId, shown, creatorId)));
    }
    this.store = openStore(this.db);
    this.log(`seed ${seed}: page cap ${this.faults.pageCap}, flood ${this.faults.flood}, kill ${this.faults.kill}, ops between pages ${this.faults.midOp}` +
      `${this.adminLog ? `, admin log (events repeated ${this.repeatShare})` : ''}` +
      `${this.bot ? `, bot updates (delivered ${this.bot.o.deliverShare}, repeated ${this.bot.o.repeatShare})` : ''}`);
    for (const c of this.sim.world.chats()) this.log(`chat ${c.id}: owner ${c.ownerId}${c.username ? `, @${c.username}` : ''}, ${this.sim.world.links(c.id).length} links`);
  }

  log(line: string): void {
    this.trace.push(`${this.sim.now()} ${line}`);
  }

  /** A fresh source (a new process knows nothing), through which every call passes the model check's hooks. */
  newSource(): SimSource {
    const inner = this.transport?.source() ?? new WorldSource(this.sim.world, { me: SELF, pageCap: this.faults.pageCap, adminLog: this.adminLog });
    return new SimSource(inner, () => this.sim.now(), {
      beforeCall: (call) => this.beforeCall(call),
      onListing: (l) => this.observed.add(l),
      onLogRead: (r) => this.observed.addLog(r),
      repeatEvent: () => this.liveRng() < this.repeatShare,
    });
  }

  /** Between pages: time passes, and maybe the world changes, Telegram floods, or the process dies. */
  beforeCall(call: SourceCall): void {
    this.sim.tick(1);
    if (this.killed) throw new Killed();
    if (!this.inCycle || this.quiet) return;
    if (this.r() < this.faults.kill) {
      // The store as a SIGKILL would leave it: what was committed before this call.
      const snapshot = path.join(this.dir, 'killed.db');
      fs.rmSync(snapshot, { force: true });
      this.store.db.exec(`VACUUM INTO '${snapshot.replaceAll("'", "''")}'`);
      this.killed = true;
      this.kills++;
      this.log(`SIGKILL before ${call.method}${call.link ? ` ${call.link}` : ''}`);
      throw new Killed();
    }
    if (this.r() < this.faults.midOp) this.log(`between pages: ${randomOp(this.sim, this.r, this.store)}`);
    this.deliverBot();
    if (this.r() < this.faults.flood) {
      const method = TELEGRAM_METHOD[call.method];
      const seconds = 61 + Math.floor(this.r() * 1800);
      this.source.holds.hold(method, seconds);
      this.floods++;
      this.log(`FLOOD_WAIT_${seconds} on ${method}`);
      throw new SourceError('FloodWait', `FLOOD_WAIT_${seconds}`, seconds);
    }
  }

  async cycle(budget: number, o: { full?: boolean } = {}): Promise<void> {
    const start = this.sim.now();
    const engine = new SyncEngine({
      store: this.store,
      source: this.source,
      now: () => this.sim.now(),
      pageLimit: 100,
      maxCallsPerCycle: budget,
      maxCallsPerMinute: 1_000_000_000,
      fullReconcileSeconds: SIM_FULL_RECONCILE_SECONDS,
    });
    this.inCycle = true;
    const callsBefore = this.source.calls.length;
    let report: CycleReport | undefined;
    try {
      report = await engine.runCycle(this.sim.world.chats().map((c) => botApiChatIdFromChannel(c.id)), o);
    } finally {
      this.inCycle = false;
    }
    this.calls += this.source.calls.length - callsBefore;
    this.cycles.push({ start, end: this.sim.now() });
    const summary = report.chats.map((c) => `${c.chatRef} ${c.outcome}${c.error ? ` (${c.error})` : ''}`).join('; ');
    this.log(`cycle ${this.cycles.length} (budget ${budget}): ${this.source.calls.length - callsBefore} calls; ${summary}`);
    if (this.killed) return this.restart();
    for (const chat of report.chats) {
      if (chat.chatId !== null && chat.requests.complete) this.pendingCheckedFrom.set(chat.chatId, start);
    }
  }

  /** The bot process stores some of its queued updates now (`all`: every one). */
  deliverBot(all = false): void {
    const line = this.bot?.deliver(this.store, this.sim.now(), all);
    if (line) this.log(line);
  }

  /** A new process after the kill: the store file as the kill left it, a fresh source, no memory. */
  restart(): void {
    this.store.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(this.db + suffix, { force: true });
    fs.renameSync(path.join(this.dir, 'killed.db'), this.db);
    this.store = openStore(this.db);
    this.killed = false;
    this.log('restarted from the store file');
  }

  oracle(): OracleInput {
    const held = this.source.heldCalls.length;
    const input: OracleInput = {
      world: this.sim.world,
      store: this.store,
      observed: this.observed,
      me: SELF,
      cycles: this.cycles,
      pendingCheckedFrom: this.pendingCheckedFrom,
      fullListedFrom: fullListedFrom(this.store),
      botDeciders: this.sim.botDeciders,
      heldCalls: Math.max(0, held - this.heldSeen),
      adminChanges: this.sim.adminChanges,
    };
    this.heldSeen = held;
    return input;
  }

  async close(): Promise<void> {
    this.bot?.unbridge();
    this.store.close();
    await this.transport?.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

let template: string | undefined;

/** An empty, migrated store file: a copy of one made once per process (migrating every seed's store anew is most of a short seed). */
function freshDatabase(file: string): string {
  if (!template) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-sim-template-'));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    template = path.join(dir, 'empty.db');
    const store = openStore(template);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
  }
  fs.copyFileSync(template, file);
  return file;
}

/** When each link's last complete full listing began, as the store records it (chat|link → time). */
function fullListedFrom(store: Store): Map<string, number> {
  const cols = new Set((store.db.prepare('PRAGMA table_info(invite_links)').all() as { name: string }[]).map((c) => c.name));
  if (!cols.has('full_listed_from')) return new Map();
  const rows = store.db.prepare('SELECT chat_id, link, full_listed_from FROM invite_links WHERE full_listed_from IS NOT NULL').all() as Record<string, unknown>[];
  return new Map(rows.map((r) => [`${r.chat_id}|${r.link}`, Number(r.full_listed_from)]));
}

export async function runSeed(seed: number, o: SeedOptions = {}): Promise<SeedResult> {
  const run = new SeedRun(seed, o.bot ?? true);
  if (o.connect) run.transport = await o.connect(run.sim.world, run.faults.pageCap);
  run.source = run.newSource();
  const total = o.ops ?? 150;
  let done = 0;
  const collected: Violation[] = [];
  const result = (violations: Violation[]): SeedResult => ({
    seed, ops: done, cycles: run.cycles.length, calls: run.calls, kills: run.kills, floods: run.floods, violations, trace: run.trace,
  });
  try {
    while (done < total) {
      const burst = 1 + Math.floor(run.r() * 6);
      for (let i = 0; i < burst && done < total; i++, done++) {
        run.log(randomOp(run.sim, run.r, run.store));
        run.deliverBot();
      }
      await run.cycle(6 + Math.floor(run.r() * 60));
      const violations = checkCycle(run.oracle());
      if (violations.length > 0 && !o.keepGoing) return result(violations);
      collected.push(...violations);
    }
    // The quiet period: nothing changes, no faults, every link due for its full listing, full cycles.
    run.quiet = true;
    run.sim.tick(SIM_FULL_RECONCILE_SECONDS + 3600);
    run.log('quiet period');
    run.deliverBot(true);
    for (let i = 0; i < 4; i++) {
      // The reconcile (SYNC_RECONCILE_CRON) for the chats an admin log carries between reconciles.
      await run.cycle(1_000_000, { full: true });
      run.sim.tick(300);
    }
    const violations = [...collected, ...checkCycle(run.oracle()), ...checkFinal(run.oracle())];
    return result(violations);
  } finally {
    await run.close();
  }
}

/** The world's link a Bot API link stands for (the bot sees other admins' links cut with "..."). */
function wholeLink(world: World, botChatId: bigint, shown: string, creatorId: bigint): string | undefined {
  const chat = world.chats().find((c) => botApiChatIdFromChannel(c.id) === botChatId);
  if (!chat) return undefined;
  const prefix = shown.replace(/(?:\.\.\.|…)$/, '');
  const fits = world.links(chat.id).filter((l) => l.adminId === creatorId && l.link.startsWith(prefix));
  return fits.length === 1 ? fits[0]!.link : undefined;
}
