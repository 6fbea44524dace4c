/**
 * A chat's admin log (channels.getAdminLog) as telegram-semantics.md describes it: every join,
 * leave, removal and link edit, revocation or deletion is an event with an increasing id; a read
 * sees the last 48 hours only, newest first, at most 100 events, between `min_id` and `max_id`
 * (both exclusive), narrowed by the filter's kinds. The world appends; world-access.ts reads.
 */
import type { Id, WorldImporter, WorldLink } from './world-types.js';

/** The admin log keeps 48 hours. */
export const ADMIN_LOG_WINDOW_SECONDS = 48 * 3600;

/** What happened, in world values; the MTProto handler turns each into its TL action. */
export type AdminLogAction =
  /** A join through a link (`link` null: through the username or without one); `approvedBy`: a request approved. */
  | { kind: 'join'; row: WorldImporter; link?: WorldLink | undefined }
  | { kind: 'leave' }
  /** Removed by an admin (the event's actor): ParticipantToggleBan. */
  | { kind: 'kick'; userId: Id; joinedAt: number }
  | { kind: 'link-edit'; before: WorldLink; after: WorldLink }
  | { kind: 'link-revoke'; link: WorldLink }
  | { kind: 'link-delete'; link: WorldLink };

export interface AdminLogEvent {
  id: Id;
  date: number;
  /** Who acted: the joining or leaving person, or the admin who removed, edited, revoked, deleted. */
  actorId: Id;
  action: AdminLogAction;
}

/** The kinds `channelAdminLogEventsFilter` selects by (its flag names). */
export type AdminLogFilterKind = 'join' | 'leave' | 'kick' | 'ban' | 'invites';

export interface AdminLogQuery {
  /** Events with a smaller id only (exclusive); 0n: no bound. */
  maxId: Id;
  /** Events with a greater id only (exclusive); 0n: no bound. */
  minId: Id;
  limit: number;
  /** Undefined: every kind. */
  filter?: ReadonlySet<AdminLogFilterKind> | undefined;
  now: number;
}

export function filterKindsOf(action: AdminLogAction): AdminLogFilterKind[] {
  switch (action.kind) {
    case 'join':
      return ['join'];
    case 'leave':
      return ['leave'];
    case 'kick':
      return ['kick', 'ban'];
    default:
      return ['invites'];
  }
}

export class AdminLog {
  private readonly events: AdminLogEvent[] = [];

  constructor(private readonly nextId: () => Id) {}

  /** Appends an event; one dated before the window at the time it happens is not kept (a loaded snapshot's past). */
  add(date: number, actorId: Id, action: AdminLogAction, now: number): void {
    if (date < now - ADMIN_LOG_WINDOW_SECONDS) return;
    this.events.push({ id: this.nextId(), date, actorId, action });
    this.forget(now);
  }

  /** Newest first (decreasing id), inside the window, between the bounds, at most `limit`. */
  read(q: AdminLogQuery): AdminLogEvent[] {
    const since = q.now - ADMIN_LOG_WINDOW_SECONDS;
    const out: AdminLogEvent[] = [];
    for (let i = this.events.length - 1; i >= 0 && out.length < q.limit; i--) {
      const e = this.events[i]!;
      if (q.minId !== 0n && e.id <= q.minId) break;
      if (q.maxId !== 0n && e.id >= q.maxId) continue;
      if (e.date < since) continue;
      if (q.filter && !filterKindsOf(e.action).some((k) => q.filter!.has(k))) continue;
      out.push(e);
    }
    return out;
  }

  /** Drops what left the window long ago (keeps memory flat in long runs); ids are never reused. */
  private forget(now: number): void {
    const first = this.events[0];
    if (!first || first.date >= now - 2 * ADMIN_LOG_WINDOW_SECONDS || this.events.length < 1024) return;
    const keep = this.events.findIndex((e) => e.date >= now - ADMIN_LOG_WINDOW_SECONDS);
    this.events.splice(0, keep < 0 ? this.events.length : keep);
  }
}
