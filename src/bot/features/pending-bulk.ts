/**
 * "Approve all N" / "Decline all N": the count first and an explicit confirmation, then the work.
 * The requests are fixed when the question is asked (what the admin confirmed is what gets decided;
 * requests arriving meanwhile are left for another look). The Bot API decides one request per call,
 * so the run is paced under Telegram's rate limit (auto-retry absorbs any 429 on top), runs detached
 * from the update loop, edits a progress line now and then, and ends with what it did.
 */
import { Composer, InlineKeyboard } from 'grammy';
import type { AdminChat, BotContext } from '../context.js';
import { pack, unpack } from '../views/callback-data.js';
import { escapeHtml, isolate, userText } from '../views/html.js';
import { TokenTable } from '../views/tokens.js';
import { decide } from './decide.js';
import type { PendingLists } from './pending.js';

export interface BulkOptions {
  now: () => number;
  ratePerSecond: number;
}

interface BulkJob {
  userId: number;
  chatId: bigint;
  approve: boolean;
  query: string;
  ids: bigint[];
}

const PROGRESS_EVERY_MS = 5000;

export function bulkFeature(o: BulkOptions, lists: PendingLists): Composer<BotContext> {
  const jobs = new TokenTable<BulkJob>(200, 15 * 60_000, o.now);
  const feature = new Composer<BotContext>();

  feature.callbackQuery(/^pb:/, async (ctx) => {
    const [token = '', action] = unpack(ctx.callbackQuery.data).fields;
    const list = lists.get(token);
    const chat = list && ctx.adminChats.find((c) => c.id === list.chatId);
    if (!list || !chat) {
      await ctx.answerCallbackQuery({ text: 'This list has expired; send /pending again.' });
      return;
    }
    const approve = action === 'a';
    const ids = ctx.store.pending.userIds(chat.id, { query: list.query || null });
    await ctx.answerCallbackQuery();
    if (ids.length === 0) {
      await ctx.answer('Nothing matches any more.');
      return;
    }
    const jobToken = jobs.put({ userId: ctx.from.id, chatId: chat.id, approve, query: list.query, ids });
    const verb = approve ? 'Approve' : 'Decline';
    const keyboard = new InlineKeyboard()
      .text(`${approve ? '✅' : '❌'} Yes, ${verb.toLowerCase()} ${ids.length}`, pack('pc', jobToken, 'y'))
      .text('Cancel', pack('pc', jobToken, 'n'));
    await ctx.answer(`${verb} all ${ids.length} pending request${ids.length === 1 ? '' : 's'}${describeQuery(list.query)} in ${userText(chat.title)}? This cannot be undone.`, { reply_markup: keyboard });
  });

  feature.callbackQuery(/^pc:/, async (ctx) => {
    const [jobToken = '', answer] = unpack(ctx.callbackQuery.data).fields;
    const job = jobs.get(jobToken);
    const chat = job && ctx.adminChats.find((c) => c.id === job.chatId);
    if (!job || !chat || job.userId !== ctx.from.id) {
      await ctx.answerCallbackQuery({ text: 'This question has expired; send /pending again.' });
      return;
    }
    jobs.delete(jobToken); // a second press must not start a second run
    await ctx.answerCallbackQuery();
    if (answer !== 'y') {
      await ctx.editMessageText('Cancelled; nothing was changed.');
      return;
    }
    await ctx.editMessageText(`${job.approve ? 'Approving' : 'Declining'} ${job.ids.length} requests…`);
    void runJob(ctx, chat, job, o).catch((error: unknown) => ctx.logger.error({ err: error }, 'bulk decision run failed'));
  });
  return feature;
}

function describeQuery(query: string): string {
  return query ? ` matching “${isolate(escapeHtml(query, 100))}”` : '';
}

async function runJob(ctx: BotContext, chat: AdminChat, job: BulkJob, o: BulkOptions): Promise<void> {
  const counts = { done: 0, gone: 0, refused: 0, failed: 0 };
  const reasons = new Map<string, number>();
  const gapMs = 1000 / Math.max(0.1, o.ratePerSecond);
  let lastProgress = o.now();
  for (const userId of job.ids) {
    const started = o.now();
    try {
      const outcome = await decide(ctx, chat, userId, job.approve);
      counts[outcome.kind] += 1;
      if (outcome.kind !== 'done') reasons.set(outcome.reason, (reasons.get(outcome.reason) ?? 0) + 1);
    } catch (error) {
      counts.failed += 1;
      ctx.logger.error({ err: error, user_id: userId.toString() }, 'bulk decision failed');
    }
    if (o.now() - lastProgress > PROGRESS_EVERY_MS) {
      lastProgress = o.now();
      const doneSoFar = counts.done + counts.gone + counts.refused + counts.failed;
      await ctx.editMessageText(`${job.approve ? 'Approving' : 'Declining'}… ${doneSoFar} of ${job.ids.length}`).catch(() => undefined);
    }
    await sleep(gapMs - (o.now() - started));
  }
  await ctx.editMessageText(report(job, counts, reasons), { parse_mode: 'HTML' });
}

function report(job: BulkJob, counts: Record<'done' | 'gone' | 'refused' | 'failed', number>, reasons: Map<string, number>): string {
  const lines = [`Done: ${job.approve ? 'approved' : 'declined'} ${counts.done} of ${job.ids.length}${describeQuery(job.query)}.`];
  for (const [reason, n] of reasons) lines.push(`• ${n} not changed: ${escapeHtml(reason, 200)}`);
  if (counts.failed > 0) lines.push(`• ${counts.failed} failed unexpectedly; it has been logged.`);
  return lines.join('\n');
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
