/**
 * Step 2: what to do with each link's joiners this cycle, from its `(usage, requested)` now and its
 * stored state. Unchanged links cost nothing; a new link is backfilled (resuming an interrupted
 * backfill from its cursor); a changed one is paged newest first down to what is stored.
 */
import type { Cursor, LinkRow } from '../store/index.js';
import type { SourceLink } from './types.js';

export type JoinPlan =
  | { action: 'skip'; reason: 'unchanged' | 'empty' | 'gone' }
  | { action: 'deferred'; until: number; reason: string }
  | { action: 'backfill'; from: Cursor | null }
  | { action: 'incremental'; mark: Cursor | null };

export function planLink(link: SourceLink, row: LinkRow | undefined, now: number): JoinPlan {
  if (row?.goneAt != null) return { action: 'skip', reason: 'gone' };
  if (row?.deferredUntil != null && row.deferredUntil > now) {
    return { action: 'deferred', until: row.deferredUntil, reason: row.deferredReason ?? 'deferred' };
  }
  if (!row || !row.backfillDone) {
    // Nothing to page when Telegram counts no member: the minimum is zero calls.
    if (link.usage === 0 && !row?.backfill) return { action: 'skip', reason: 'empty' };
    return { action: 'backfill', from: row?.backfill ?? null };
  }
  if (row.syncedUsage === link.usage) return { action: 'skip', reason: 'unchanged' };
  return { action: 'incremental', mark: row.hwm };
}
