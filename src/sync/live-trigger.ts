/**
 * Targeted syncs from live signals. A pushed pending count (or, after a reconnect and at start,
 * every watched chat: GramJS recovers no missed update) sets the chat's dirty mark in SQLite; a
 * short poll of the marks — which also hears marks the bot process sets — runs a pending check for
 * the dirty chats, no more than one per chat per `debounceSeconds` (default 10), through the
 * engine and so within its call budget — beside a running cycle, not after it (engine.ts).
 */
import { parseId } from '../domain/chat-id.js';
import type { Store } from '../store/index.js';
import type { SyncLog } from './context.js';
import type { SyncEngine } from './engine.js';
import type { LiveSignals } from './types.js';

export interface LiveTriggerOptions {
  store: Store;
  engine: Pick<SyncEngine, 'checkPending' | 'sessionRevoked'>;
  /** The watched chats (as configured: -100… ids or @usernames). */
  chats: readonly (string | bigint)[];
  signals?: LiveSignals | undefined;
  debounceSeconds?: number;
  pollMs?: number;
  now?: () => number;
  log?: SyncLog & { error(obj: object, msg?: string): void };
}

export interface LiveTrigger {
  /** Looks at the marks now (tests, and a signal in this process). */
  poke(): void;
  stop(): Promise<void>;
}

export const DEFAULT_DEBOUNCE_SECONDS = 10;

export function startLiveTrigger(o: LiveTriggerOptions): LiveTrigger {
  const now = o.now ?? (() => Math.floor(Date.now() / 1000));
  const debounce = o.debounceSeconds ?? DEFAULT_DEBOUNCE_SECONDS;
  let stopped = false;
  let running: Promise<unknown> | undefined;
  let again = false;
  const watched = (): Map<bigint, string | bigint> => {
    const ids = new Map<bigint, string | bigint>();
    for (const ref of o.chats) {
      const id = typeof ref === 'bigint' ? ref : ref.startsWith('@') ? o.store.chats.byUsername(ref)?.id : parseId(ref);
      if (id !== undefined && o.store.chats.get(id)) ids.set(id, ref);
    }
    return ids;
  };
  const markAll = (): void => {
    const at = now();
    for (const id of watched().keys()) o.store.chatLive.markDirty(id, at);
  };
  const check = (): void => {
    if (stopped || o.engine.sessionRevoked) return;
    if (running) {
      again = true;
      return;
    }
    const chats = watched();
    const due = o.store.chatLive.dirty(now() - debounce + 1).filter((id) => chats.has(id));
    if (due.length === 0) return;
    running = o.engine
      .checkPending(due)
      .then((r) => o.log?.info({ chats: r.chats.length, calls: r.calls }, 'targeted pending check done'))
      .catch((err: unknown) => o.log?.error({ err }, 'targeted pending check failed'))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          check();
        }
      });
  };
  o.signals?.onPendingChanged((chatId) => {
    if (!watched().has(chatId)) return;
    o.store.chatLive.markPushed(chatId, now());
    check();
  });
  o.signals?.onReconnected(() => {
    markAll();
    check();
  });
  // At start: whatever was pushed while the process was down is lost, so every chat is checked.
  markAll();
  const timer = setInterval(check, o.pollMs ?? 1000);
  timer.unref();
  check();
  return {
    poke: check,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
