/**
 * `joinwatch doctor`: checks what an operator would check by hand before `start`, and says in
 * one line each what is wrong and what to do. Never prints a secret. Exit code 1 when any check
 * failed, 0 otherwise (warnings included).
 */
import { statSync } from 'node:fs';
import { checkBot } from './bot/self-check.js';
import { liveSourcesOf, type LiveSources } from './domain/live-sources.js';
import { ConfigError, loadConfig, type ConfigFor, type Concern } from './config.js';
import { createLogger } from './log.js';
import { openStore } from './store/index.js';
import { explainFailure } from './sync/run-once.js';
import { isSourceError } from './sync/types.js';
import { sessionFileIsLoose } from './telegram/session-store.js';
import { describeConnectFailure, openUserbot } from './telegram/userbot.js';

type Status = 'ok' | 'warn' | 'fail';
const MARK: Record<Status, string> = { ok: '✓', warn: '!', fail: '✗' };

export async function runDoctor(env: Record<string, string | undefined> = process.env, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  let failed = false;
  const say = (status: Status, line: string) => {
    if (status === 'fail') failed = true;
    out(`${MARK[status]} ${line}`);
  };
  const section = <C extends Concern>(concerns: C[]): ConfigFor<C> | undefined => {
    try {
      return loadConfig(concerns, env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const problem of error.problems) say('fail', problem);
      return undefined;
    }
  };

  out('configuration');
  const store = section(['store']);
  const watch = section(['watch']);
  const telegram = section(['telegram', 'sync']);
  const bot = section(['bot']);
  if (store && watch && telegram && bot) say('ok', 'every setting is valid');

  if (store) {
    out('database');
    checkDatabase(store.DATABASE_PATH, say);
  }
  const chatIds = watch?.WATCH_CHATS.flatMap((ref) => (ref.kind === 'id' ? [ref.chatId] : [])) ?? [];
  if (telegram && watch) {
    out('userbot');
    await checkUserbot(telegram, watch, say);
  }
  if (bot) {
    out('bot');
    for (const check of await checkBot({ token: bot.BOT_TOKEN, apiRoot: bot.BOT_API_ROOT, chatIds, notifyChatId: bot.NOTIFY_CHAT_ID })) say(check.ok ? 'ok' : 'fail', check.line);
  }
  return failed ? 1 : 0;
}

/** One line: which live sources work for the chat, and what that means for its cycles. */
export function describeLiveSources(l: LiveSources): string {
  const log =
    l.adminLog === 'followed'
      ? 'the admin log is followed (a cycle reads it and checks pending requests once)'
      : l.adminLog === 'unreadable'
        ? `the admin log cannot be read (${l.adminLogWhy}): every cycle is a full reconcile`
        : 'the admin log has not been read yet: the next cycle is a full reconcile';
  const pushes = l.pushedAt === null ? "no pending count pushed by Telegram yet (requests wait for a cycle unless the bot sees them)" : `Telegram pushes its pending count (last ${new Date(l.pushedAt * 1000).toISOString()})`;
  return `live sources: ${log}; ${pushes}`;
}

function checkDatabase(path: string, say: (s: Status, line: string) => void): void {
  try {
    const store = openStore(path);
    try {
      const mode = statSync(path).mode & 0o777;
      say(mode & 0o077 ? 'warn' : 'ok', `${path} (mode ${mode.toString(8)}${mode & 0o077 ? ': others can read it, run chmod 600' : ''})`);
      for (const chat of store.chats.list()) {
        const run = store.runs.lastFinished(chat.id);
        const when = run?.finishedAt ? new Date(run.finishedAt * 1000).toISOString() : 'never';
        say(run?.outcome === 'failed' ? 'warn' : 'ok', `${chat.title} (${chat.id}): last sync ${when}${run?.outcome ? `, ${run.outcome}` : ''}${run?.error ? ` — ${run.error}` : ''}`);
        for (const note of store.chats.notes(chat.id)) say('warn', `${chat.title}: ${note.text}`);
        const live = liveSourcesOf(store.chatLive.get(chat.id));
        say(live.fullCycles ? 'warn' : 'ok', `${chat.title}: ${describeLiveSources(live)}`);
      }
    } finally {
      store.close();
    }
  } catch (error) {
    say('fail', `cannot open ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function checkUserbot(config: ConfigFor<'telegram' | 'sync'>, watch: ConfigFor<'watch'>, say: (s: Status, line: string) => void): Promise<void> {
  if (config.TELEGRAM_SESSION_FILE && (await sessionFileIsLoose(config.TELEGRAM_SESSION_FILE))) {
    say('warn', `${config.TELEGRAM_SESSION_FILE} is readable by others: run chmod 600 (it is a password)`);
  }
  let userbot;
  try {
    userbot = await openUserbot(config, createLogger({ level: 'silent' }));
  } catch (error) {
    say('fail', `userbot: ${describeConnectFailure(error, config.TELEGRAM_MTPROTO_SERVER)}`);
    return;
  }
  try {
    const self = await userbot.source.self();
    say('ok', `signed in as ${self.firstName}${self.username ? ` @${self.username}` : ''} (id ${self.id})`);
    for (const ref of watch.WATCH_CHATS) {
      const name = ref.kind === 'id' ? String(ref.chatId) : `@${ref.username}`;
      try {
        const chat = await userbot.source.resolveChat(ref.kind === 'id' ? ref.chatId : name);
        if (chat.isOwner) say('ok', `${chat.title} (${chat.chatId}): the account owns it and sees every admin's links`);
        else say('warn', `${chat.title} (${chat.chatId}): the account is not the owner, so it sees only the links it created`);
      } catch (error) {
        say('fail', `${name}: ${isSourceError(error) ? explainFailure(error) : error instanceof Error ? error.message : String(error)}`);
      }
    }
  } catch (error) {
    say('fail', `the session does not work: ${error instanceof Error ? error.message : String(error)} — run \`joinwatch login\``);
  } finally {
    await userbot.close();
  }
}
