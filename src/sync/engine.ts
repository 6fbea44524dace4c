/**
 * The sync engine. A cycle has two phases:
 *  1. for every watched chat, in turn: find it, list its links, check its pending requests
 *     (chat-phase.ts) — the urgent part, never starved by a backfill;
 *  2. links' members, shared fairly among the chats (members-phase.ts): news first, then first
 *     walks, then full listings.
 * Telegram is reached only through `InviteSource`, every call metered against the cycle's budget
 * and refused at once while Telegram holds its method after a flood wait (held in the store, so a
 * restart respects it). Failures are decided on their kind: SessionRevoked stops everything with one
 * event; a flood wait or an unknown admin while listing links defers that chat; LinkGone keeps a
 * link's history; NotPermitted marks it invisible; anything else fails that chat (one
 * `sync.failed` event) and the cycle goes on. The next cycle starts one chat further.
 *
 * Cycles run one at a time; a targeted pending check (a live signal) does not wait for a running
 * cycle: it runs beside it, and only a chat's own phase one (where its pending rows are written)
 * waits for the other's, through a per-chat lock (chat-locks.ts). Both take their calls from the
 * one budget (per cycle and per minute, the store's syncCalls).
 */
import type { Store } from '../store/index.js';
import { BudgetExhaustedError, CallBudget, type CallLog } from './budget.js';
import { knownChat, newChatCycle, syncChatPhaseOne, type ChatCycle } from './chat-phase.js';
import { ChatLocks } from './chat-locks.js';
import type { SyncContext, SyncLog } from './context.js';
import { EventKind, emit, type SyncFailedPayload } from './events.js';
import { FloodHoldBook } from './flood-holds.js';
import { syncMembers } from './members-phase.js';
import { MeteredSource, type CallObserver } from './metered-source.js';
import { figuresOf, summarizeChat, type ChatReport, type CycleReport, type Progress } from './report.js';
import type { SyncFigures } from '../domain/sync-figures.js';
import { PAGE_LIMIT, SourceError, type InviteSource } from './types.js';

export interface EngineOptions {
  store: Store;
  source: InviteSource;
  maxCallsPerCycle?: number;
  maxCallsPerMinute?: number;
  pageLimit?: number;
  /** Every link is listed whole at least this often, to catch a leave and a join that kept its counter level (0: never). Default 24 h. */
  fullReconcileSeconds?: number;
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

interface CycleOptions {
  forceFull?: boolean;
  pendingOnly?: boolean;
  /** The chats of a targeted check that were dirty when it was asked for. */
  dirty?: ReadonlySet<bigint>;
}

export const DEFAULT_FULL_RECONCILE_SECONDS = 24 * 3600;
/** The sync_state entry naming the chat the next cycle starts with. */
const NEXT_CHAT = 'cycle.next_chat';

export class SyncEngine {
  private revoked = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** Targeted checks under way (beside the queue): a shutdown waits for them too. */
  private readonly targeted = new Set<Promise<unknown>>();
  private readonly locks = new ChatLocks();
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

  /**
   * One cycle over the chats: per chat the ordinary cycle or the full reconcile, as live-plan.ts
   * decides (`full`: the reconcile for every chat). Concurrent calls (scheduler, bot) run in turn.
   */
  runCycle(chatRefs: readonly (string | bigint)[], o: { full?: boolean } = {}): Promise<CycleReport> {
    return this.serialize(() => this.observedCycle(chatRefs, { forceFull: o.full === true }));
  }

  /**
   * Targeted syncs after signals: each chat's pending requests only, within the cycle's budget.
   * Not queued behind a running cycle (a full reconcile may page for minutes): a chat that cycle is
   * in the middle of is checked once its phase one is done, and not at all when that phase's own
   * pending check cleared the chat's dirty mark meanwhile.
   */
  checkPending(chatRefs: readonly (string | bigint)[]): Promise<CycleReport> {
    const dirty = new Set(chatRefs.map((r) => this.dirtyId(r)).filter((id): id is bigint => id !== undefined));
    const run = this.observedCycle(chatRefs, { pendingOnly: true, dirty });
    this.targeted.add(run);
    void run.catch(() => undefined).finally(() => this.targeted.delete(run));
    return run;
  }

  /**
   * Shutdown: no Telegram call is made from now on, so a running cycle ends at its next call as
   * 'partial' (every page before it is stored, walk cursors included); resolves once it has.
   */
  async stop(): Promise<void> {
    this.budget.close();
    await Promise.all([this.queue, ...[...this.targeted].map((t) => t.catch(() => undefined))]);
  }

  /** The bot's "sync now" (the `SyncTrigger` app.ts hands it): one chat, one line of summary. */
  async syncNow(chatId: bigint): Promise<{ ok: boolean; summary: string; figures: SyncFigures }> {
    const cycle = await this.runCycle([chatId]);
    const chat = cycle.chats[0];
    const figures = figuresOf(chat, cycle.sessionRevoked);
    if (!chat) return { ok: false, summary: cycle.sessionRevoked ? 'the session was revoked: run `joinwatch login`' : 'nothing synced', figures };
    return { ok: chat.outcome === 'ok', summary: summarizeChat(chat), figures };
  }

  private async observedCycle(chatRefs: readonly (string | bigint)[], o: CycleOptions): Promise<CycleReport> {
    const observer = this.opts.observer;
    if (!observer) return this.cycle(chatRefs, o);
    const started = performance.now();
    const report = await this.cycle(chatRefs, o);
    observer.cycle(report, (performance.now() - started) / 1000);
    return report;
  }

  private async cycle(chatRefs: readonly (string | bigint)[], o: CycleOptions): Promise<CycleReport> {
    const { store } = this.opts;
    const startedAt = this.now();
    // A targeted check between cycles spends what is left of the cycle's budget.
    if (!o.pendingOnly) this.budget.resetCycle();
    const holds = new FloodHoldBook(store, this.now);
    const chats: ChatCycle[] = [];
    for (const ref of this.revoked ? [] : o.pendingOnly ? chatRefs : this.inTurn(chatRefs)) {
      const ctx: SyncContext = {
        store,
        source: new MeteredSource(this.opts.source, this.budget, holds, this.opts.observer?.call),
        now: this.now,
        pageLimit: this.opts.pageLimit ?? PAGE_LIMIT,
        cycleStart: startedAt,
        fullReconcileSeconds: this.opts.fullReconcileSeconds ?? DEFAULT_FULL_RECONCILE_SECONDS,
        onProgress: this.opts.onProgress,
        log: this.opts.log,
      };
      await this.locks.with(this.lockKey(ref), async () => {
        if (o.dirty && this.servedMeanwhile(ref, o.dirty)) return;
        const c = newChatCycle(ref, ctx);
        chats.push(c);
        await this.guarded(c, () => syncChatPhaseOne(c, ref, o));
      });
      if (this.revoked || this.budget.remaining === 0) break;
    }
    if (!this.revoked) await syncMembers(chats, this.budget, (c, e) => this.fail(c, e));
    for (const c of chats) this.finish(c, startedAt);
    return {
      chats: chats.map((c) => c.report),
      calls: chats.reduce((n, c) => n + c.report.calls, 0),
      sessionRevoked: this.revoked,
      budgetExhausted: this.budget.remaining === 0,
      startedAt,
      finishedAt: this.now(),
    };
  }

  /** The chats, starting one further than last cycle (persisted), so no chat always comes last. */
  private inTurn(refs: readonly (string | bigint)[]): (string | bigint)[] {
    const { syncState } = this.opts.store;
    const keys = refs.map((r) => String(r));
    const start = Math.max(0, keys.indexOf(syncState.position(NEXT_CHAT) ?? ''));
    const order = [...refs.slice(start), ...refs.slice(0, start)];
    if (order.length > 1) syncState.setPosition(NEXT_CHAT, String(order[1]));
    return order;
  }

  /** One key per chat whichever way it is named (a -100… id, an @username, a bigint). */
  private lockKey(ref: string | bigint): string {
    return String(knownChat(this.opts.store, ref)?.id ?? ref).trim().toLowerCase();
  }

  /** The chat's id when it is known and marked dirty. */
  private dirtyId(ref: string | bigint): bigint | undefined {
    const id = knownChat(this.opts.store, ref)?.id;
    return id !== undefined && this.opts.store.chatLive.get(id)?.dirtyAt != null ? id : undefined;
  }

  /** Dirty when asked for, clean now: the running cycle's own pending check served it while this one waited. */
  private servedMeanwhile(ref: string | bigint, dirty: ReadonlySet<bigint>): boolean {
    const id = knownChat(this.opts.store, ref)?.id;
    return id !== undefined && dirty.has(id) && this.dirtyId(ref) === undefined;
  }

  private async guarded(c: ChatCycle, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (e) {
      this.fail(c, e);
    }
  }

  private finish(c: ChatCycle, startedAt: number): void {
    const { store } = this.opts;
    const report = c.report;
    if (c.mode) report.mode = c.mode;
    // A reconcile that completed: the admin log (read before it) carries the chat from here.
    if (c.mode === 'full' && report.outcome === 'ok' && c.chat) store.chatLive.reconciled(c.chat.chatId, startedAt);
    report.calls = c.source.total;
    report.rowsAdded += report.links.reduce((n, l) => n + l.newJoins, 0) + report.requests.newRequests;
    const runId = c.runId ?? store.runs.start(report.chatId !== null && store.chats.get(report.chatId) ? report.chatId : null, this.now());
    store.runs.finish(runId, { calls: report.calls, rowsAdded: report.rowsAdded, outcome: report.outcome, error: report.error ?? null }, this.now());
    this.opts.log?.info({ chat: report.chatRef, outcome: report.outcome, calls: report.calls, rows: report.rowsAdded }, 'chat synced');
  }

  private fail(c: ChatCycle, e: unknown): void {
    const { store } = this.opts;
    const report: ChatReport = c.report;
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
