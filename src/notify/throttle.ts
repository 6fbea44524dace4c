/**
 * A failing chat emits `sync.failed` every cycle (every few minutes): the admins need to hear it
 * once, then again only if it is still failing an hour later. Repeats inside the quiet period
 * are acknowledged without a message. When each failure was last told is in the database, so a
 * restart does not tell it again.
 */
import type { RecipientMemory } from './memory.js';

export class AlertThrottle {
  constructor(
    private readonly quietMs: number,
    private readonly memory: RecipientMemory,
  ) {}

  /** True when an alert with this key was sent less than `quietMs` ago. */
  isQuiet(key: string, nowMs: number): boolean {
    const last = this.memory.get('throttle', key)?.atMs;
    return last !== undefined && nowMs - last < this.quietMs;
  }

  markSent(key: string, nowMs: number): void {
    this.memory.set('throttle', key, nowMs);
    this.memory.forget('throttle', nowMs - this.quietMs);
  }
}
