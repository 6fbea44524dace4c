/**
 * Every button press is checked against the signature its callback data carries (buttons.ts):
 * data someone forged or changed by hand gets a clear answer and reaches no feature, so it can
 * never act; a press with intact data goes on to the access checks and the feature.
 */
import type { MiddlewareFn } from 'grammy';
import type { BotContext } from '../context.js';

export function signedButtons(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const data = ctx.callbackQuery?.data;
    if (data === undefined || ctx.deps.buttons.verify(data)) return next();
    ctx.logger.info({ from_id: ctx.from?.id, bytes: Buffer.byteLength(data) }, 'button press with forged or changed data refused');
    await ctx.answerCallbackQuery({ text: ctx.t('button-not-ours'), show_alert: true });
  };
}
