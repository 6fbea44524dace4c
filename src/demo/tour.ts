/**
 * `joinwatch demo` (= `npm run demo`): the whole product, offline. Starts the sandbox Telegram on
 * a generated, realistic world, runs the real composition root (GramJS userbot + sync engine +
 * grammY bot + notifier) against it with a temporary database, syncs once, then plays a scripted
 * admin session and prints each command with the bot's answer. Exits 0 when the tour is done.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type App } from '../app.js';
import { createLogger } from '../log.js';
import { demoParams, generateWorld } from '../sandbox/generate-scenario.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { Conversation, findButton, type Reply } from './conversation.js';
import { renderReply } from './render.js';
import { tourScript, type TourStep } from './script.js';


export async function runDemo(opts: { verbose?: boolean } = {}): Promise<number> {
  const print = (line = '') => process.stdout.write(`${line}\n`);
  const dir = await mkdtemp(join(tmpdir(), 'joinwatch-demo-'));
  let sandbox: Sandbox | undefined;
  let app: App | undefined;
  try {
    print('joinwatch demo — everything below runs offline against the sandbox Telegram.\n');
    const params = demoParams();
    const world = generateWorld(params);
    sandbox = await startSandbox({ world });
    const chats = world.chats();
    print(`Sandbox: MTProto on ${sandbox.mtproto}, Bot API on ${sandbox.botApiRoot}`);
    print(`World: ${chats.length} chats, ${chats.reduce((n, c) => n + world.links(c.id).length, 0)} invite links, ${(params.joins ?? 0) * chats.length} joins, ${chats.reduce((n, c) => n + world.pendingCount(c.id), 0)} pending requests\n`);

    const logger = createLogger({ level: opts.verbose ? 'info' : 'silent', destination: process.stderr });
    const env = {
      ...sandbox.env(),
      DATABASE_PATH: join(dir, 'joinwatch.db'),
      WATCH_CHATS: chats.map((c) => `-100${c.id}`).join(','),
      LOG_LEVEL: opts.verbose ? 'info' : 'silent',
    };
    app = await startApp({ env, logger, syncAtStart: false });

    print('── sync: the userbot pulls links, joiners and pending requests into SQLite');
    const started = Date.now();
    const cycle = await app.syncAll();
    for (const chat of cycle.chats) {
      const backfilled = chat.links.filter((l) => l.newJoins > 0).length;
      print(`  ${chat.title}: ${chat.links.length} links (${backfilled} backfilled), ${chat.links.reduce((n, l) => n + l.newJoins, 0)} joins, ${chat.requests.newRequests} pending requests — ${chat.calls} calls, ${chat.outcome}`);
    }
    print(`  ${cycle.calls} Telegram calls in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

    const admin = new Conversation(sandbox.bot, world.self.id);
    const steps = tourScript({ world, store: app.store, adminId: world.self.id });
    for (const step of steps) await playStep(step, admin, sandbox, print);
    print('Tour done: every command above went through real grammY and the sandbox Bot API.');
    return 0;
  } finally {
    await app?.stop();
    await sandbox?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function playStep(step: TourStep, admin: Conversation, sandbox: Sandbox, print: (line?: string) => void): Promise<void> {
  print(`── ${step.title}`);
  const speaker = step.from === undefined ? admin : new Conversation(sandbox.bot, step.from);
  print(`▶ ${step.who ?? 'admin'}: ${step.text}`);
  let reply: Reply = await speaker.say(step.text, step.chat);
  print(renderReply(reply));
  for (const press of step.presses ?? []) {
    const button = findButton(reply, press);
    if (!button) throw new Error(`demo: no button matching ${press} after "${step.text}"`);
    print(`▶ ${step.who ?? 'admin'} presses a button (${press.source})`);
    reply = await speaker.press(button.record, button.data);
    print(renderReply(reply));
  }
  print();
}
