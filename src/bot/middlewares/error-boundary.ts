/**
 * Every update gets an answer, including the ones our code fails on: the error is logged with the
 * update id (and without the message text, which may hold someone's data), and the user gets a
 * short notice instead of silence. A failure to send the notice is logged too, never thrown, so one
 * bad update cannot stop the polling loop.
 */
import type { BotError } from 'grammy';
import type { BotContext } from '../context.js';
import type { Logger } from 'pino';

export const SOMETHING_WENT_WRONG = 'Something went wrong, it has been logged.';

export function errorHandler(fallback: Logger) {
  return async (err: BotError<BotContext>): Promise<void> => {
    const ctx = err.ctx;
    const logger = ctx.logger ?? fallback;
    logger.error({ err: err.error, update_id: ctx.update.update_id, chat_id: ctx.chat?.id, from_id: ctx.from?.id }, 'update failed');
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: SOMETHING_WENT_WRONG });
      else if (ctx.chat) await ctx.reply(SOMETHING_WENT_WRONG);
    } catch (notifyError) {
      logger.error({ err: notifyError, update_id: ctx.update.update_id }, 'could not tell the user about the failure');
    }
  };
}
