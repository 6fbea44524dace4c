/**
 * The bot as an operator runs it for the access matrix, the hostile inputs and the Bot API faults:
 * the sandbox, a database filled by `joinwatch sync --once`, and `joinwatch start --no-sync`
 * answering. Helpers to say something as someone and to see what the bot sent back.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../../src/sandbox/sandbox.js';
import type { SentRecord } from '../../../src/sandbox/botapi/state.js';
import type { World } from '../../../src/sandbox/world.js';
import { runCli } from '../../e2e/cli-process.js';
import { LogSink, Managed } from './processes.js';
import { secretsOf } from './secrets.js';
import { ADMIN, ADMIN_B, CHAT_A, CHAT_B, NO_INVITE, OUTSIDER, botChat, faultWorld } from './world.js';

export interface BotRig {
  sandbox: Sandbox;
  world: World;
  env: Record<string, string>;
  bot: Managed;
  /** Syncs the database once (`joinwatch sync --once`), as the userbot side would. */
  sync(): Promise<void>;
  stop(): Promise<void>;
}

export async function botRig(seed: number, logs: LogSink, extraEnv: Record<string, string> = {}): Promise<BotRig> {
  const world = faultWorld(seed, { joinsA: 300, pendingA: 40, joinsB: 40, pendingB: 5 });
  const sandbox = await startSandbox({ world });
  logs.given(secretsOf({ botToken: sandbox.botToken, sessions: [sandbox.session], apiHash: sandbox.apiHash }));
  const env = {
    ...sandbox.env(),
    DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'jw-faults-bot-')), 'joinwatch.db'),
    WATCH_CHATS: `${botChat(CHAT_A)},${botChat(CHAT_B)}`,
    NOTIFY_CHAT_ID: String(botChat(CHAT_A)),
    NOTIFY_INTERVAL_SECONDS: '1',
    DIGEST_INTERVAL_SECONDS: '1',
    LOG_LEVEL: 'info',
    ...extraEnv,
  };
  const sync = async (): Promise<void> => {
    const p = runCli(['sync', '--once'], env);
    logs.keep('sync --once', p);
    const end = await p.exited;
    if (end.code !== 0) throw new Error(`sync --once exited ${end.code}: ${p.output().slice(-1000)}`);
  };
  await sync();
  // Everyone who will write to the bot has a private chat with it.
  for (const user of [ADMIN, ADMIN_B, OUTSIDER, NO_INVITE]) sandbox.bot.message({ from: user, text: '/start' });
  const bot = new Managed({ name: 'start --no-sync', args: ['start', '--no-sync'], ready: ['joinwatch started'] }, env, logs);
  await bot.start();
  await quiet(sandbox, 500, 20_000);
  return {
    sandbox,
    world,
    env,
    bot,
    sync,
    async stop() {
      await bot.stop();
      await sandbox.stop();
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once the bot has sent or edited nothing for `ms` (or after `maxMs`). */
export async function quiet(sandbox: Sandbox, ms: number, maxMs: number): Promise<void> {
  const until = Date.now() + maxMs;
  let cursor = sandbox.bot.cursor;
  let since = Date.now();
  while (Date.now() < until && Date.now() - since < ms) {
    await sleep(25);
    if (sandbox.bot.cursor !== cursor) {
      cursor = sandbox.bot.cursor;
      since = Date.now();
    }
  }
}

/** `from` writes `text` (in private, or in `group` as the Bot API id); the bot's first answer in that chat, or undefined. */
export async function say(sandbox: Sandbox, from: bigint, text: string, o: { group?: bigint; anonymous?: boolean; timeoutMs?: number } = {}): Promise<SentRecord | undefined> {
  const after = sandbox.bot.cursor;
  const chat = o.group !== undefined ? Number(o.group) : Number(from);
  sandbox.bot.message({ from, text, ...(o.group !== undefined ? { chat: o.group } : {}), ...(o.anonymous ? { anonymous: true } : {}) });
  return sandbox.bot.waitForSent((r) => r.chat === chat, { after, timeoutMs: o.timeoutMs ?? 30_000 }).catch(() => undefined);
}

/** Presses and waits for the answer to the callback query (undefined: never answered). */
export async function press(sandbox: Sandbox, from: bigint, messageId: number, data: string, forged = true, timeoutMs = 30_000): Promise<{ text?: string; show_alert?: boolean } | undefined> {
  const id = sandbox.bot.press({ from, messageId, data, forged });
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const a = sandbox.bot.answer(id);
    if (a) return a;
    await sleep(10);
  }
  return undefined;
}

export function buttonsOf(m: SentRecord): { text: string; data: string }[] {
  const markup = m.reply_markup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined;
  return (markup?.inline_keyboard ?? []).flat().flatMap((b) => (b.callback_data ? [{ text: b.text, data: b.callback_data }] : []));
}

/** Lines of level error (50) and above a process logged since `from` (an index into its output). */
export function errorsLogged(text: string): string[] {
  return text.split('\n').filter((l) => /"level":(5\d|60)/.test(l));
}
