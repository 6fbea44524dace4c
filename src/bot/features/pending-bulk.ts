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
      await ctx.answerCallbackQuery({ text: 'This list has expired; send /pending again.' });
      return;
    }
    const approve = action === 'a';
    if (list.bulk) {
      const again = list.bulk.job === 'started' ? 'A run for this list has already started; send /pending again for a new list.' : 'That question is already asked below this list.';
      await ctx.answerCallbackQuery({ text: again, show_alert: true });
      return;
    }
    const check = await ctx.deps.rights.decider(chat.id, BigInt(ctx.from.id));
    if (!check.ok) {
      await ctx.answerCallbackQuery({ text: `Not possible: ${check.reason}.`.slice(0, 190), show_alert: true });
      return;
    }
    const ids = ctx.store.pending.userIds(chat.id, { query: list.query || null });
    await ctx.answerCallbackQuery();
    if (ids.length === 0) {
      await ctx.answer('Nothing matches any more.');
      return;
    }
    const jobToken = jobs.put({ userId: ctx.from.id, chatId: chat.id, approve, query: list.query, ids, list });
    list.bulk = { approve, job: jobToken };
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
    // Synchronously, before any await: a second press (or a second question) must not start a second run.
    jobs.delete(jobToken);
    if (answer !== 'y') {
      delete job.list.bulk;
      await ctx.answerCallbackQuery();
      await ctx.editMessageText('Cancelled; nothing was changed.');
      return;
    }
    if (running.has(chat.id)) {
      jobs.put(job); // still answerable once the other run ended
      await ctx.answerCallbackQuery({ text: 'Another "all" run is going on in this chat; wait for its report.', show_alert: true });
      return;
    }
    running.add(chat.id);
    job.list.bulk = { approve: job.approve, job: 'started' };
    await ctx.answerCallbackQuery();
    void (async () => {
      try {
        await ctx.editMessageText(`${job.approve ? 'Approving' : 'Declining'} ${job.ids.length} requests…`);
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

function describeQuery(query: string): string {
  return query ? ` matching “${isolate(escapeHtml(query, 100))}”` : '';
}

async function runJob(ctx: BotContext, chat: AdminChat, job: BulkJob, o: BulkOptions): Promise<void> {
  const counts: Counts = { done: 0, gone: 0, refused: 0, failed: 0, skipped: 0 };
  const reasons = new Map<string, number>();
  let stopped: string | undefined;
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
      if (outcome.kind !== 'done') reasons.set(outcome.reason, (reasons.get(outcome.reason) ?? 0) + 1);
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
      await ctx.editMessageText(`${job.approve ? 'Approving' : 'Declining'}… ${doneSoFar} of ${job.ids.length}`).catch(() => undefined);
    }
    await sleep(gapMs - (o.now() - started), ctx.deps.shutdown);
  }
  if (ctx.deps.shutdown.aborted) return;
  await ctx.editMessageText(report(job, counts, reasons, stopped), { parse_mode: 'HTML' });
}

/** What Telegram did, line by line: nothing rounded, nothing guessed. */
export function report(job: Pick<BulkJob, 'approve' | 'ids' | 'query'>, counts: Counts, reasons: Map<string, number>, stopped?: string): string {
  const lines = [`Done: ${job.approve ? 'approved' : 'declined'} ${counts.done} of ${job.ids.length}${describeQuery(job.query)}.`];
  for (const [reason, n] of reasons) lines.push(`• ${n} not changed: ${escapeHtml(reason, 200)}`);
  if (counts.failed > 0) lines.push(`• ${counts.failed} failed unexpectedly (Telegram did not answer); it has been logged.`);
  if (stopped !== undefined) lines.push(`• Stopped: ${escapeHtml(stopped, 200)}; ${counts.skipped} not attempted.`);
  else if (counts.skipped > 0) lines.push(`• ${counts.skipped} not attempted: joinwatch was stopping.`);
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
