/**
 * /sync: asks app.ts's SyncTrigger for a cycle of one chat, at most once a minute per chat (a sync
 * costs Telegram calls on the userbot's account, and flood waits hurt everyone). The cycle runs
 * detached from the update loop so other admins are not kept waiting; the result is a new message.
 */
import { Composer } from 'grammy';
import type { AdminChat, BotContext } from '../context.js';
import { escapeHtml, userText } from '../views/html.js';
import { answerLines, commandArgs, freshness } from './common.js';

export interface SyncFeatureOptions {
  cooldownMs: number;
  now: () => number;
}

export function syncFeature(o: SyncFeatureOptions): Composer<BotContext> {
  const lastStarted = new Map<bigint, number>();
  const feature = new Composer<BotContext>();
  feature.command('sync', async (ctx) => {
    const args = await commandArgs(ctx, '/sync -1001234567890');
    if (args === undefined) return;
    await ctx.withChat(args || undefined, async (chat) => {
      const trigger = ctx.deps.syncTrigger;
      if (!trigger) {
        await answerLines(ctx, ['Syncing on demand is not available in this process (the userbot runs elsewhere).', freshness(ctx, chat.id)]);
        return;
      }
      const since = o.now() - (lastStarted.get(chat.id) ?? -Infinity);
      if (since < o.cooldownMs) {
        const wait = Math.ceil((o.cooldownMs - since) / 1000);
        await ctx.reply(`A sync of this chat ran less than a minute ago; try again in ${wait} s.`);
        return;
      }
      lastStarted.set(chat.id, o.now());
      await ctx.answer(`Syncing ${userText(chat.title)}…`);
      void runSync(ctx, chat);
    });
  });
  return feature;
}

async function runSync(ctx: BotContext, chat: AdminChat): Promise<void> {
  try {
    const result = await ctx.deps.syncTrigger!.syncNow(chat.id);
    const head = result.ok ? `Sync of ${userText(chat.title)} done.` : `Sync of ${userText(chat.title)} failed.`;
    const summary = result.summary.split('\n').slice(0, 60).map((line) => escapeHtml(line, 300));
    await answerLines(ctx, [head, ...summary, freshness(ctx, chat.id)]);
  } catch (error) {
    ctx.logger.error({ err: error, chat_id: chat.id.toString() }, 'sync on demand failed');
    await ctx.answer('Something went wrong, it has been logged.').catch((e: unknown) => ctx.logger.error({ err: e }, 'could not report the failed sync'));
  }
}
