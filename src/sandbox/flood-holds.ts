/**
 * FLOOD_WAIT binds the account and the method (telegram-semantics.md, Churn): once Telegram has
 * answered FLOOD_WAIT_X to a method, calling that method again before X seconds have passed only
 * earns another flood wait, for the time that is left. Other methods go on.
 */
export class FloodHolds {
  private readonly until = new Map<string, number>();

  /** `clock`: unix seconds. */
  constructor(private readonly clock: () => number) {}

  /** Seconds the method is still held for, or undefined when it may be called. */
  remaining(method: string): number | undefined {
    const until = this.until.get(method);
    if (until === undefined) return undefined;
    const left = until - this.clock();
    if (left > 0) return left;
    this.until.delete(method);
    return undefined;
  }

  hold(method: string, seconds: number): void {
    this.until.set(method, Math.max(this.until.get(method) ?? 0, this.clock() + seconds));
  }

  clear(): void {
    this.until.clear();
  }
}
