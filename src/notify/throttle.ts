/**
 * A failing chat emits `sync.failed` every cycle (every few minutes): the admins need to hear it
 * once, then again only if it is still failing an hour later. Repeats inside the quiet period
 * are acknowledged without a message. The memory is per process, so a restart may repeat once.
 */
export class AlertThrottle {
  private readonly lastSent = new Map<string, number>();

  constructor(private readonly quietMs: number) {}

  /** True when an alert with this key was sent less than `quietMs` ago. */
  isQuiet(key: string, nowMs: number): boolean {
    const last = this.lastSent.get(key);
    return last !== undefined && nowMs - last < this.quietMs;
  }

  markSent(key: string, nowMs: number): void {
    this.lastSent.set(key, nowMs);
    for (const [k, at] of this.lastSent) if (nowMs - at >= this.quietMs) this.lastSent.delete(k);
  }
}
