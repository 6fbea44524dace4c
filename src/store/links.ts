import type { Database as Db } from 'better-sqlite3';
import type { Cursor } from './cursor.js';
import { bool, id, num, optId, optNum, optStr, str, unixNow, type RawRow } from './row.js';

/** A chatInviteExported with ids as bigint; `link` already normalised to https://t.me/+HASH. */
export interface InviteInput {
  link: string;
  /** The link as Telegram spelt it, when that is not `link` (t.me/joinchat/HASH): calls send it back so. */
  rawLink?: string | null;
  adminId: bigint;
  date: number;
  startDate?: number | null;
  expireDate?: number | null;
  usageLimit?: number | null;
  usage?: number | null;
  requested?: number | null;
  subscriptionExpired?: number | null;
  title?: string | null;
  subscriptionPricing?: { period: number; amount: bigint | number } | null;
  revoked?: boolean;
  permanent?: boolean;
  requestNeeded?: boolean;
}

export interface LinkSyncState {
  /** `usage` when the last complete walk from the top began; null before the first one. */
  syncedUsage: number | null;
  syncedRequested: number | null;
  /** Every member row at or below this (date, user) is stored: walks from the top stop here. */
  hwm: Cursor | null;
  /** A first walk from the top to the end has completed (walks in progress: store.walks). */
  backfillDone: boolean;
  visible: boolean;
  goneAt: number | null;
  revokedAt: number | null;
  /** When the last complete full listing of the link began: every leave before it is recorded. */
  fullListedFrom: number | null;
  /**
   * When the sync, as the owner, first found the link's admin gone from the chat's admins with
   * links (demoted or left); null while the admin is one. Not revoked, not deleted: a mark on its creator.
   */
  adminDepartedAt: number | null;
}

export interface LinkRow extends LinkSyncState {
  chatId: bigint;
  link: string;
  /** The link as Telegram spells it when that is not `link` (legacy t.me/joinchat/HASH). */
  rawLink: string | null;
  adminId: bigint;
  date: number;
  startDate: number | null;
  expireDate: number | null;
  usageLimit: number | null;
  usage: number;
  requested: number;
  subscriptionExpired: number | null;
  title: string | null;
  subscriptionPeriod: number | null;
  subscriptionAmount: bigint | null;
  revoked: boolean;
  permanent: boolean;
  requestNeeded: boolean;
  firstSeen: number;
  lastSeen: number;
  /** Stays stored for this link (every join seen), the newest join date among them, and the stays
   * still open (members as far as the store knows); maintained per page. */
  joinsStored: number;
  lastJoinDate: number | null;
  membersStored: number;
}

/** Fields of the sync state to change; absent keys stay, null clears. */
export type SyncStatePatch = Partial<
  Pick<LinkSyncState, 'syncedUsage' | 'syncedRequested' | 'hwm' | 'backfillDone' | 'visible' | 'fullListedFrom'>
>;

export interface LinksRepo {
  /** Inserts or refreshes a link; returns its sync state before this call, or null when it is new. */
  upsert(chatId: bigint, invite: InviteInput, now?: number): LinkSyncState | null;
  get(chatId: bigint, link: string): LinkRow | undefined;
  list(chatId: bigint): LinkRow[];
  updateSyncState(chatId: bigint, link: string, patch: SyncStatePatch): void;
  markRevoked(chatId: bigint, link: string, now?: number): void;
  markGone(chatId: bigint, link: string, now?: number): void;
  /** The link's admin is no longer one (keeps the first moment seen); `departed` false clears the mark. */
  setAdminDeparted(chatId: bigint, link: string, departed: boolean, now?: number): void;
}

function cursorOf(date: unknown, userId: unknown): Cursor | null {
  const d = optNum(date);
  const u = optId(userId);
  return d === null || u === null ? null : { date: d, userId: u };
}

function toState(r: RawRow): LinkSyncState {
  return {
    syncedUsage: optNum(r.synced_usage),
    syncedRequested: optNum(r.synced_requested),
    hwm: cursorOf(r.hwm_date, r.hwm_user_id),
    backfillDone: bool(r.backfill_done),
    visible: bool(r.visible),
    goneAt: optNum(r.gone_at),
    revokedAt: optNum(r.revoked_at),
    fullListedFrom: optNum(r.full_listed_from),
    adminDepartedAt: optNum(r.admin_departed_at),
  };
}

export function toLink(r: RawRow): LinkRow {
  return {
    ...toState(r),
    chatId: id(r.chat_id),
    link: str(r.link),
    rawLink: optStr(r.raw_link),
    adminId: id(r.admin_id),
    date: num(r.date),
    startDate: optNum(r.start_date),
    expireDate: optNum(r.expire_date),
    usageLimit: optNum(r.usage_limit),
    usage: num(r.usage),
    requested: num(r.requested),
    subscriptionExpired: optNum(r.subscription_expired),
    title: optStr(r.title),
    subscriptionPeriod: optNum(r.subscription_period),
    subscriptionAmount: optId(r.subscription_amount),
    revoked: bool(r.revoked),
    permanent: bool(r.permanent),
    requestNeeded: bool(r.request_needed),
    firstSeen: num(r.first_seen),
    lastSeen: num(r.last_seen),
    joinsStored: num(r.joins_stored),
    lastJoinDate: optNum(r.last_join_date),
    membersStored: num(r.members_stored),
  };
}

export function createLinksRepo(db: Db): LinksRepo {
  const get = db.prepare('SELECT * FROM invite_links WHERE chat_id = ? AND link = ?');
  const list = db.prepare('SELECT * FROM invite_links WHERE chat_id = ? ORDER BY date DESC, link');
  // revoked never goes back to 0: Telegram cannot un-revoke a link.
  const upsert = db.prepare(`
    INSERT INTO invite_links (chat_id, link, raw_link, admin_id, date, start_date, expire_date, usage_limit,
      usage, requested, subscription_expired, title, subscription_period, subscription_amount,
      revoked, permanent, request_needed, first_seen, last_seen, revoked_at)
    VALUES (@chatId, @link, @rawLink, @adminId, @date, @startDate, @expireDate, @usageLimit, @usage,
      @requested, @subscriptionExpired, @title, @period, @amount, @revoked, @permanent,
      @requestNeeded, @now, @now, CASE WHEN @revoked THEN @now END)
    ON CONFLICT (chat_id, link) DO UPDATE SET
      raw_link = excluded.raw_link, admin_id = excluded.admin_id, date = excluded.date, start_date = excluded.start_date,
      expire_date = excluded.expire_date, usage_limit = excluded.usage_limit,
      usage = excluded.usage, requested = excluded.requested,
      subscription_expired = excluded.subscription_expired, title = excluded.title,
      subscription_period = excluded.subscription_period,
      subscription_amount = excluded.subscription_amount,
      revoked = max(revoked, excluded.revoked), permanent = excluded.permanent,
      request_needed = excluded.request_needed, last_seen = excluded.last_seen,
      revoked_at = coalesce(revoked_at, excluded.revoked_at), gone_at = NULL`);
  const writeState = db.prepare(`
    UPDATE invite_links SET synced_usage = @syncedUsage, synced_requested = @syncedRequested,
      hwm_date = @hwmDate, hwm_user_id = @hwmUser, backfill_done = @backfillDone, visible = @visible,
      full_listed_from = @fullListedFrom
    WHERE chat_id = @chatId AND link = @link`);
  const markRevoked = db.prepare(`
    UPDATE invite_links SET revoked = 1, revoked_at = coalesce(revoked_at, ?)
    WHERE chat_id = ? AND link = ?`);
  const markGone = db.prepare(`
    UPDATE invite_links SET gone_at = coalesce(gone_at, ?) WHERE chat_id = ? AND link = ?`);

  const setDeparted = db.prepare(`
    UPDATE invite_links SET admin_departed_at = CASE WHEN @departed THEN coalesce(admin_departed_at, @now) END
    WHERE chat_id = @chatId AND link = @link`);

  const getRaw = (chatId: bigint, link: string) => get.get(chatId, link) as RawRow | undefined;

  const upsertTx = db.transaction((chatId: bigint, inv: InviteInput, now: number) => {
    const before = getRaw(chatId, inv.link);
    upsert.run({
      chatId, link: inv.link, rawLink: inv.rawLink && inv.rawLink !== inv.link ? inv.rawLink : null, adminId: inv.adminId, date: inv.date,
      startDate: inv.startDate ?? null, expireDate: inv.expireDate ?? null,
      usageLimit: inv.usageLimit ?? null, usage: inv.usage ?? 0, requested: inv.requested ?? 0,
      subscriptionExpired: inv.subscriptionExpired ?? null, title: inv.title ?? null,
      period: inv.subscriptionPricing?.period ?? null,
      amount: inv.subscriptionPricing ? BigInt(inv.subscriptionPricing.amount) : null,
      revoked: inv.revoked ? 1 : 0, permanent: inv.permanent ? 1 : 0,
      requestNeeded: inv.requestNeeded ? 1 : 0, now,
    });
    return before ? toState(before) : null;
  });

  const updateTx = db.transaction((chatId: bigint, link: string, patch: SyncStatePatch) => {
    const raw = getRaw(chatId, link);
    if (!raw) throw new Error(`unknown link ${link} in chat ${chatId}`);
    const s = { ...toState(raw), ...stripUndefined(patch) };
    writeState.run({
      chatId, link, syncedUsage: s.syncedUsage, syncedRequested: s.syncedRequested,
      hwmDate: s.hwm?.date ?? null, hwmUser: s.hwm?.userId ?? null,
      backfillDone: s.backfillDone ? 1 : 0, visible: s.visible ? 1 : 0, fullListedFrom: s.fullListedFrom,
    });
  });

  return {
    upsert: (chatId, invite, now = unixNow()) => upsertTx(chatId, invite, now),
    get: (chatId, link) => {
      const r = getRaw(chatId, link);
      return r && toLink(r);
    },
    list: (chatId) => (list.all(chatId) as RawRow[]).map(toLink),
    updateSyncState: (chatId, link, patch) => updateTx(chatId, link, patch),
    markRevoked: (chatId, link, now = unixNow()) => void markRevoked.run(now, chatId, link),
    markGone: (chatId, link, now = unixNow()) => void markGone.run(now, chatId, link),
    setAdminDeparted: (chatId, link, departed, now = unixNow()) => void setDeparted.run({ chatId, link, departed: departed ? 1 : 0, now }),
  };
}

function stripUndefined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
