/**
 * Telegram's patience, as a budget: at most `perCycle` calls in one sync cycle (the rest waits
 * for the next one; backfills resume from their cursor) and at most `perMinute` in any sliding
 * minute (we wait for a slot rather than provoke FLOOD_WAIT).
 */
export class BudgetExhaustedError extends Error {
  constructor(readonly limit: number) {
    super(`call budget of ${limit} per cycle used up`);
    this.name = 'BudgetExhaustedError';
  }
}

/** The engine is stopping (shutdown): no further call; the cycle ends like an exhausted budget. */
export class SyncStoppedError extends BudgetExhaustedError {
  constructor() {
    super(0);
    this.message = 'sync stopped: joinwatch is shutting down (backfills resume from their cursor)';
    this.name = 'SyncStoppedError';
  }
}

/**
 * Where the per-minute window's calls are kept when they must outlive this process (the store's
 * sync_calls): a restart, or `sync --once` next to `start`, then counts the calls the account made
 * this minute instead of starting from zero. Implemented by the store; optional (tests).
 */
export interface CallLog {
  /** Call times (unix ms) after `sinceMs`, oldest first. */
  since(sinceMs: number): number[];
  /** Records a call; calls at or before `forgetBeforeMs` are no longer needed. */
  record(atMs: number, forgetBeforeMs: number): void;
}

/** A chat's fair share of a cycle's budget is used up: the chat's walks resume next cycle. */
export class ShareUsedError extends Error {
  constructor(readonly limit: number) {
    super(`this chat's share of ${limit} calls is used up`);
    this.name = 'ShareUsedError';
  }
}

/** What a metered call takes its slot from: the cycle's budget, or a chat's share of it. */
export interface Budget {
  take(): Promise<void>;
}

export interface BudgetOptions {
  perCycle: number;
  perMinute: number;
  /** Shares the per-minute window through the database (see CallLog). */
  log?: CallLog | undefined;
  /** Milliseconds clock and sleep, injectable for tests. */
  nowMs?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const MINUTE_MS = 60_000;

export class CallBudget implements Budget {
  private used = 0;
  private closed = false;
  private readonly recent: number[] = []; // call times inside the last minute, oldest first
  private head = 0;
  private readonly nowMs: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: BudgetOptions) {
    this.nowMs = opts.nowMs ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get calls(): number {
    return this.used;
  }

  get remaining(): number {
    return this.closed ? 0 : Math.max(0, this.opts.perCycle - this.used);
  }

  /** No call is granted from now on: a shutdown lets the running cycle end at its next call. */
  close(): void {
    this.closed = true;
  }

  /** A new cycle: the per-cycle count restarts; the per-minute window keeps its history. */
  resetCycle(): void {
    this.used = 0;
  }

  /** Takes one call from the budget, waiting for the per-minute window if needed. */
  async take(): Promise<void> {
    if (this.closed) throw new SyncStoppedError();
    if (this.used >= this.opts.perCycle) throw new BudgetExhaustedError(this.opts.perCycle);
    if (this.opts.log) return this.takeLogged(this.opts.log);
    for (;;) {
      const now = this.nowMs();
      while (this.head < this.recent.length && (this.recent[this.head] ?? 0) <= now - MINUTE_MS) this.head++;
      if (this.head > 1024) this.compact();
      if (this.recent.length - this.head < this.opts.perMinute) break;
      await this.sleep((this.recent[this.head] ?? now) + MINUTE_MS - now + 1);
    }
    this.recent.push(this.nowMs());
    this.used++;
  }

  /** The window read from the log at each call: what every process of this account made counts. */
  private async takeLogged(log: CallLog): Promise<void> {
    for (;;) {
      const now = this.nowMs();
      const recent = log.since(now - MINUTE_MS);
      if (recent.length < this.opts.perMinute) break;
      await this.sleep((recent[recent.length - this.opts.perMinute] ?? now) + MINUTE_MS - now + 1);
      if (this.closed) throw new SyncStoppedError();
    }
    const at = this.nowMs();
    log.record(at, at - MINUTE_MS);
    this.used++;
  }

  private compact(): void {
    this.recent.splice(0, this.head);
    this.head = 0;
  }
}

/** Up to `limit` calls of the parent budget (a chat's fair share of what is left). */
export class BudgetShare implements Budget {
  private used = 0;

  constructor(
    private readonly parent: Budget,
    private readonly limit: number,
  ) {}

  get usedCalls(): number {
    return this.used;
  }

  async take(): Promise<void> {
    if (this.used >= this.limit) throw new ShareUsedError(this.limit);
    await this.parent.take();
    this.used++;
  }
}
