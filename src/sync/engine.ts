/**
 * The sync engine: per watched chat, discover links → page each changed link's joiners →
 * reconcile pending requests → record the run. Telegram is reached only through `InviteSource`,
 * every call metered against the cycle's budget. Failures are decided on their kind:
 *   FloodWait (longer than GramJS sleeps) defers that link only; NotPermitted marks the link
 *   invisible; LinkGone keeps its history; SessionRevoked stops everything with one event;
 *   anything else fails that chat (one `sync.failed` event) and the cycle goes on.
 */
import type { Store } from '../store/index.js';
import { BudgetExhaustedError, CallBudget, type CallLog } from './budget.js';
import type { SyncContext, SyncLog } from './context.js';
import { EventKind, emit, type SyncFailedPayload } from './events.js';
import { discoverLinks } from './link-discovery.js';
import { planLink } from './link-planner.js';
import { pageJoins } from './joins-pager.js';
import { MeteredSource, type CallObserver } from './metered-source.js';
import { emptyRequestsReport, summarizeChat, type ChatReport, type CycleReport, type LinkReport, type Progress } from './report.js';
import { reconcileRequests } from './requests-reconciler.js';
import { PAGE_LIMIT, SourceError, isSourceError, type InviteSource, type SourceChat, type SourceLink } from './types.js';

export interface EngineOptions {
  store: Store;
  source: InviteSource;
  maxCallsPerCycle?: number;
  maxCallsPerMinute?: number;
  pageLimit?: number;
  /** Unix seconds. */
  now?: () => number;
  log?: SyncLog;
  onProgress?: (p: Progress) => void;
  /** Injected into the per-minute limiter (tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Hears every Telegram call and every finished cycle (the metrics endpoint); optional. */
  observer?: SyncObserver;
  /** Keeps the per-minute call window in the database (the store's syncCalls), across restarts. */
  callLog?: CallLog;
}

export interface SyncObserver {
  call: CallObserver;
  cycle(report: CycleReport, seconds: number): void;
}

export class SyncEngine {
  private revoked = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly budget: CallBudget;
  private readonly now: () => number;

  constructor(private readonly opts: EngineOptions) {
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
    this.budget = new CallBudget({
      perCycle: opts.maxCallsPerCycle ?? 5000,
      perMinute: opts.maxCallsPerMinute ?? 300,
      log: opts.callLog,
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
    });
  }

  /** True once Telegram said the session is gone: no further call is made until a new login. */
  get sessionRevoked(): boolean {
    return this.revoked;
  }

  /** One cycle over the chats, one at a time. Concurrent calls (scheduler, bot) run in turn. */
  runCycle(chatRefs: readonly (string | bigint)[]): Promise<CycleReport> {
    return this.serialize(() => this.observedCycle(chatRefs));
  }

  /**
   * Shutdown: no Telegram call is made from now on, so a running cycle ends at its next call as
   * 'partial' (every page before it is stored, backfill cursors included); resolves once it has.
   */
  async stop(): Promise<void> {
    this.budget.close();
    await this.queue;
  }

  /** The bot's "sync now" (the `SyncTrigger` app.ts hands it): one chat, one line of summary. */
  async syncNow(chatId: bigint): Promise<{ ok: boolean; summary: string }> {
    const cycle = await this.runCycle([chatId]);
    const chat = cycle.chats[0];
    if (!chat) return { ok: false, summary: cycle.sessionRevoked ? 'the session was revoked: run `joinwatch login`' : 'nothing synced' };
    return { ok: chat.outcome === 'ok', summary: summarizeChat(chat) };
  }

  private async observedCycle(chatRefs: readonly (string | bigint)[]): Promise<CycleReport> {
    const observer = this.opts.observer;
    if (!observer) return this.cycle(chatRefs);
    const started = performance.now();
    const report = await this.cycle(chatRefs);
    observer.cycle(report, (performance.now() - started) / 1000);
    return report;
  }

  private async cycle(chatRefs: readonly (string | bigint)[]): Promise<CycleReport> {
    const startedAt = this.now();
    this.budget.resetCycle();
    const report: CycleReport = { chats: [], calls: 0, sessionRevoked: this.revoked, budgetExhausted: false, startedAt, finishedAt: startedAt };
    for (const ref of this.revoked ? [] : chatRefs) {
      const chat = await this.syncChat(ref);
      report.chats.push(chat);
      report.calls += chat.calls;
      if (this.revoked || this.budget.remaining === 0) break;
    }
    report.sessionRevoked = this.revoked;
    report.budgetExhausted = this.budget.remaining === 0;
    report.finishedAt = this.now();
    return report;
  }

  private async syncChat(ref: string | bigint): Promise<ChatReport> {
    const { store } = this.opts;
    const source = new MeteredSource(this.opts.source, this.budget, this.opts.observer?.call);
    const ctx: SyncContext = { store, source, now: this.now, pageLimit: this.opts.pageLimit ?? PAGE_LIMIT, onProgress: this.opts.onProgress, log: this.opts.log };
    const report = newChatReport(ref);
    let runId: number | undefined;
    try {
      const chat = await source.resolveChat(ref);
      Object.assign(report, { chatId: chat.chatId, title: chat.title });
      store.chats.upsert({ id: chat.chatId, title: chat.title, username: chat.username ?? null, type: chat.type, isOwner: chat.isOwner }, this.now());
      runId = store.runs.start(chat.chatId, this.now());
      await this.syncResolved(ctx, chat, report);
    } catch (e) {
      this.fail(report, e);
    } finally {
      report.calls = source.total;
      report.rowsAdded = report.links.reduce((n, l) => n + l.newJoins, 0) + report.requests.newRequests;
      runId ??= store.runs.start(report.chatId !== null && store.chats.get(report.chatId) ? report.chatId : null, this.now());
      store.runs.finish(runId, { calls: report.calls, rowsAdded: report.rowsAdded, outcome: report.outcome, error: report.error ?? null }, this.now());
    }
    this.opts.log?.info({ chat: report.chatRef, outcome: report.outcome, calls: report.calls, rows: report.rowsAdded }, 'chat synced');
    return report;
  }

  private async syncResolved(ctx: SyncContext, chat: SourceChat, report: ChatReport): Promise<void> {
    const { store } = ctx;
    const discovery = await discoverLinks(ctx, chat);
    report.invisibleLinks = discovery.invisibleNote !== null;
    store.chats.upsert(
      { id: chat.chatId, title: chat.title, username: chat.username ?? null, type: chat.type, isOwner: chat.isOwner, invisibleLinksNote: discovery.invisibleNote },
      this.now(),
    );
    for (const link of discovery.links) {
      report.links.push(await this.syncLink(ctx, chat.chatId, link, report));
    }
    try {
      await reconcileRequests(ctx, chat.chatId, discovery.links, report.requests);
    } catch (e) {
      if (!isSourceError(e, 'FloodWait')) throw e;
      report.outcome = 'partial';
      report.error = `pending requests deferred: ${e.code}`;
    }
  }

  private async syncLink(ctx: SyncContext, chatId: bigint, link: SourceLink, chatReport: ChatReport): Promise<LinkReport> {
    const { store } = ctx;
    const row = store.links.get(chatId, link.link);
    const plan = planLink(link, row, this.now());
    const report: LinkReport = { link: link.link, title: link.title ?? null, action: 'skipped', newJoins: 0, pages: 0 };
    if (plan.action === 'skip') return { ...report, action: plan.reason === 'gone' ? 'gone' : 'skipped' };
    if (plan.action === 'deferred') {
      chatReport.outcome = 'partial';
      return { ...report, action: 'deferred', note: `until ${new Date(plan.until * 1000).toISOString()} (${plan.reason})` };
    }
    report.action = plan.action;
    try {
      await pageJoins(ctx, chatId, link, plan, report);
    } catch (e) {
      if (e instanceof BudgetExhaustedError) {
        chatReport.links.push({ ...report, action: 'unfinished', note: 'call budget used up; resumes next cycle' });
        throw e;
      }
      if (!(e instanceof SourceError)) throw e;
      if (this.linkFailed(ctx, chatId, link, report, e) === 'deferred') chatReport.outcome = 'partial';
    }
    return report;
  }

  private linkFailed(ctx: SyncContext, chatId: bigint, link: SourceLink, report: LinkReport, e: SourceError): LinkReport['action'] {
    const { store } = ctx;
    const now = this.now();
    if (e.kind === 'FloodWait') {
      store.links.updateSyncState(chatId, link.link, { deferredUntil: now + e.seconds, deferredReason: e.code });
      Object.assign(report, { action: 'deferred', note: `${e.code}: next try after ${e.seconds}s` });
    } else if (e.kind === 'NotPermitted') {
      store.links.updateSyncState(chatId, link.link, { visible: false });
      Object.assign(report, { action: 'invisible', note: e.code });
    } else if (e.kind === 'LinkGone') {
      store.links.markGone(chatId, link.link, now);
      Object.assign(report, { action: 'gone', note: e.code });
    } else {
      throw e;
    }
    return report.action;
  }

  private fail(report: ChatReport, e: unknown): void {
    const { store } = this.opts;
    const now = this.now();
    if (e instanceof BudgetExhaustedError) {
      report.outcome = 'partial';
      report.error = e.message;
      return;
    }
    const err = e instanceof SourceError ? e : new SourceError('Transient', e instanceof Error ? e.message.slice(0, 200) : 'unknown');
    report.outcome = 'failed';
    report.error = `${err.kind} (${err.code})`;
    report.failure = { kind: err.kind, code: err.code };
    if (err.kind === 'SessionRevoked') {
      if (!this.revoked) emit(store, EventKind.SessionRevoked, null, { code: err.code }, now);
      this.revoked = true;
      return;
    }
    const chatId = report.chatId !== null && store.chats.get(report.chatId) ? report.chatId : null;
    const payload: SyncFailedPayload = { kind: err.kind, code: err.code };
    emit(store, EventKind.SyncFailed, chatId, { ...payload, chat: report.chatRef }, now);
    this.opts.log?.warn({ chat: report.chatRef, kind: err.kind, code: err.code }, 'chat sync failed');
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function newChatReport(ref: string | bigint): ChatReport {
  return {
    chatRef: String(ref),
    chatId: null,
    title: null,
    outcome: 'ok',
    calls: 0,
    rowsAdded: 0,
    links: [],
    requests: emptyRequestsReport(),
    invisibleLinks: false,
  };
}
