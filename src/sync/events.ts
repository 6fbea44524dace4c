/**
 * The events the sync writes into the store's outbox, in the same transaction as the rows that
 * cause them (so a crash loses nothing and a re-run duplicates nothing). The notifier drains them.
 * Payload ids are bigint here and decimal strings once stored (JSON has no 64-bit integers).
 */
import type { Store } from '../store/index.js';

export const EventKind = {
  /** A page of members new to the store; `backfill` pages are history, not news. */
  JoinsNew: 'joins.new',
  /** Stays that ended: people a listing no longer showed, or who joined again elsewhere. */
  MembersLeft: 'members.left',
  RequestsNew: 'requests.new',
  RequestResolved: 'request.resolved',
  LinkCreated: 'link.created',
  LinkRevoked: 'link.revoked',
  LinkNearLimit: 'link.near_limit',
  LinkExpiring: 'link.expiring',
  SyncFailed: 'sync.failed',
  SessionRevoked: 'session.revoked',
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

export interface JoinsNewPayload {
  link: string;
  backfill: boolean;
  count: number;
  /** Only for incremental pages (news); a backfill page carries its date range instead. */
  joins?: { userId: bigint; date: number; approvedBy: bigint | null }[];
  oldest: number;
  newest: number;
}

export interface MembersLeftPayload {
  link: string;
  count: number;
  left: { userId: bigint; date: number; leftAt: number; how: 'left' | 'kicked' | 'unseen' }[];
}

export interface RequestsNewPayload {
  /** `via`: 'link' (through `link`), 'username' (the public @username) or 'unlisted' (a link this account cannot list). */
  requests: { userId: bigint; date: number; link: string | null; via: 'link' | 'username' | 'unlisted' | 'unknown'; about: string | null }[];
}

export interface RequestResolvedPayload {
  userId: bigint;
  link: string | null;
  outcome: 'approved' | 'declined' | 'gone';
  decidedBy: bigint | null;
  observedAt: number;
  /** The request was closed before with another outcome (or no approver): this corrects it. */
  corrected?: boolean;
}

export interface LinkPayload {
  link: string;
  title: string | null;
  adminId: bigint;
  usage: number;
  usageLimit: number | null;
  expireDate: number | null;
  /** True on a chat's first sync: every link is "new" then, which is not news. */
  firstSync?: boolean;
}

export interface SyncFailedPayload {
  kind: string;
  code: string;
  link?: string;
}

/** Share of `usage_limit` at which a link is reported as nearly used up. */
export const NEAR_LIMIT_SHARE = 0.9;
/** How long before `expire_date` a link is reported as expiring. */
export const EXPIRING_WITHIN_SECONDS = 24 * 3600;

export function emit(store: Store, kind: EventKind, chatId: bigint | null, payload: object, now: number): void {
  store.outbox.add(kind, chatId, payload, now);
}
