/**
 * Which cycle a chat gets. The ordinary cycle (the admin log's new events, one pending check) is
 * enough only when the log has been followed without a gap; otherwise the full reconcile runs
 * (today's cycle: links listed, counters compared, members paged as planned):
 *  - the chat was never reconciled, or its last reconcile did not complete;
 *  - the admin log cannot be read (the source has none, or the account may not read it): the chat
 *    falls back to full cycles, and `doctor` / `/links` say so;
 *  - the log was last read more than 48 hours ago (Telegram keeps 48 hours: events were missed,
 *    e.g. the process was down that long);
 *  - a reconcile is due (SYNC_RECONCILE_CRON marks every chat), or `sync --once --full` forces it.
 */
import type { ChatLiveRow } from '../store/index.js';
import type { ChatCycle } from './chat-phase.js';
import type { SyncContext } from './context.js';
import { readNewEvents, type AdminLogRead } from './admin-log-sync.js';
import { isSourceError, type SourceChat } from './types.js';

/** Telegram keeps the admin log this long. */
export const ADMIN_LOG_WINDOW_SECONDS = 48 * 3600;

export interface LiveState {
  row: ChatLiveRow | undefined;
  /** The events above the stored cursor (none on the first read: it only finds the top); null: the log cannot be read. */
  log: AdminLogRead | null;
}

/** Reads the admin log from the stored cursor; 'deferred' when Telegram holds the method (a flood wait). */
export async function readLiveState(c: ChatCycle, chat: SourceChat): Promise<LiveState | 'deferred'> {
  const { store } = c.ctx;
  const row = store.chatLive.get(chat.chatId);
  if (!c.source.hasAdminLog) {
    if (row?.logStatus !== 'unsupported') store.chatLive.logUnavailable(chat.chatId, 'unsupported');
    return { row: store.chatLive.get(chat.chatId), log: null };
  }
  try {
    const log = row?.logEventId == null ? await readTop(c, chat.chatId) : await readNewEvents(c.ctx, chat, row.logEventId);
    return { row, log };
  } catch (e) {
    if (isSourceError(e, 'FloodWait')) {
      c.report.outcome = 'deferred';
      c.report.error = `the admin log cannot be read now (${e.code}); the next cycle tries again`;
      return 'deferred';
    }
    if (!isSourceError(e, 'NotPermitted') && !isSourceError(e, 'PeerInvalid')) throw e;
    store.chatLive.logUnavailable(chat.chatId, e.code);
    return { row: store.chatLive.get(chat.chatId), log: null };
  }
}

/** The first read: where the log stands (its newest event, applied like any); what came before is the reconcile's to list. */
async function readTop(c: ChatCycle, chatId: bigint): Promise<AdminLogRead> {
  const page = await c.source.readAdminLog(chatId, { minId: 0n, maxId: 0n, limit: 1 });
  return { events: page.events, users: page.users, newestId: page.events[0]?.id ?? page.lowestId ?? null, pages: 1 };
}

export function planChat(ctx: SyncContext, live: LiveState, forceFull: boolean): 'full' | 'ordinary' {
  const row = live.row;
  if (forceFull || !live.log || !row) return 'full';
  if (row.reconciledAt === null || row.reconcileDue) return 'full';
  if (row.logReadAt === null || row.logReadAt < ctx.now() - ADMIN_LOG_WINDOW_SECONDS) return 'full';
  return 'ordinary';
}
