import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { createChatLiveRepo, type ChatLiveRepo } from './chat-live.js';
import { createChatsRepo, type ChatsRepo } from './chats.js';
import { createExportsRepo, type ExportsRepo } from './exports.js';
import { createJoinersRepo, type JoinersRepo } from './joiners.js';
import { createSyncStateRepo, type SyncStateRepo } from './holds.js';
import { createJoinsRepo, type JoinsRepo } from './joins.js';
import { createLinkSummaries, type LinkSummariesRepo } from './link-summary.js';
import { createLinksRepo, type LinksRepo } from './links.js';
import { createLiveRepo, type LiveRepo } from './live.js';
import { DEFAULT_MIGRATIONS_DIR, migrate } from './migrate.js';
import { openDatabase } from './open.js';
import { createOutboxRepo, type OutboxRepo } from './outbox.js';
import { createNotifyTargetsRepo, type NotifyTargetsRepo } from './notify-targets.js';
import { createPendingRepo, type PendingRepo } from './pending.js';
import { createRequestsRepo, type RequestsRepo } from './requests.js';
import { createRunsRepo, type RunsRepo } from './runs.js';
import { registerSearchFunctions } from './search.js';
import { createSettingsRepo, type SettingsRepo } from './settings.js';
import { createStatsRepo, type StatsRepo } from './stats.js';
import { createUsersRepo, type UsersRepo } from './users.js';
import { backupDatabase, type BackupResult } from './backup.js';
import { createBotSettingsRepo, type BotSettingsRepo } from './bot-settings.js';
import { createButtonsRepo, type ButtonsRepo } from './buttons.js';
import { createImportsRepo, type ImportsRepo } from './imports.js';
import { createNotifyMemoryRepo, type NotifyMemoryRepo } from './notify-memory.js';
import { createNotifyMessagesRepo, type NotifyMessagesRepo } from './notify-messages.js';
import { createSyncCallsRepo, type SyncCallsRepo } from './sync-calls.js';
import { createVitalsRepo, type VitalsRepo } from './vitals.js';
import { createWalksRepo, type WalksRepo } from './walks.js';
import { createWhoisRepo, type WhoisRepo } from './whois.js';

export interface Store {
  /** The raw connection, for store-internal modules and tests; product code uses the repositories. */
  readonly db: Db;
  /** Runs fn in one transaction (nested calls become savepoints); a throw rolls everything back. */
  tx<T>(fn: () => T): T;
  close(): void;
  /**
   * Another connection for a long read (an export): it reads its own snapshot, so a write on this
   * connection never fails ("connection is busy") or waits while the read streams. For a file
   * database it is a second connection (WAL: readers and the writer do not block each other); for
   * ':memory:' an in-memory copy. The caller closes it.
   */
  reader(): Store;
  chats: ChatsRepo;
  users: UsersRepo;
  links: LinksRepo & LinkSummariesRepo;
  joins: JoinsRepo;
  requests: RequestsRepo;
  runs: RunsRepo;
  outbox: OutboxRepo;
  /** Facts observed live (bot updates, the admin log): one row per fact across sources (live.ts). */
  live: LiveRepo;
  /** Resumable walks over links' members (the sync). */
  walks: WalksRepo;
  /** Flood holds and the sync's round-robin position. */
  syncState: SyncStateRepo;
  /** The live sync's per-chat state: admin-log cursor, dirty marks, reconcile bookkeeping (chat-live.ts). */
  chatLive: ChatLiveRepo;
  /** Notification targets that refused (per-recipient delivery, notify/). */
  notifyTargets: NotifyTargetsRepo;
  /** Notifications being sent, per recipient: what a restart finishes instead of sending twice. */
  notifyMessages: NotifyMessagesRepo;
  /** The notifier's memory: digest windows, the failure throttle, raid alerts and the raid window. */
  notifyMemory: NotifyMemoryRepo;
  /** Chats' initial imports (what the first sync brought is summed up, not sent as news). */
  imports: ImportsRepo;
  /** The sync's calls of the last minute (the per-minute budget, shared by every process). */
  syncCalls: SyncCallsRepo;
  /** What the bot's buttons stand for, behind their short keys. */
  buttons: ButtonsRepo;
  botSettings: BotSettingsRepo;
  /** Per-chat settings: the language of a person or a group (/language). */
  settings: SettingsRepo;
  // Read side (the bot, export, notify)
  joiners: JoinersRepo;
  pending: PendingRepo;
  whois: WhoisRepo['whois'];
  stats: StatsRepo;
  exports: ExportsRepo;
  // Operations (backup, health, metrics)
  vitals: VitalsRepo;
  /** An online, consistent copy to `file` (created 0600), checked and counted; see backup.ts. */
  backup(file: string): Promise<BackupResult>;
}

export interface OpenStoreOptions {
  migrationsDir?: string;
}

/** Opens (creating and migrating) the database at `path`, or a private one for ':memory:'. */
export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  const db = openDatabase(path);
  try {
    registerSearchFunctions(db);
    migrate(db, options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
    const reader = path === ':memory:' ? () => snapshotStore(db) : () => openStore(path, options);
    return repositories(db, reader);
  } catch (error) {
    db.close();
    throw error;
  }
}

/** An in-memory copy of `db` (a ':memory:' database cannot be opened twice). */
function snapshotStore(db: Db): Store {
  const copy = new Database(db.serialize());
  copy.defaultSafeIntegers(true);
  registerSearchFunctions(copy);
  return repositories(copy, () => snapshotStore(copy));
}

function repositories(db: Db, reader: () => Store): Store {
  const joins = createJoinsRepo(db);
  const requests = createRequestsRepo(db);
  return {
    db,
    tx: <T>(fn: () => T): T => db.transaction(fn)(),
    close: () => db.close(),
    reader,
    chats: createChatsRepo(db),
    users: createUsersRepo(db),
    links: { ...createLinksRepo(db), ...createLinkSummaries(db) },
    joins,
    requests,
    live: createLiveRepo(db, joins, requests),
    runs: createRunsRepo(db),
    outbox: createOutboxRepo(db),
    walks: createWalksRepo(db),
    syncState: createSyncStateRepo(db),
    chatLive: createChatLiveRepo(db),
    notifyTargets: createNotifyTargetsRepo(db),
    notifyMessages: createNotifyMessagesRepo(db),
    notifyMemory: createNotifyMemoryRepo(db),
    imports: createImportsRepo(db),
    syncCalls: createSyncCallsRepo(db),
    buttons: createButtonsRepo(db),
    botSettings: createBotSettingsRepo(db),
    settings: createSettingsRepo(db),
    joiners: createJoinersRepo(db),
    pending: createPendingRepo(db),
    whois: createWhoisRepo(db).whois,
    stats: createStatsRepo(db),
    exports: createExportsRepo(db),
    vitals: createVitalsRepo(db),
    backup: (file) => backupDatabase(db, file),
  };
}

export type { ChatInput, ChatRow, ChatNote, ChatType, ChatsRepo } from './chats.js';
export { INVISIBLE_LINKS_NOTE } from './chats.js';
export type { UserInput, UserRow, UserChange, UsersRepo } from './users.js';
export type { InviteInput, LinkRow, LinkSyncState, SyncStatePatch, LinksRepo } from './links.js';
export type { JoinInput, JoinRow, JoinsRepo, EndedStay, KeyRange, LeftHow, LeftStay, RecordedPage, SeenJoin } from './joins.js';
export { stayKey } from './joins.js';
export type { RequestInput, RequestRow, RequestSource, RequestStatus, RequestOutcome, RequestVia, RequestsRepo } from './requests.js';
export type { LiveJoinFact, LiveJoinResult, LiveLeaveFact, LiveLeaveResult, LiveRepo, LiveRequestFact, LiveRequestResult, LiveSource } from './live.js';
export type { LinkMatch, ShownLink } from './link-match.js';
export type { LinkWalk, WalkCursor, WalkKind, WalksRepo } from './walks.js';
export type { FloodHold, SyncStateRepo } from './holds.js';
export type { RunFinish, RunOutcome, RunRow, RunsRepo } from './runs.js';
export type { OutboxEvent, OutboxRepo } from './outbox.js';
export type { NotifyTargetsRepo, RefusedTarget } from './notify-targets.js';
export type { NotifyMessage, NotifyMessagesRepo, NewNotifyMessage } from './notify-messages.js';
export type { MemoryKind, NotifyMemoryRepo, RaidSample, Remembered } from './notify-memory.js';
export type { ImportState, ImportsRepo } from './imports.js';
export type { SyncCallsRepo } from './sync-calls.js';
export type { ButtonContext, ButtonsRepo } from './buttons.js';
export type { BotSettingsRepo } from './bot-settings.js';
export type { ChatLiveRepo, ChatLiveRow } from './chat-live.js';
export type { LanguageSetting, SettingsRepo } from './settings.js';
export type { Cursor } from './cursor.js';
export type { Page, PageOptions } from './keyset.js';
export type { JoinerRow, JoinersRepo } from './joiners.js';
export type { PendingRow, PendingFilter, PendingRepo } from './pending.js';
export type { LinkSummary, LinkSummariesRepo } from './link-summary.js';
export type { UserActivity, WhoisRepo } from './whois.js';
export type { StatsOptions, DayCount, RequestDay, Decisions, TopLink, StatsRepo } from './stats.js';
export type { ExportRow, ExportsRepo } from './exports.js';
export type { TableCounts, VitalsRepo } from './vitals.js';
export { BackupTargetError, type BackupResult } from './backup.js';
export { planSearch } from './search.js';
export { encodeCursor, decodeCursor } from './cursor.js';
export { migrate, schemaVersion } from './migrate.js';
