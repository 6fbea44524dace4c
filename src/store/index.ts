import type { Database as Db } from 'better-sqlite3';
import { createChatsRepo, type ChatsRepo } from './chats.js';
import { createJoinsRepo, type JoinsRepo } from './joins.js';
import { createLinksRepo, type LinksRepo } from './links.js';
import { DEFAULT_MIGRATIONS_DIR, migrate } from './migrate.js';
import { openDatabase } from './open.js';
import { createOutboxRepo, type OutboxRepo } from './outbox.js';
import { createRequestsRepo, type RequestsRepo } from './requests.js';
import { createRunsRepo, type RunsRepo } from './runs.js';
import { createUsersRepo, type UsersRepo } from './users.js';

export interface Store {
  /** The raw connection, for store-internal modules and tests; product code uses the repositories. */
  readonly db: Db;
  /** Runs fn in one transaction (nested calls become savepoints); a throw rolls everything back. */
  tx<T>(fn: () => T): T;
  close(): void;
  chats: ChatsRepo;
  users: UsersRepo;
  links: LinksRepo;
  joins: JoinsRepo;
  requests: RequestsRepo;
  runs: RunsRepo;
  outbox: OutboxRepo;
}

export interface OpenStoreOptions {
  migrationsDir?: string;
}

/** Opens (creating and migrating) the database at `path`, or a private one for ':memory:'. */
export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  const db = openDatabase(path);
  try {
    migrate(db, options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
    return {
      db,
      tx: <T>(fn: () => T): T => db.transaction(fn)(),
      close: () => db.close(),
      chats: createChatsRepo(db),
      users: createUsersRepo(db),
      links: createLinksRepo(db),
      joins: createJoinsRepo(db),
      requests: createRequestsRepo(db),
      runs: createRunsRepo(db),
      outbox: createOutboxRepo(db),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

export type { ChatInput, ChatRow, ChatNote, ChatType, ChatsRepo } from './chats.js';
export { INVISIBLE_LINKS_NOTE } from './chats.js';
export type { UserInput, UserRow, UserChange, UsersRepo } from './users.js';
export type { InviteInput, LinkRow, LinkSyncState, SyncStatePatch, LinksRepo } from './links.js';
export type { JoinInput, JoinRow, JoinsRepo } from './joins.js';
export type { RequestInput, RequestRow, RequestStatus, RequestOutcome, RequestsRepo } from './requests.js';
export type { RunFinish, RunOutcome, RunRow, RunsRepo } from './runs.js';
export type { OutboxEvent, OutboxRepo } from './outbox.js';
export type { Cursor } from './cursor.js';
export { encodeCursor, decodeCursor } from './cursor.js';
export { migrate, schemaVersion } from './migrate.js';
