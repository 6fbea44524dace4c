/**
 * /sync: asks app.ts's SyncTrigger for a cycle of one chat, at most once a minute per chat (a sync
 * costs Telegram calls on the userbot's account, and flood waits hurt everyone). The cycle runs
 * detached from the update loop so other admins are not kept waiting; the result is a new message.
 */
import { Composer } from 'grammy';
import type { AdminChat, BotContext, SyncAnswer } from '../context.js';
import { code, escapeHtml, userText } from '../views/html.js';
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
        await answerLines(ctx, [ctx.t('sync-unavailable'), freshness(ctx, chat.id)]);
        return;
      }
      const since = o.now() - (lastStarted.get(chat.id) ?? -Infinity);
      if (since < o.cooldownMs) {
        const wait = Math.ceil((o.cooldownMs - since) / 1000);
        await ctx.reply(ctx.t('sync-cooldown', { seconds: wait }));
        return;
      }
      lastStarted.set(chat.id, o.now());
      await ctx.answer(ctx.t('sync-started', { chat: userText(chat.title) }));
      void runSync(ctx, chat);
    });
  });
  return feature;
}

async function runSync(ctx: BotContext, chat: AdminChat): Promise<void> {
  try {
    const result = await ctx.deps.syncTrigger!.syncNow(chat.id);
    const head = ctx.t(result.ok ? 'sync-done' : 'sync-failed', { chat: userText(chat.title) });
    await answerLines(ctx, [head, ...summaryLines(ctx, result), freshness(ctx, chat.id)]);
  } catch (error) {
    ctx.logger.error({ err: error, chat_id: chat.id.toString() }, 'sync on demand failed');
    await ctx.answer(ctx.t('error-something-went-wrong')).catch((e: unknown) => ctx.logger.error({ err: e }, 'could not report the failed sync'));
  }
}

/** What the sync did, in the admin's language; the engine's own summary when it gave no figures. */
function summaryLines(ctx: BotContext, result: SyncAnswer): string[] {
  const f = result.figures;
  if (!f) return result.summary.split('\n').slice(0, 60).map((line) => escapeHtml(line, 300));
  if (f.outcome === 'session_revoked') return [ctx.t('sync-session-revoked')];
  if (f.outcome === 'nothing') return [ctx.t('sync-nothing')];
  const line = ctx.t('sync-summary', {
    outcome: f.outcome, links: f.links, paged: f.pagedLinks, joins: f.newJoins, requests: f.newRequests, approved: f.approved, declined: f.declined, calls: f.calls,
  });
  return f.error ? [line, code(f.error, 300)] : [line];
}
