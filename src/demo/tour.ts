/**
 * `joinwatch demo` (= `npm run demo`): the whole product, offline. Starts the sandbox Telegram on
 * a generated, realistic world, runs the real composition root (GramJS userbot + sync engine +
 * grammY bot + notifier) against it with a temporary database, syncs once, then plays a scripted
 * admin session and prints each command with the bot's answer. Exits 0 when the tour is done.
 * `--play` (or "y" when the tour offers it on a terminal) hands the keyboard to the person instead:
 * see play.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type App } from '../app.js';
import { interruptedCode } from '../cli/shutdown.js';
import { createLogger } from '../log.js';
import { demoParams, generateWorld } from '../sandbox/generate-scenario.js';
import { createInterface } from 'node:readline/promises';
import { createActivity } from '../sandbox/activity.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { Conversation, findButton, type Reply } from './conversation.js';
import { playDemo } from './play.js';
import { renderReply } from './render.js';
import { tourScript, type TourStep } from './script.js';


export interface DemoOptions {
  verbose?: boolean;
  /** Skip the scripted tour: the person types the commands (see play.ts). */
  play?: boolean;
  /** Aborted by SIGINT/SIGTERM: the tour stops where it is, and everything is cleaned up. */
  signal?: AbortSignal;
}

export async function runDemo(opts: DemoOptions = {}): Promise<number> {
  const print = (line = '') => process.stdout.write(`${line}\n`);
  const dir = await mkdtemp(join(tmpdir(), 'joinwatch-demo-'));
  const parts: DemoParts = {};
  try {
    const done = demo(opts, dir, parts, print);
    if (!opts.signal) return await done;
    done.catch(() => undefined); // a tour cut short may fail later against the stopped sandbox
    const stopped = new Promise<'stopped'>((resolve) => opts.signal?.addEventListener('abort', () => resolve('stopped'), { once: true }));
    const outcome = await Promise.race([done, stopped]).catch((error: unknown) => {
      if (opts.signal?.aborted) return 'stopped' as const; // start-up given up because of the signal
      throw error;
    });
    if (outcome !== 'stopped') return outcome;
    print('\nStopped: the sandbox, the bot and the temporary database are gone.');
    return interruptedCode(opts.signal);
  } finally {
    await parts.app?.stop();
    await parts.sandbox?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** What the demo started, for runDemo to stop whether the tour finished or was interrupted. */
interface DemoParts {
  sandbox?: Sandbox;
  app?: App;
}

async function demo(opts: DemoOptions, dir: string, parts: DemoParts, print: (line?: string) => void): Promise<number> {
  print('joinwatch demo — everything below runs offline against the sandbox Telegram.\n');
  const params = demoParams();
  const world = generateWorld(params);
  const sandbox = (parts.sandbox = await startSandbox({ world }));
  const chats = world.chats();
  print(`Sandbox: MTProto on ${sandbox.mtproto}, Bot API on ${sandbox.botApiRoot}`);
  print(`World: ${chats.length} chats, ${chats.reduce((n, c) => n + world.links(c.id).length, 0)} invite links, ${(params.joins ?? 0) * chats.length} joins, ${chats.reduce((n, c) => n + world.pendingCount(c.id), 0)} pending requests\n`);

  const logger = createLogger({ level: opts.verbose ? 'info' : 'silent', destination: process.stderr });
  const env = {
    ...sandbox.env(),
    DATABASE_PATH: join(dir, 'joinwatch.db'),
    WATCH_CHATS: chats.map((c) => `-100${c.id}`).join(','),
    LOG_LEVEL: opts.verbose ? 'info' : 'silent',
    // Notifications go to the admin's private chat; digests as often as the tour needs them
    // (while playing, the notifier drains every 2 s and sends a digest at most every 20 s).
    NOTIFY_CHAT_ID: String(world.self.id),
    DIGEST_INTERVAL_SECONDS: opts.play ? '20' : '1',
    // The tour's notifier section drains once: a digest waiting DIGEST_WAIT_SECONDS from its first
    // request (opened by whichever drain came first) might not be due yet.
    ...(opts.play ? {} : { DIGEST_WAIT_SECONDS: '0' }),
    NOTIFY_INTERVAL_SECONDS: opts.play ? '2' : '30',
  };
  const app = (parts.app = await startApp({ env, logger, syncAtStart: false, ...(opts.signal ? { signal: opts.signal } : {}) }));

  print('── sync: the userbot pulls links, joiners and pending requests into SQLite');
  await syncAndReport(app, print);
  const play = () => playDemo({ app, sandbox, world, input: process.stdin, output: process.stdout, ...(opts.signal ? { signal: opts.signal } : {}) });
  if (opts.play) return await play();

  const admin = new Conversation(sandbox.bot, world.self.id);
  const steps = tourScript({ world, store: app.store, adminId: world.self.id });
  const afterSync = sandbox.bot.cursor;
  const shown = new Set<number>();
  for (const step of steps) await playStep(step, admin, sandbox, print, shown);

  print("── the notifier: each chat's first sync is summed up for NOTIFY_CHAT_ID (here the admin); what is new after it comes as digests");
  // A live update (a button's approval) may make the notifier send while a step runs, or between
  // two steps' replies: whatever no step showed is shown here.
  const digests = await notifications(app, sandbox, afterSync);
  print(renderReply({ records: digests.records.filter((r) => !shown.has(r.seq) && r.chat === Number(world.self.id)) }));
  print();
  const raided = steps.length > 0 ? chats[0] : undefined;
  if (raided) {
    print(`── a raid: 60 accounts join ${raided.title} through one link within a minute; the bot hears each join as it happens`);
    const after = sandbox.bot.cursor;
    const stored = app.store.vitals.tableCounts().joins;
    createActivity({ world, chatId: raided.id, joinsPerMinute: 0, requestsPerMinute: 0, burst: { count: 60, withinSeconds: 60 } }).step(60);
    await joinsStored(app, stored + 60);
    // The sync then finds nothing left to page: the bot stored every join (and its link) already.
    await syncAndReport(app, print);
    print(renderReply(await notifications(app, sandbox, after)));
    print();
  }
  print('Tour done: every command above went through real grammY and the sandbox Bot API.');
  if (process.stdin.isTTY && process.stdout.isTTY) return (await wantsToPlay()) ? await play() : 0;
  print('Play the admin yourself, with new joins and requests arriving as you go: npm run demo -- --play');
  return 0;
}

/** On a terminal, the tour ends by offering the playable mode (elsewhere it says how to start it). */
async function wantsToPlay(): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question('\nPlay it yourself now, as the admin of this world? [y/N] ');
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

async function syncAndReport(app: App, print: (line?: string) => void): Promise<void> {
  const started = Date.now();
  const cycle = await app.syncAll();
  for (const chat of cycle.chats) {
    const paged = chat.links.filter((l) => l.newJoins > 0).length;
    const joins = chat.links.reduce((n, l) => n + l.newJoins, 0);
    print(`  ${chat.title}: ${chat.links.length} links (${paged} paged), ${joins} new joins, ${chat.requests.newRequests} new pending requests — ${chat.calls} calls, ${chat.outcome}`);
  }
  print(`  ${cycle.calls} Telegram calls in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

/** Waits (a few seconds at most) until the store holds `count` joins: the bot's live updates are being handled. */
async function joinsStored(app: App, count: number): Promise<void> {
  for (let i = 0; i < 500 && app.store.vitals.tableCounts().joins < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** What the bot sent since `after` (now by default), once the notifier had its chance to drain. */
async function notifications(app: App, sandbox: Sandbox, after = sandbox.bot.cursor): Promise<Reply> {
  await new Promise((resolve) => setTimeout(resolve, 1100)); // let the 1 s digest interval pass
  await app.notifier?.drainOnce();
  return { records: sandbox.bot.sent(after) };
}

async function playStep(step: TourStep, admin: Conversation, sandbox: Sandbox, print: (line?: string) => void, shown: Set<number>): Promise<void> {
  print(`── ${step.title}`);
  const speaker = step.from === undefined ? admin : new Conversation(sandbox.bot, step.from);
  print(`▶ ${step.who ?? 'admin'}: ${step.text}`);
  let reply: Reply = await speaker.say(step.text, step.chat);
  for (const r of reply.records) shown.add(r.seq);
  print(renderReply(reply));
  for (const press of step.presses ?? []) {
    const button = findButton(reply, press);
    if (!button) throw new Error(`demo: no button matching ${press} after "${step.text}"`);
    print(`▶ ${step.who ?? 'admin'} presses a button (${press.source})`);
    reply = await speaker.press(button.record, button.data);
    for (const r of reply.records) shown.add(r.seq);
    print(renderReply(reply));
  }
  print();
}
