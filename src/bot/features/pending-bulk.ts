/**
 * "Approve all N" / "Decline all N": the count first and an explicit confirmation, then the work.
 * The requests are fixed when the question is asked (what the admin confirmed is what gets decided;
 * requests arriving meanwhile are left for another look). One list starts at most one run (a second
 * "approve all" press shows the same question; a second confirmation is refused), and one chat has
 * at most one run at a time. Each decision re-checks the presser's right (decide.ts): a demotion
 * stops the run. The Bot API decides one request per call, so the run is paced under Telegram's
 * rate limit, runs detached from the update loop (other chats are answered meanwhile), edits a
 * progress line now and then, and ends with exactly what Telegram did. The question and the run's
 * progress are in SQLite (button_contexts): the question can be answered after a restart, and a run
 * a restart cut short is reported on its message at the next start (reportInterruptedRuns).
 */
import { Composer, InlineKeyboard, type Api } from 'grammy';
import type { Logger } from 'pino';
import { z } from 'zod';
import { BUTTON_KINDS, type ButtonBook } from '../buttons.js';
import type { AdminChat, BotContext } from '../context.js';
import { chatLocale } from '../i18n/choice.js';
import { textsFor, type Phrase, type Texts } from '../i18n/texts.js';
import { unpack } from '../views/callback-data.js';
import { escapeHtml, isolate, userText } from '../views/html.js';
import type { Store } from '../../store/index.js';
import { decide } from './decide.js';
import { readList, saveList } from './pending-lists.js';

export interface BulkOptions {
  now: () => number;
  ratePerSecond: number;
}

const id = z.string().regex(/^-?\d{1,20}$/).transform((s) => BigInt(s));
const CountsSchema = z.object({ done: z.number().int(), gone: z.number().int(), refused: z.number().int(), failed: z.number().int(), skipped: z.number().int() });

/**
 * An "all" question and, once confirmed, its run: in SQLite, so the question can be answered after
 * a restart, and a run a restart cut short is reported as such at the next start.
 */
const JobSchema = z.object({
  chatId: id,
  approve: z.boolean(),
  query: z.string().max(300),
  ids: z.array(id).max(200_000),
  listToken: z.string(),
  state: z.enum(['asked', 'running']),
  /** Where the progress and the report are shown (the question's message). */
  message: z.object({ chatId: z.number().int(), messageId: z.number().int() }).optional(),
  progress: CountsSchema.optional(),
});
type BulkJob = z.infer<typeof JobSchema> & { userId: number };

interface Counts {
  done: number;
  gone: number;
  refused: number;
  failed: number;
  /** Not attempted: the run stopped (the presser lost the right, or joinwatch is stopping). */
  skipped: number;
}

const PROGRESS_EVERY_MS = 5000;

function readJob(buttons: ButtonBook, token: string | undefined): BulkJob | undefined {
  const found = buttons.get(BUTTON_KINDS.bulk, token, JobSchema);
  return found && found.userId !== null ? { ...found.payload, userId: Number(found.userId) } : undefined;
}

function saveJob(buttons: ButtonBook, token: string, job: BulkJob, ttlSeconds?: number): void {
  const { userId: _ignored, ...payload } = job;
  buttons.update(BUTTON_KINDS.bulk, token, payload, ttlSeconds);
}

export function bulkFeature(o: BulkOptions): Composer<BotContext> {
  // Runs of this process (one per chat): a run of a process that died is no run (see above).
  const running = new Set<bigint>();
  const feature = new Composer<BotContext>();

  feature.callbackQuery(/^pb:/, async (ctx) => {
    const [token = '', action] = unpack(ctx.callbackQuery.data).fields;
    const list = readList(ctx, token);
    const chat = list && ctx.adminChats.find((c) => c.id === list.chatId);
    if (!list || !chat) {
      await ctx.answerCallbackQuery({ text: ctx.t('pending-list-expired') });
      return;
    }
    const approve = action === 'a';
    // An unanswered question that expired (an hour) leaves the list free for a new one.
    if (list.bulk && (list.bulk.job === 'started' || readJob(ctx.deps.buttons, list.bulk.job))) {
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
    const job = { chatId: chat.id, approve, query: list.query, ids, listToken: token, state: 'asked' as const };
    const jobToken = ctx.deps.buttons.put(BUTTON_KINDS.bulk, job, ctx.from.id);
    saveList(ctx, token, { ...list, bulk: { approve, job: jobToken } });
    const keyboard = new InlineKeyboard()
      .text(ctx.t('bulk-confirm-yes', { action: actionOf({ approve }), count: ids.length }), ctx.deps.buttons.pack('pc', jobToken, 'y'))
      .text(ctx.t('button-cancel'), ctx.deps.buttons.pack('pc', jobToken, 'n'));
    const question = { action: actionOf({ approve }), count: ids.length, chat: userText(chat.title), query: queryText(list.query) };
    await ctx.answer(ctx.t(list.query ? 'bulk-confirm-matching' : 'bulk-confirm', question), { reply_markup: keyboard });
  });

  feature.callbackQuery(/^pc:/, async (ctx) => {
    const [jobToken = '', answer] = unpack(ctx.callbackQuery.data).fields;
    const job = readJob(ctx.deps.buttons, jobToken);
    const chat = job && ctx.adminChats.find((c) => c.id === job.chatId);
    if (!job || !chat || job.userId !== ctx.from.id || job.state !== 'asked') {
      const started = job?.state === 'running' && job.userId === ctx.from.id;
      await ctx.answerCallbackQuery({ text: ctx.t(started ? 'bulk-run-already-started' : 'bulk-question-expired') });
      return;
    }
    const list = readList(ctx, job.listToken);
    if (answer !== 'y') {
      ctx.deps.buttons.delete(jobToken);
      if (list) saveList(ctx, job.listToken, { ...list, bulk: undefined });
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(ctx.t('bulk-cancelled'));
      return;
    }
    if (running.has(chat.id)) {
      await ctx.answerCallbackQuery({ text: ctx.t('bulk-other-run'), show_alert: true });
      return;
    }
    // Synchronously, before any await: a second press (or a second question) must not start a second run.
    running.add(chat.id);
    const message = ctx.callbackQuery.message;
    const started: BulkJob = { ...job, state: 'running', ...(message ? { message: { chatId: message.chat.id, messageId: message.message_id } } : {}) };
    saveJob(ctx.deps.buttons, jobToken, started, 86_400);
    if (list) saveList(ctx, job.listToken, { ...list, bulk: { approve: job.approve, job: 'started' } });
    await ctx.answerCallbackQuery();
    void (async () => {
      try {
        await ctx.editMessageText(ctx.t('bulk-running', { action: actionOf(job), count: job.ids.length }));
        await runJob(ctx, chat, started, jobToken, o);
      } catch (error) {
        ctx.logger.error({ err: error }, 'bulk decision run failed');
      } finally {
        running.delete(chat.id);
      }
    })();
  });
  return feature;
}

/**
 * Runs a restart cut short (the process stopped, or died, during an "all" run): each one's message
 * says how far it got and what was not attempted, and its list may start a new run. Called at
 * start, before polling.
 */
export async function reportInterruptedRuns(api: Api, buttons: ButtonBook, store: Pick<Store, 'settings'>, logger: Logger): Promise<number> {
  let reported = 0;
  for (const row of buttons.ofKind(BUTTON_KINDS.bulk)) {
    const job = readJob(buttons, row.token);
    if (!job || job.state !== 'running') continue;
    buttons.delete(row.token);
    const list = buttons.get(BUTTON_KINDS.pendingList, job.listToken, z.object({}).passthrough());
    if (list) buttons.update(BUTTON_KINDS.pendingList, job.listToken, { ...list.payload, bulk: undefined });
    if (!job.message) continue;
    const counts = job.progress ?? { done: 0, gone: 0, refused: 0, failed: 0, skipped: 0 };
    const attempted = counts.done + counts.gone + counts.refused + counts.failed;
    // Worded in the language of the chat the question was asked in (the admin's, in private).
    const tx = textsFor(chatLocale(store, BigInt(job.message.chatId)));
    const text = interruptedReport(tx, job, { ...counts, skipped: job.ids.length - attempted });
    await api.editMessageText(job.message.chatId, job.message.messageId, text, { parse_mode: 'HTML' }).then(
      () => reported++,
      (error: unknown) => logger.warn({ err: error }, 'could not report an "all" run a restart interrupted'),
    );
  }
  return reported;
}

function queryText(query: string): string {
  return isolate(escapeHtml(query, 100));
}

function actionOf(job: Pick<BulkJob, 'approve'>): 'approve' | 'decline' {
  return job.approve ? 'approve' : 'decline';
}

/** How many decisions ended for one reason; keyed by the reason's key and values. */
type Reasons = Map<string, { reason: Phrase; count: number }>;

async function runJob(ctx: BotContext, chat: AdminChat, job: BulkJob, token: string, o: BulkOptions): Promise<void> {
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
    // What was done so far outlives a restart: the next start reports it (reportInterruptedRuns).
    saveJob(ctx.deps.buttons, token, { ...job, progress: counts });
    if (o.now() - lastProgress > PROGRESS_EVERY_MS) {
      lastProgress = o.now();
      const doneSoFar = counts.done + counts.gone + counts.refused + counts.failed;
      await ctx.editMessageText(ctx.t('bulk-progress', { action: actionOf(job), done: doneSoFar, total: job.ids.length })).catch(() => undefined);
    }
    await sleep(gapMs - (o.now() - started), ctx.deps.shutdown);
  }
  // Stopping: the row stays 'running', and the next start says how far the run got.
  if (ctx.deps.shutdown.aborted) return;
  ctx.deps.buttons.delete(token);
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

/** The message of a run a restart cut short. */
export function interruptedReport(tx: Texts, job: Pick<BulkJob, 'approve' | 'ids' | 'query'>, counts: Counts): string {
  const done = { action: actionOf(job), done: counts.done, total: job.ids.length, query: queryText(job.query), skipped: counts.skipped };
  const lines = [tx.t(job.query ? 'bulk-interrupted-matching' : 'bulk-interrupted', done)];
  const other = counts.gone + counts.refused + counts.failed;
  if (other > 0) lines.push(tx.t('bulk-interrupted-other', { count: other }));
  lines.push(tx.t('bulk-interrupted-pointer'));
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
