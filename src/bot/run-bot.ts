/**
 * Long polling with @grammyjs/runner: updates are handled concurrently (sequentialized per chat
 * and per user in create-bot.ts), so one chat's slow work never delays another chat's answer.
 * `stop()` is bounded: it aborts every API call in flight (and auto-retry's waits), stops fetching,
 * and waits for running handlers at most `graceMs`.
 */
import { run, type RunnerHandle } from '@grammyjs/runner';
import type { Bot } from 'grammy';
import type { BotContext } from './context.js';
import { shutdownOf } from './create-bot.js';

/** Every update kind the bot acts on; `chat_member` must be asked for explicitly. */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'chat_join_request', 'chat_member', 'my_chat_member'] as const;

export interface RunningBot {
  /** Resolves when polling ended (stopped or crashed). */
  readonly task: Promise<void> | undefined;
  /** False once polling stopped (stop(), or a fatal error such as 401). */
  isRunning(): boolean;
  stop(): Promise<void>;
}

export function runBot(bot: Bot<BotContext>, o: { timeoutSeconds?: number; graceMs?: number } = {}): RunningBot {
  const handle: RunnerHandle = run(bot, {
    runner: { fetch: { timeout: o.timeoutSeconds ?? 30, allowed_updates: [...ALLOWED_UPDATES] }, silent: true, maxRetryTime: 60 * 60_000 },
  });
  return {
    task: handle.task(),
    isRunning: () => handle.isRunning(),
    async stop() {
      shutdownOf(bot)?.abort();
      const stopped = handle.isRunning() ? handle.stop() : Promise.resolve();
      await Promise.race([stopped.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, o.graceMs ?? 3000).unref())]);
    },
  };
}
