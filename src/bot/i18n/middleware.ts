/**
 * The bot's language per update: @grammyjs/i18n's middleware (ctx.t, ctx.i18n), told the locale
 * joinwatch chose for the sender (choice.ts), plus `ctx.texts` for the views. The sender's Telegram
 * app language is remembered, so notifications sent to them privately can use it.
 */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { personLocale } from './choice.js';
import { DEFAULT_LOCALE } from './locale.js';
import { i18n, textsFor } from './texts.js';

export function languageMiddleware(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.use(i18n().middleware());
  composer.use((ctx, next) => {
    const from = ctx.from;
    let locale = DEFAULT_LOCALE;
    if (from && !from.is_bot) {
      const userId = BigInt(from.id);
      if (from.language_code) noteLanguage(ctx, userId, from.language_code);
      locale = personLocale(ctx.store, userId, from.language_code);
    }
    ctx.i18n.useLocale(locale);
    ctx.texts = textsFor(locale);
    return next();
  });
  return composer;
}

/** Only a memory for later notifications: a busy database must not cost the person their answer. */
function noteLanguage(ctx: BotContext, userId: bigint, code: string): void {
  try {
    ctx.store.settings.noteTelegramLanguage(userId, code.slice(0, 35), Math.floor(ctx.deps.now() / 1000));
  } catch (error) {
    ctx.logger.warn({ err: error }, 'could not remember the sender\'s Telegram language');
  }
}
