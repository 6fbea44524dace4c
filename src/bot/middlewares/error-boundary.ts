/**
 * Every update gets an answer, including the ones our code fails on: the error is logged with the
 * update id (and without the message text, which may hold someone's data), and the user gets a
 * short notice instead of silence. A failure to send the notice is logged too, never thrown, so one
 * bad update cannot stop the polling loop.
 */
import type { BotError } from 'grammy';
import type { BotContext } from '../context.js';
import type { Logger } from 'pino';
import { DEFAULT_LOCALE } from '../i18n/locale.js';
import { textsFor } from '../i18n/texts.js';

export function errorHandler(fallback: Logger) {
  return async (err: BotError<BotContext>): Promise<void> => {
    const ctx = err.ctx;
    const logger = ctx.logger ?? fallback;
    logger.error({ err: err.error, update_id: ctx.update.update_id, chat_id: ctx.chat?.id, from_id: ctx.from?.id }, 'update failed');
    try {
      // In the sender's language, unless the failure came before it was known.
      const text = (ctx.texts ?? textsFor(DEFAULT_LOCALE)).t('error-something-went-wrong');
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text });
      else if (ctx.chat) await ctx.reply(text);
    } catch (notifyError) {
      logger.error({ err: notifyError, update_id: ctx.update.update_id }, 'could not tell the user about the failure');
    }
  };
}
