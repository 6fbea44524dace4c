/**
 * `npm run demo -- --play`: the person at the keyboard is the admin of the demo world. What they
 * type goes to the bot through the sandbox's Bot API, the answers are rendered as in the tour with
 * numbered buttons (`/press 3` or `3`), `/as <user>` speaks as someone else (a non-admin, another
 * admin), `/quit` ends it. Meanwhile new joins and join requests keep arriving (the activity
 * generator), the userbot syncs them every few seconds, and the notifier's messages are printed
 * as they come. Reads lines from any stream: a terminal, or a script over stdin (the tests).
 */
import { createInterface, clearLine, cursorTo } from 'node:readline';
import type { App } from '../app.js';
import { createActivity } from '../sandbox/activity.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { World } from '../sandbox/world.js';
import { Conversation, type Reply } from './conversation.js';
import { parsePlayInput } from './play-input.js';
import { pressableButtons, renderReply } from './render.js';
import { demoCast, findCastMember, type CastMember } from './play-cast.js';

export interface PlayOptions {
  app: App;
  sandbox: Sandbox;
  world: World;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream & { isTTY?: boolean };
  /** How often the userbot syncs what the activity added (default 10 s). */
  syncEveryMs?: number;
  /** Aborted by SIGINT/SIGTERM: ends the game as /quit does. */
  signal?: AbortSignal;
}

const WATCH_EVERY_MS = 500;

export async function playDemo(o: PlayOptions): Promise<number> {
  const { app, sandbox, world } = o;
  const tty = o.input.isTTY === true && o.output.isTTY === true;
  const cast = demoCast(world);
  let me: CastMember = cast[0] as CastMember;
  let speaker = new Conversation(sandbox.bot, me.id);
  let lastReply: Reply = { records: [] };
  let busy = false;
  let seen = sandbox.bot.cursor;
  const rl = createInterface({ input: o.input, output: o.output, terminal: tty });
  const prompt = () => {
    rl.setPrompt(`${me.handle}> `);
    if (tty) rl.prompt();
  };
  // Output that arrives while someone types: on a terminal the half-typed line is redrawn after it.
  const print = (text: string) => {
    if (tty) {
      clearLine(o.output, 0);
      cursorTo(o.output, 0);
    }
    o.output.write(`${text}\n`);
    if (tty && !busy) rl.prompt(true);
  };

  const busiest = [...world.chats()].sort((a, b) => world.links(b.id).length - world.links(a.id).length)[0];
  const activity = busiest ? createActivity({ world, chatId: busiest.id, joinsPerMinute: 12, requestsPerMinute: 6, seed: 11 }) : undefined;
  activity?.start();
  let syncing: Promise<void> | undefined;
  const syncTimer = setInterval(() => {
    syncing ??= app.syncAll().then(
      (cycle) => {
        const joins = cycle.chats.reduce((n, c) => n + c.links.reduce((m, l) => m + l.newJoins, 0), 0);
        const requests = cycle.chats.reduce((n, c) => n + c.requests.newRequests, 0);
        if (joins + requests > 0) print(`  · sync: ${count(joins, 'new join')}, ${count(requests, 'new join request')}`);
      },
      (error: unknown) => print(`  · sync failed: ${error instanceof Error ? error.message : String(error)}`),
    ).finally(() => (syncing = undefined));
  }, o.syncEveryMs ?? 10_000);
  // What the bot sends on its own (the notifier's digests and alerts), printed as it arrives.
  const watchTimer = setInterval(() => {
    if (busy || sandbox.bot.cursor === seen) return;
    const records = sandbox.bot.sent(seen);
    seen = sandbox.bot.cursor;
    for (const record of records) {
      const to = cast.find((c) => BigInt(record.chat) === c.id)?.handle ?? String(record.chat);
      const reply = { records: [record] };
      if (pressableButtons(reply).length > 0) lastReply = reply;
      print(`🔔 the bot, to ${to}:\n${renderReply(reply, { numbered: true })}`);
    }
  }, WATCH_EVERY_MS);

  const show = (reply: Reply) => {
    seen = sandbox.bot.cursor;
    if (reply.records.length === 0) return print('  (no answer)');
    if (pressableButtons(reply).length > 0) lastReply = reply;
    print(renderReply(reply, { numbered: true }));
  };

  const handle = async (line: string): Promise<'quit' | void> => {
    const input = parsePlayInput(line);
    if (input.kind !== 'empty' && !tty) print(`▶ ${me.handle}: ${line.trim()}`);
    switch (input.kind) {
      case 'empty':
        return;
      case 'quit':
        return 'quit';
      case 'help':
        return print(helpText(cast, me));
      case 'invalid':
        return print(`  ${input.why}`);
      case 'as': {
        const next = findCastMember(world, cast, input.who);
        if (!next) return print(`  no demo user "${input.who}": try ${cast.map((c) => c.handle).join(', ')} or a @username`);
        me = next;
        speaker = new Conversation(sandbox.bot, me.id);
        return print(`  you are now ${me.handle}: ${me.description}`);
      }
      case 'press': {
        const button = pressableButtons(lastReply)[input.n - 1];
        if (!button) return print(`  no button ${input.n} on the last answer`);
        print(`  (pressing "${button.text}")`);
        return show(await speaker.press(button.record, button.data));
      }
      case 'say':
        return show(await speaker.say(input.text));
    }
  };

  print(helpText(cast, me));
  prompt();
  return new Promise<number>((resolve) => {
    let queue = Promise.resolve();
    let quitting = false;
    const finish = async () => {
      clearInterval(syncTimer);
      clearInterval(watchTimer);
      activity?.stop();
      await syncing;
      o.output.write('Bye: the sandbox, the bot and the temporary database are gone.\n');
      resolve(0);
    };
    rl.on('line', (line) => {
      if (quitting) return;
      queue = queue.then(async () => {
        if (quitting) return;
        busy = true;
        try {
          if ((await handle(line)) === 'quit') {
            quitting = true;
            rl.close();
          }
        } catch (error) {
          print(`  ${error instanceof Error ? error.message : String(error)}`);
        } finally {
          busy = false;
          if (!quitting) prompt();
        }
      });
    });
    // Ctrl-C on a terminal reaches readline as a key, not as a signal: it ends the game too.
    rl.on('SIGINT', () => rl.close());
    o.signal?.addEventListener('abort', () => rl.close(), { once: true });
    // /quit, end of input (a script ran out, Ctrl-D) or Ctrl-C: finish what was typed, then stop.
    rl.on('close', () => {
      queue = queue.then(() => {
        quitting = true;
      });
      void queue.then(finish);
    });
  });
}

function helpText(cast: CastMember[], me: CastMember): string {
  return [
    '',
    `You are ${me.handle}: ${me.description}. Type what you would send the bot (/help lists its commands).`,
    'While you play, people keep joining and asking to join; the userbot syncs every few seconds and',
    "the notifier's messages show up here as they are sent.",
    '  N or /press N   press button N of the last answer',
    `  /as USER        speak as someone else: ${cast.map((c) => `${c.handle} (${c.description})`).join(', ')}, or any @username`,
    '  ?               this help      /quit   end the demo',
    '',
  ].join('\n');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
