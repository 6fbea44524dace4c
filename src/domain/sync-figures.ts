/**
 * What one chat's sync did, as numbers: the sync reports it (src/sync/report.ts) and the bot words it
 * in the admin's language for /sync. Shared here because the bot does not import the sync.
 * `session_revoked` / `nothing` when no chat was synced at all.
 */
export interface SyncFigures {
  outcome: 'ok' | 'partial' | 'deferred' | 'failed' | 'session_revoked' | 'nothing';
  links: number;
  pagedLinks: number;
  newJoins: number;
  newRequests: number;
  approved: number;
  declined: number;
  calls: number;
  /** Telegram's or the engine's own words for a failure (technical, shown as code). */
  error?: string | undefined;
}
