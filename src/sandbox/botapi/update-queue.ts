/**
 * The getUpdates queue: ids increase by one, `offset` confirms (drops) older updates, a call with no
 * update waits up to `timeout` seconds, a second concurrent call ends the first with 409 like
 * Telegram, and `allowed_updates` persists between calls and decides which updates are queued
 * at all (chat_member is off by default).
 */
import { BotApiError } from './errors.js';
import type { Json } from './views.js';

const DEFAULT_OFF = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

interface Waiter {
  limit: number;
  resolve: (updates: Json[]) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class UpdateQueue {
  private queue: Json[] = [];
  private nextId = 1;
  private allowed: Set<string> | null = null;
  private waiter: Waiter | null = null;

  /** Queues an update of `type` when allowed; returns its id, or undefined when not asked for. */
  push(type: string, payload: unknown): number | undefined {
    if (!this.isAllowed(type)) return undefined;
    const update: Json = { update_id: this.nextId++, [type]: payload };
    this.queue.push(update);
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      clearTimeout(w.timer);
      w.resolve(this.queue.slice(0, w.limit));
    }
    return update.update_id as number;
  }

  isAllowed(type: string): boolean {
    return this.allowed ? this.allowed.has(type) : !DEFAULT_OFF.has(type);
  }

  setAllowed(list: unknown): void {
    if (!Array.isArray(list)) return;
    this.allowed = list.length === 0 ? null : new Set(list.map(String));
  }

  get pending(): number {
    return this.queue.length;
  }

  get allowedUpdates(): string[] | null {
    return this.allowed ? [...this.allowed] : null;
  }

  /** `onClose` registers a hook so an aborted long poll frees its slot. */
  get(o: { offset: number; limit: number; timeout: number; onClose?: (cb: () => void) => void }): Promise<Json[]> {
    this.confirm(o.offset);
    const limit = Math.min(100, Math.max(1, o.limit || 100));
    const previous = this.waiter;
    if (previous) {
      this.waiter = null;
      clearTimeout(previous.timer);
      previous.reject(new BotApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
    }
    if (this.queue.length > 0 || o.timeout <= 0) return Promise.resolve(this.queue.slice(0, limit));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.waiter?.timer === timer) this.waiter = null;
        resolve([]);
      }, Math.min(o.timeout, 50) * 1000);
      const w: Waiter = { limit, resolve, reject, timer };
      this.waiter = w;
      o.onClose?.(() => {
        if (this.waiter === w) {
          this.waiter = null;
          clearTimeout(timer);
          resolve([]);
        }
      });
    });
  }

  /** Ends a waiting long poll (server shutdown). */
  close(): void {
    const w = this.waiter;
    this.waiter = null;
    if (w) {
      clearTimeout(w.timer);
      w.resolve([]);
    }
  }

  private confirm(offset: number): void {
    if (offset > 0) {
      const keep = this.queue.findIndex((u) => (u.update_id as number) >= offset);
      this.queue = keep < 0 ? [] : this.queue.slice(keep);
    } else if (offset < 0) {
      this.queue = this.queue.slice(offset);
    }
  }
}
