/**
 * What every phase of a chat's sync works with, and the small conversions between the source's
 * records and the store's inputs.
 */
import type { Store, UserInput } from '../store/index.js';
import type { Progress } from './report.js';
import type { ImporterCursor, InviteSource, SourceImporter, SourceUser } from './types.js';

export interface SyncLog {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface SyncContext {
  store: Store;
  source: InviteSource;
  /** Unix seconds. */
  now: () => number;
  pageLimit: number;
  onProgress?: ((p: Progress) => void) | undefined;
  log?: SyncLog | undefined;
}

export function toUserInputs(users: readonly SourceUser[]): UserInput[] {
  return users.map((u) => ({
    id: u.id,
    accessHash: u.accessHash === 0n ? null : u.accessHash,
    username: u.username ?? null,
    firstName: u.firstName,
    lastName: u.lastName ?? '',
  }));
}

/** The next page's cursor: the last row, with the access hash its page's users carried. */
export function cursorAfter(rows: readonly SourceImporter[], users: readonly SourceUser[]): ImporterCursor | undefined {
  const last = rows.at(-1);
  if (!last) return undefined;
  const user = users.find((u) => u.id === last.userId);
  return { date: last.date, userId: last.userId, accessHash: user?.accessHash ?? 0n };
}

/** A stored cursor (date, user) made usable again: the access hash comes from the stored user. */
export function cursorFromStore(store: Store, c: { date: number; userId: bigint } | null): ImporterCursor | undefined {
  if (!c) return undefined;
  return { date: c.date, userId: c.userId, accessHash: store.users.get(c.userId)?.accessHash ?? 0n };
}

/** (date, user) order of Telegram's importer lists: negative when a sorts below (older than) b. */
export function compareRows(a: { date: number; userId: bigint }, b: { date: number; userId: bigint }): number {
  if (a.date !== b.date) return a.date - b.date;
  return a.userId === b.userId ? 0 : a.userId < b.userId ? -1 : 1;
}
