/**
 * What one sync did, per chat and per link: `sync --once` prints it, `sync_runs` records its
 * totals, the bot's "sync now" answers with its summary.
 */
import type { SyncFigures } from '../domain/sync-figures.js';
import type { SourceErrorKind } from './types.js';

export type LinkAction = 'skipped' | 'backfill' | 'incremental' | 'reconcile' | 'deferred' | 'invisible' | 'gone' | 'unfinished';

export interface LinkReport {
  link: string;
  title: string | null;
  action: LinkAction;
  newJoins: number;
  /** Stays that ended (people no longer listed, or who joined again elsewhere). */
  left: number;
  pages: number;
  /** Why a link was deferred, left unfinished or is invisible (e.g. FLOOD_WAIT_3600). */
  note?: string;
}

export interface RequestsReport {
  pages: number;
  newRequests: number;
  approved: number;
  declined: number;
  gone: number;
  /** Every step of the pending check ran to its end (nothing deferred to the next cycle). */
  complete: boolean;
}

export type ChatOutcome = 'ok' | 'partial' | 'deferred' | 'failed';

export interface ChatReport {
  chatRef: string;
  chatId: bigint | null;
  title: string | null;
  outcome: ChatOutcome;
  calls: number;
  rowsAdded: number;
  links: LinkReport[];
  requests: RequestsReport;
  invisibleLinks: boolean;
  /** How the chat was synced: 'full' reconcile, 'ordinary' (admin log + pending check), 'pending' (a targeted check). */
  mode?: 'full' | 'ordinary' | 'pending';
  /** Admin-log events applied this cycle. */
  logEvents?: number;
  error?: string;
  /** Why the chat failed (outcome 'failed'), as the engine decided on it. */
  failure?: { kind: SourceErrorKind; code: string };
}

export interface CycleReport {
  chats: ChatReport[];
  calls: number;
  sessionRevoked: boolean;
  budgetExhausted: boolean;
  startedAt: number;
  finishedAt: number;
}

/** Progress of a link being paged, for a progress bar: `stored` of about `total` rows. */
export interface Progress {
  chatId: bigint;
  link: string;
  stored: number;
  total: number;
}

export function emptyRequestsReport(): RequestsReport {
  return { pages: 0, newRequests: 0, approved: 0, declined: 0, gone: 0, complete: false };
}

/** The figures of a chat's report for the bot's /sync answer (`r` undefined: no chat was synced). */
export function figuresOf(r: ChatReport | undefined, sessionRevoked: boolean): SyncFigures {
  if (!r) return { outcome: sessionRevoked ? 'session_revoked' : 'nothing', links: 0, pagedLinks: 0, newJoins: 0, newRequests: 0, approved: 0, declined: 0, calls: 0 };
  return {
    outcome: r.outcome,
    links: r.links.length,
    pagedLinks: r.links.filter((l) => l.pages > 0).length,
    newJoins: r.links.reduce((n, l) => n + l.newJoins, 0),
    newRequests: r.requests.newRequests,
    approved: r.requests.approved,
    declined: r.requests.declined,
    calls: r.calls,
    ...(r.error ? { error: r.error } : {}),
  };
}

/** One line per chat, for logs and the bot's "sync now" answer. */
export function summarizeChat(r: ChatReport): string {
  const paged = r.links.filter((l) => l.pages > 0).length;
  const joins = r.links.reduce((n, l) => n + l.newJoins, 0);
  const q = r.requests;
  const parts = [
    `${r.title ?? r.chatRef}: ${r.outcome}`,
    `${r.links.length} links (${paged} paged)`,
    `+${joins} joins`,
    `+${q.newRequests} requests`,
    `${q.approved} approved, ${q.declined} declined`,
    `${r.calls} calls`,
  ];
  if (r.error) parts.push(r.error);
  return parts.join(', ');
}
