/**
 * /start and /help: what the bot does, the chats the sender administers with how fresh each one's
 * data is, and the commands with examples. A non-admin learns what the bot is and nothing else.
 */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import type { Texts } from '../i18n/texts.js';
import { atUsername, bold, userText } from '../views/html.js';
import { freshnessLine } from '../views/time.js';
import { answerLines, lastSyncAt } from './common.js';

const HELP_KEYS = ['help-links', 'help-joiners', 'help-pending', 'help-whois', 'help-stats', 'help-export', 'help-sync', 'help-language', 'help-chat-argument'];

export function helpLines(tx: Texts): string[] {
  return [bold(tx.t('help-title')), ...HELP_KEYS.map((key) => tx.t(key))];
}

export function startFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command(['start', 'help'], async (ctx) => {
    if (ctx.chat.type !== 'private') {
      // No chat list in a group: which chats someone administers is not for every member.
      await ctx.reply(`${ctx.t('start-about')}\n${ctx.t('start-in-private')}`);
      return;
    }
    await answerLines(ctx, [ctx.t('start-about'), '', ...chatLines(ctx), '', ...helpLines(ctx.texts)]);
  });
  return feature;
}

function chatLines(ctx: BotContext): string[] {
  if (ctx.adminChats.length === 0) {
    return [ctx.t('start-no-chats')];
  }
  const now = ctx.deps.now();
  return [
    bold(ctx.t('start-your-chats')),
    ...ctx.adminChats.map((c) => `• ${userText(c.title || ctx.t('start-untitled'))} <code>${c.id}</code>${c.username ? ` ${atUsername(c.username)}` : ''} — ${freshnessLine(ctx.texts, lastSyncAt(ctx, c.id), now)}`),
  ];
}
