/**
 * /start and /help: what the bot does, the chats the sender administers with how fresh each one's
 * data is, and the commands with examples. A non-admin learns what the bot is and nothing else.
 */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { atUsername, bold, userText } from '../views/html.js';
import { freshnessLine } from '../views/time.js';
import { answerLines, lastSyncAt } from './common.js';

const ABOUT = 'joinwatch shows chat admins who joined through which invite link, and the pending join requests, with approve and decline.';

export const HELP_LINES: readonly string[] = [
  bold('Commands'),
  '/links — every invite link: joined / limit, pending, expiry, last activity',
  '/joiners &lt;link&gt; — who joined through a link, e.g. /joiners https://t.me/+AbCdEf0123',
  '/pending [search] — pending join requests with Approve / Decline, e.g. /pending ann',
  '/whois &lt;@username | id&gt; — joins and requests of one person (or reply to their forwarded message)',
  '/stats [link] [days] — joins and requests per day as a chart',
  '/export &lt;link | pending | all&gt; — the data as CSV',
  '/sync — fetch fresh data now (once a minute per chat)',
  'In private, name a chat by adding its id or @username after the command, e.g. /links -1001234567890; in a group, commands are about that group and the answer comes to you privately.',
];

export function startFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command(['start', 'help'], async (ctx) => {
    if (ctx.chat.type !== 'private') {
      // No chat list in a group: which chats someone administers is not for every member.
      await ctx.reply(`${ABOUT}\nSend me /start in private to see your chats.`);
      return;
    }
    await answerLines(ctx, [ABOUT, '', ...chatLines(ctx), '', ...HELP_LINES]);
  });
  return feature;
}

function chatLines(ctx: BotContext): string[] {
  if (ctx.adminChats.length === 0) {
    return ['You are not an admin of any chat joinwatch watches, so there is nothing to show you.'];
  }
  const now = ctx.deps.now();
  return [
    bold('Your chats'),
    ...ctx.adminChats.map((c) => `• ${userText(c.title || 'untitled')} <code>${c.id}</code>${c.username ? ` ${atUsername(c.username)}` : ''} — ${freshnessLine(lastSyncAt(ctx, c.id), now)}`),
  ];
}
