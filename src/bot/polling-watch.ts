/**
 * Whether the bot's long polling is alive, for /healthz: grammY retries a failing getUpdates
 * quietly and for ever, so "the bot is running" alone does not say Telegram is answering. An API
 * transformer notes when a getUpdates call last came back, and when polling began.
 */
import type { Bot, Context } from 'grammy';

export interface PollingWatch {
  /** Unix ms of the last getUpdates answer, or of the start of polling before the first one. */
  lastAnswerAt(): number;
  /** The runner's own flag: false once polling stopped (stop(), or a fatal error such as 401). */
  running(): boolean;
}

/** `running` asks whoever polls (the runner's handle: grammY's `bot.isRunning()` is false under it). */
export function watchPolling<C extends Context>(bot: Bot<C>, running: () => boolean, now: () => number = Date.now): PollingWatch {
  let lastAnswer = now();
  bot.api.config.use(async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (method === 'getUpdates' && result.ok) lastAnswer = now();
    return result;
  });
  return { lastAnswerAt: () => lastAnswer, running };
}
