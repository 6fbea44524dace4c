/**
 * What every phase of a chat's sync works with, and the small conversions between the source's
 * records and the store's inputs.
 */
import type { Cursor, Store, UserInput, WalkCursor } from '../store/index.js';
import type { MeteredSource } from './metered-source.js';
import type { Progress } from './report.js';
import type { ImporterCursor, SourceImporter, SourceUser } from './types.js';

export interface SyncLog {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface SyncContext {
  store: Store;
  source: MeteredSource;
  /** Unix seconds. */
  now: () => number;
  pageLimit: number;
  /** When this cycle began: a walk that began earlier was paused (see news-walk.ts). */
  cycleStart: number;
  /** Every link is listed whole at least this often (0: only when a link lost members). */
  fullReconcileSeconds: number;
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

/**
 * Where the next page starts: the last row of this one whose user came with an access hash
 * (Telegram checks offset_user's hash, so a "min" user without one cannot be the cursor; the rows
 * after the chosen one are read again, harmlessly). `index` is that row's position in the page;
 * undefined when no row of the page can be a cursor.
 */
export function cursorAfter(rows: readonly SourceImporter[], users: readonly SourceUser[]): { cursor: ImporterCursor; index: number } | undefined {
  const hashes = new Map(users.filter((u) => u.accessHash !== 0n).map((u) => [u.id, u.accessHash]));
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i]!;
    const accessHash = hashes.get(row.userId);
    if (accessHash !== undefined) return { cursor: { date: row.date, userId: row.userId, accessHash }, index: i };
  }
  return undefined;
}

/** A stored cursor made usable again; its user's access hash from the users table when the walk kept none. */
export function importerCursor(store: Store, c: WalkCursor | null): ImporterCursor | undefined {
  if (!c) return undefined;
  const accessHash = c.accessHash ?? store.users.get(c.userId)?.accessHash ?? null;
  return accessHash === null ? undefined : { date: c.date, userId: c.userId, accessHash };
}

/** (date, user) order of Telegram's importer lists: negative when a sorts below (older than) b. */
export function compareRows(a: { date: number; userId: bigint }, b: { date: number; userId: bigint }): number {
  if (a.date !== b.date) return a.date - b.date;
  return a.userId === b.userId ? 0 : a.userId < b.userId ? -1 : 1;
}

/** The newer of two cursors (null counts as nothing). */
export function newer(a: Cursor | null, b: Cursor | null): Cursor | null {
  if (!a) return b;
  if (!b) return a;
  return compareRows(a, b) >= 0 ? a : b;
}
