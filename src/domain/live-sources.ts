/**
 * Which live sources work for a chat, as `doctor` and the bot's /links say it: the admin log (the
 * ordinary cycle needs it; without it every cycle is the full reconcile), Telegram's pushed pending
 * counts (targeted syncs within seconds), and the bot's own updates (it must be an admin).
 */
export interface LiveSources {
  adminLog: 'followed' | 'unreadable' | 'not-read';
  /** Why the log cannot be read (Telegram's error name), when unreadable. */
  adminLogWhy?: string;
  /** When Telegram last pushed the chat's pending count; null: none seen yet. */
  pushedAt: number | null;
  /** Every cycle of the chat is the full reconcile (today's cycle). */
  fullCycles: boolean;
}

/** From the sync's per-chat state (store.chatLive.get), undefined when the chat was never synced live. */
export function liveSourcesOf(row: { logStatus: string | null; pushedAt: number | null } | undefined): LiveSources {
  const status = row?.logStatus ?? null;
  if (status === null) return { adminLog: 'not-read', pushedAt: row?.pushedAt ?? null, fullCycles: true };
  if (status === 'live') return { adminLog: 'followed', pushedAt: row?.pushedAt ?? null, fullCycles: false };
  return { adminLog: 'unreadable', adminLogWhy: status, pushedAt: row?.pushedAt ?? null, fullCycles: true };
}
