/**
 * "Approve all N" / "Decline all N": the count first and an explicit confirmation, then the work.
 * The requests are fixed when the question is asked (what the admin confirmed is what gets decided;
 * requests arriving meanwhile are left for another look). One list starts at most one run (a second
 * "approve all" press shows the same question; a second confirmation is refused), and one chat has
 * at most one run at a time. Each decision re-checks the presser's right (decide.ts): a demotion
 * stops the run. The Bot API decides one request per call, so the run is paced under Telegram's
 * rate limit, runs detached from the update loop (other chats are answered meanwhile), edits a
 * progress line now and then, and ends with exactly what Telegram did.
 */
import { Composer, InlineKeyboard } from 'grammy';
import type { AdminChat, BotContext } from '../context.js';
import type { Phrase, Texts } from '../i18n/texts.js';
import { pack, unpack } from '../views/callback-data.js';
import { escapeHtml, isolate, userText } from '../views/html.js';
import { TokenTable } from '../views/tokens.js';
import { decide } from './decide.js';
import type { PendingList, PendingLists } from './pending.js';

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
  list: PendingList;
}

interface Counts {
  done: number;
  gone: number;
  refused: number;
  failed: number;
  /** Not attempted: the run stopped (the presser lost the right, or joinwatch is stopping). */
  skipped: number;
}

const PROGRESS_EVERY_MS = 5000;

export function bulkFeature(o: BulkOptions, lists: PendingLists): Composer<BotContext> {
  const jobs = new TokenTable<BulkJob>(200, 15 * 60_000, o.now);
  const running = new Set<bigint>();
  const feature = new Composer<BotContext>();

  feature.callbackQuery(/^pb:/, async (ctx) => {
    const [token = '', action] = unpack(ctx.callbackQuery.data).fields;
    const list = lists.get(token);
    const chat = list && ctx.adminChats.find((c) => c.id === list.chatId);
    if (!list || !chat) {
      await ctx.answerCallbackQuery({ text: ctx.t('pending-list-expired') });
      return;
    }
    const approve = action === 'a';
    if (list.bulk) {
      const again = ctx.t(list.bulk.job === 'started' ? 'bulk-already-started' : 'bulk-already-asked');
      await ctx.answerCallbackQuery({ text: again, show_alert: true });
      return;
    }
    const check = await ctx.deps.rights.decider(chat.id, BigInt(ctx.from.id));
    if (!check.ok) {
      await ctx.answerCallbackQuery({ text: ctx.t('bulk-not-possible', { reason: ctx.texts.phrase(check.reason) }).slice(0, 190), show_alert: true });
      return;
    }
    const ids = ctx.store.pending.userIds(chat.id, { query: list.query || null });
    await ctx.answerCallbackQuery();
    if (ids.length === 0) {
      await ctx.answer(ctx.t('bulk-nothing-matches'));
      return;
    }
    const jobToken = jobs.put({ userId: ctx.from.id, chatId: chat.id, approve, query: list.query, ids, list });
    list.bulk = { approve, job: jobToken };
    const keyboard = new InlineKeyboard()
      .text(ctx.t('bulk-confirm-yes', { action: actionOf({ approve }), count: ids.length }), pack('pc', jobToken, 'y'))
      .text(ctx.t('button-cancel'), pack('pc', jobToken, 'n'));
    const question = { action: actionOf({ approve }), count: ids.length, chat: userText(chat.title), query: queryText(list.query) };
    await ctx.answer(ctx.t(list.query ? 'bulk-confirm-matching' : 'bulk-confirm', question), { reply_markup: keyboard });
  });

  feature.callbackQuery(/^pc:/, async (ctx) => {
    const [jobToken = '', answer] = unpack(ctx.callbackQuery.data).fields;
    const job = jobs.get(jobToken);
    const chat = job && ctx.adminChats.find((c) => c.id === job.chatId);
    if (!job || !chat || job.userId !== ctx.from.id) {
      await ctx.answerCallbackQuery({ text: ctx.t('bulk-question-expired') });
      return;
    }
    // Synchronously, before any await: a second press (or a second question) must not start a second run.
    jobs.delete(jobToken);
    if (answer !== 'y') {
      delete job.list.bulk;
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(ctx.t('bulk-cancelled'));
      return;
    }
    if (running.has(chat.id)) {
      jobs.put(job); // still answerable once the other run ended
      await ctx.answerCallbackQuery({ text: ctx.t('bulk-other-run'), show_alert: true });
      return;
    }
    running.add(chat.id);
    job.list.bulk = { approve: job.approve, job: 'started' };
    await ctx.answerCallbackQuery();
    void (async () => {
      try {
        await ctx.editMessageText(ctx.t('bulk-running', { action: actionOf(job), count: job.ids.length }));
        await runJob(ctx, chat, job, o);
      } catch (error) {
        ctx.logger.error({ err: error }, 'bulk decision run failed');
      } finally {
        running.delete(chat.id);
      }
    })();
  });
  return feature;
}

function queryText(query: string): string {
  return isolate(escapeHtml(query, 100));
}

function actionOf(job: Pick<BulkJob, 'approve'>): 'approve' | 'decline' {
  return job.approve ? 'approve' : 'decline';
}

/** How many decisions ended for one reason; keyed by the reason's key and values. */
type Reasons = Map<string, { reason: Phrase; count: number }>;

async function runJob(ctx: BotContext, chat: AdminChat, job: BulkJob, o: BulkOptions): Promise<void> {
  const counts: Counts = { done: 0, gone: 0, refused: 0, failed: 0, skipped: 0 };
  const reasons: Reasons = new Map();
  let stopped: Phrase | undefined;
  const gapMs = 1000 / Math.max(0.1, o.ratePerSecond);
  let lastProgress = o.now();
  for (const userId of job.ids) {
    if (stopped !== undefined || ctx.deps.shutdown.aborted) {
      counts.skipped++;
      continue;
    }
    const started = o.now();
    try {
      const outcome = await decide(ctx, chat, userId, job.approve);
      if (outcome.kind === 'forbidden') {
        stopped = outcome.reason;
        counts.skipped++;
        continue;
      }
      counts[outcome.kind] += 1;
      if (outcome.kind !== 'done') {
        const key = JSON.stringify(outcome.reason);
        reasons.set(key, { reason: outcome.reason, count: (reasons.get(key)?.count ?? 0) + 1 });
      }
    } catch (error) {
      if (ctx.deps.shutdown.aborted) {
        counts.skipped++;
        continue;
      }
      counts.failed += 1;
      ctx.logger.error({ err: error, user_id: userId.toString() }, 'bulk decision failed');
    }
    if (o.now() - lastProgress > PROGRESS_EVERY_MS) {
      lastProgress = o.now();
      const doneSoFar = counts.done + counts.gone + counts.refused + counts.failed;
      await ctx.editMessageText(ctx.t('bulk-progress', { action: actionOf(job), done: doneSoFar, total: job.ids.length })).catch(() => undefined);
    }
    await sleep(gapMs - (o.now() - started), ctx.deps.shutdown);
  }
  if (ctx.deps.shutdown.aborted) return;
  await ctx.editMessageText(report(ctx.texts, job, counts, reasons, stopped), { parse_mode: 'HTML' });
}

/** What Telegram did, line by line: nothing rounded, nothing guessed. */
export function report(tx: Texts, job: Pick<BulkJob, 'approve' | 'ids' | 'query'>, counts: Counts, reasons: Reasons, stopped?: Phrase): string {
  const done = { action: actionOf(job), done: counts.done, total: job.ids.length, query: queryText(job.query) };
  const lines = [tx.t(job.query ? 'bulk-done-matching' : 'bulk-done', done)];
  for (const { reason, count } of reasons.values()) lines.push(tx.t('bulk-not-changed', { count, reason: escapeHtml(tx.phrase(reason), 200) }));
  if (counts.failed > 0) lines.push(tx.t('bulk-failed', { count: counts.failed }));
  if (stopped !== undefined) lines.push(tx.t('bulk-stopped', { reason: escapeHtml(tx.phrase(stopped), 200), count: counts.skipped }));
  else if (counts.skipped > 0) lines.push(tx.t('bulk-stopping', { count: counts.skipped }));
  return lines.join('\n');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
