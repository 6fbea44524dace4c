/**
 * Where results go. Join data is not for every member of a group, so in a group the answer goes to
 * the admin's private chat and the group gets one line saying so; if the admin never started the
 * bot (Telegram forbids bots to write first), the group gets a deep link to start it instead.
 */
import { GrammyError, type MiddlewareFn } from 'grammy';
import type { BotContext } from '../context.js';

export function routeMiddleware(botUsername: () => string): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    let pointed = false;
    let unreachable = false;
    const inGroup = ctx.chat !== undefined && ctx.chat.type !== 'private';
    const privateId = ctx.from?.id ?? ctx.chat?.id ?? 0;

    ctx.deliver = async <T>(send: (chatId: number) => Promise<T>): Promise<T | undefined> => {
      if (!inGroup) return send(privateId);
      if (unreachable) return undefined;
      try {
        const sent = await send(privateId);
        if (!pointed) {
          pointed = true;
          await ctx.reply(ctx.t('route-pointer'), replyTo(ctx));
        }
        return sent;
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        unreachable = true;
        const link = `https://t.me/${botUsername()}?start=hello`;
        await ctx.reply(ctx.t('route-start-me-first', { link }), replyTo(ctx));
        return undefined;
      }
    };
    ctx.answer = (text, other) =>
      ctx.deliver((chatId) => ctx.api.sendMessage(chatId, text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...other }));
    await next();
  };
}

function replyTo(ctx: BotContext): { reply_parameters?: { message_id: number; allow_sending_without_reply: boolean } } {
  const id = ctx.msg?.message_id;
  return id === undefined ? {} : { reply_parameters: { message_id: id, allow_sending_without_reply: true } };
}

/** 403 "bot can't initiate conversation with a user", "bot was blocked", or 400 "chat not found". */
function isUnreachable(error: unknown): boolean {
  if (!(error instanceof GrammyError)) return false;
  return error.error_code === 403 || /chat not found/i.test(error.description);
}
