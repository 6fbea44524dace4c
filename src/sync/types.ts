/**
 * The sync engine's view of Telegram. `src/sync` reaches Telegram only through `InviteSource`;
 * `src/telegram/invite-source.ts` implements it with GramJS, tests with an in-memory fake.
 * Records are plain data with bigint ids; chat ids are in the Bot API `-100…` form.
 * Failures are `SourceError`s with a kind, mapped once at the GramJS boundary.
 */

export interface SourceUser {
  id: bigint;
  /** Needed to build the next page's `offset_user`; 0n when Telegram sent none (min user). */
  accessHash: bigint;
  firstName: string;
  lastName?: string | undefined;
  username?: string | undefined;
  isBot?: boolean | undefined;
}

export interface SourceChat {
  /** Bot API form, `-100…`. */
  chatId: bigint;
  /** The channel's access hash, when the source learnt it (stored, so a restart needs no search). */
  accessHash?: bigint | undefined;
  title: string;
  username?: string | undefined;
  type: 'supergroup' | 'channel';
  /** The session's account owns the chat: it may list every admin's links. */
  isOwner: boolean;
  selfId: bigint;
}

export interface AdminWithLinks {
  adminId: bigint;
  activeCount: number;
  revokedCount: number;
}

export interface SourceLink {
  /** Canonical `https://t.me/+HASH` (see domain/invite-link.ts): how joinwatch names the link. */
  link: string;
  /** The link as Telegram returned it (a legacy `https://t.me/joinchat/HASH` stays so): what calls send back. */
  raw: string;
  hash: string;
  adminId: bigint;
  date: number;
  title?: string | undefined;
  permanent: boolean;
  revoked: boolean;
  requestNeeded: boolean;
  startDate?: number | undefined;
  expireDate?: number | undefined;
  usageLimit?: number | undefined;
  /** Members who joined through the link (Telegram's counter). */
  usage: number;
  /** Its pending join requests now. */
  requested: number;
}

/** `getExportedChatInvites` cursor: the last link of the previous page (exclusive). */
export interface LinkCursor {
  date: number;
  link: string;
}

export interface LinkQuery {
  adminId: bigint;
  adminAccessHash?: bigint | undefined;
  revoked: boolean;
  after?: LinkCursor | undefined;
  limit: number;
}

export interface LinkPage {
  count: number;
  links: SourceLink[];
  users: SourceUser[];
}

/** `getChatInviteImporters` cursor: the last row of the previous page (exclusive). */
export interface ImporterCursor {
  date: number;
  userId: bigint;
  accessHash: bigint;
}

export interface SourceImporter {
  userId: bigint;
  date: number;
  requested: boolean;
  about?: string | undefined;
  approvedBy?: bigint | undefined;
  viaChatlist: boolean;
}

export interface ImporterPage {
  /** Total of matching rows as Telegram reports it (approximate). */
  count: number;
  rows: SourceImporter[];
  users: SourceUser[];
}

/** The Telegram methods behind InviteSource: a FLOOD_WAIT holds one of these for the whole account. */
export type TelegramMethod =
  | 'messages.getDialogs'
  | 'channels.getChannels'
  | 'contacts.resolveUsername'
  | 'messages.getAdminsWithInvites'
  | 'messages.getExportedChatInvites'
  | 'messages.getChatInviteImporters'
  | 'channels.getAdminLog';

export interface ResolveOptions {
  /** The chat's access hash stored by an earlier sync: used instead of searching the dialogs. */
  knownAccessHash?: bigint | undefined;
  /** Called before every Telegram call the resolution makes (the engine charges its budget there). */
  beforeCall?: ((method: TelegramMethod) => Promise<void>) | undefined;
}

/** A link as an admin-log event shows it: whole, or (another admin's, to a non-owner) cut: "https://t.me/+AbCd...". */
export interface LogLink {
  /** As Telegram gave it (matched against stored links by store.live.matchLink). */
  shown: string;
  adminId: bigint;
  title?: string | undefined;
  revoked: boolean;
}

/** What an admin-log event of the `join`, `leave`, `kick` and `invites` filters says happened. */
export type AdminLogAction =
  /** A join: through `link`; `link` null: without one (`approvedBy` set: a request through the public username). */
  | { kind: 'join'; link: LogLink | null; viaChatlist: boolean; approvedBy?: bigint | undefined }
  | { kind: 'leave' }
  | { kind: 'kick' }
  /** A link edited, revoked or deleted: the links must be listed again. */
  | { kind: 'link'; change: 'edit' | 'revoke' | 'delete'; link: LogLink };

export interface AdminLogEvent {
  id: bigint;
  date: number;
  /** The person who joined, left or was removed; for a link change, the admin who made it. */
  userId: bigint;
  action: AdminLogAction;
}

export interface AdminLogPage {
  /** Newest first (decreasing id): the events the sync acts on. */
  events: AdminLogEvent[];
  users: SourceUser[];
  /** Events Telegram returned (some may not be acted on): a full page means there may be more. */
  returned: number;
  /** The smallest id returned (the next page's max_id); undefined on an empty page. */
  lowestId?: bigint | undefined;
}

/** Live signals the userbot's connection gives (telegram/ implements it): they only say "this chat changed". */
export interface LiveSignals {
  /** Telegram pushed a chat's pending count (`UpdatePendingJoinRequests`); chat id in `-100…` form. */
  onPendingChanged(handler: (chatId: bigint) => void): void;
  /** The connection came back (or first came up): pushes may have been missed meanwhile. */
  onReconnected(handler: () => void): void;
}

export interface InviteSource {
  /** The account behind the session. */
  self(): Promise<SourceUser>;
  /**
   * `-100…` id (as bigint or decimal text) or `@username` → the chat and our standing in it. A
   * private chat is found with its stored access hash, else by paging the account's dialogs.
   */
  resolveChat(ref: string | bigint, o?: ResolveOptions): Promise<SourceChat>;
  /** Owner only (`NotPermitted` otherwise): every admin that has links, with counts. */
  listAdminsWithLinks(chatId: bigint): Promise<AdminWithLinks[]>;
  /**
   * One admin's links, newest first; `revoked` picks revoked ones only, else active + expired.
   * `adminAccessHash`: the admin's hash as stored, for an admin no answer of this process named (a
   * departed admin, after a restart); the source's own knowledge wins.
   */
  listLinks(chatId: bigint, q: LinkQuery): Promise<LinkPage>;
  /** Members who joined through `link` (either spelling), newest first by (date, user). */
  listJoins(chatId: bigint, q: { link: string; after?: ImporterCursor | undefined; limit: number }): Promise<ImporterPage>;
  /** Pending requests, newest first: chat-wide without `link`, else that link's. */
  listRequests(chatId: bigint, q: { link?: string | undefined; after?: ImporterCursor | undefined; limit: number }): Promise<ImporterPage>;
  /**
   * The chat's admin log (joins, leaves, removals, link changes), newest first, events with an id
   * above `minId` and below `maxId` (0n: unbounded). Absent: the source has none (every cycle is a full one).
   */
  readAdminLog?(chatId: bigint, q: { minId: bigint; maxId: bigint; limit: number }): Promise<AdminLogPage>;
}

export type SourceErrorKind = 'FloodWait' | 'NotPermitted' | 'LinkGone' | 'SessionRevoked' | 'PeerInvalid' | 'Transient';

/** Every failure an `InviteSource` reports. `code` is Telegram's error name, for logs and `doctor`. */
export class SourceError extends Error {
  constructor(
    readonly kind: SourceErrorKind,
    readonly code: string,
    /** FloodWait only: seconds to wait. */
    readonly seconds = 0,
  ) {
    super(kind === 'FloodWait' ? `${kind} ${seconds}s (${code})` : `${kind} (${code})`);
    this.name = 'SourceError';
  }
}

export function isSourceError(e: unknown, kind?: SourceErrorKind): e is SourceError {
  return e instanceof SourceError && (kind === undefined || e.kind === kind);
}

export const PAGE_LIMIT = 100;
