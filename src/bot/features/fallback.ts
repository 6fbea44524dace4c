/**
 * The last composer: whatever no feature handled still gets an answer. In private every message
 * does; in a group only commands addressed to us (answering every chat message would be spam).
 * A stray button press stops its spinner with a short note.
 */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';

export function fallbackFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: ctx.t('fallback-button-gone') }));
  feature.chatType('private').on('message', (ctx) => ctx.reply(ctx.t('fallback-not-understood')));
  feature.chatType(['group', 'supergroup']).on('message::bot_command', async (ctx) => {
    const text = ctx.msg.text ?? '';
    if (text.includes(`@${ctx.me.username}`)) await ctx.reply(ctx.t('fallback-unknown-command'));
  });
  return feature;
}
