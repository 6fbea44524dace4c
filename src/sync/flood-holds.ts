/**
 * FLOOD_WAIT binds the account and the method (telegram-semantics.md, Churn): after
 * FLOOD_WAIT_X, calling the same method before X seconds only earns another flood wait. The
 * engine records each hold in the store (a restart respects it) and fails a held method's calls
 * at once, without reaching Telegram and without taking a budget slot; other methods go on.
 */
import type { Store } from '../store/index.js';
import { SourceError, type TelegramMethod } from './types.js';

export class FloodHoldBook {
  private readonly until = new Map<string, { until: number; code: string }>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {
    for (const h of store.syncState.holds(now())) this.until.set(h.method, { until: h.until, code: h.code });
  }

  /** Throws the flood wait still in force on `method`, if any. */
  check(method: TelegramMethod): void {
    const hold = this.until.get(method);
    if (!hold) return;
    const left = hold.until - this.now();
    if (left > 0) throw new SourceError('FloodWait', hold.code, left);
    this.until.delete(method);
  }

  record(method: TelegramMethod, e: SourceError): void {
    const until = this.now() + e.seconds;
    const known = this.until.get(method);
    if (known && known.until >= until) return;
    this.until.set(method, { until, code: e.code });
    this.store.syncState.hold(method, until, e.code);
  }

  /** True while `method` is held: the caller need not even try. */
  held(method: TelegramMethod): boolean {
    const hold = this.until.get(method);
    return hold !== undefined && hold.until > this.now();
  }
}
