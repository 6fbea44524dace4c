import type { Database as Db } from 'better-sqlite3';
import type { Cursor } from './cursor.js';
import { bool, id, num, optId, optNum, optStr, str, unixNow, type RawRow } from './row.js';

/** A chatInviteExported with ids as bigint; `link` already normalised to https://t.me/+HASH. */
export interface InviteInput {
  link: string;
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
  /** (usage, requested) when the link was last fully paged; null before the first walk. */
  syncedUsage: number | null;
  syncedRequested: number | null;
  /** Newest joiner stored: incremental walks stop here. */
  hwm: Cursor | null;
  /** Last row written by an unfinished backfill: the next page starts after it. */
  backfill: Cursor | null;
  backfillDone: boolean;
  deferredUntil: number | null;
  deferredReason: string | null;
  visible: boolean;
  goneAt: number | null;
  revokedAt: number | null;
}

export interface LinkRow extends LinkSyncState {
  chatId: bigint;
  link: string;
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
  /** Joiners stored for this link, and the newest join date among them (maintained per page). */
  joinsStored: number;
  lastJoinDate: number | null;
}

/** Fields of the sync state to change; absent keys stay, null clears. */
export type SyncStatePatch = Partial<
  Pick<LinkSyncState, 'syncedUsage' | 'syncedRequested' | 'hwm' | 'backfill' | 'backfillDone' | 'deferredUntil' | 'deferredReason' | 'visible'>
>;

export interface LinksRepo {
  /** Inserts or refreshes a link; returns its sync state before this call, or null when it is new. */
  upsert(chatId: bigint, invite: InviteInput, now?: number): LinkSyncState | null;
  get(chatId: bigint, link: string): LinkRow | undefined;
  list(chatId: bigint): LinkRow[];
  updateSyncState(chatId: bigint, link: string, patch: SyncStatePatch): void;
  markRevoked(chatId: bigint, link: string, now?: number): void;
  markGone(chatId: bigint, link: string, now?: number): void;
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
    backfill: cursorOf(r.backfill_date, r.backfill_user_id),
    backfillDone: bool(r.backfill_done),
    deferredUntil: optNum(r.deferred_until),
    deferredReason: optStr(r.deferred_reason),
    visible: bool(r.visible),
    goneAt: optNum(r.gone_at),
    revokedAt: optNum(r.revoked_at),
  };
}

export function toLink(r: RawRow): LinkRow {
  return {
    ...toState(r),
    chatId: id(r.chat_id),
    link: str(r.link),
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
  };
}

export function createLinksRepo(db: Db): LinksRepo {
  const get = db.prepare('SELECT * FROM invite_links WHERE chat_id = ? AND link = ?');
  const list = db.prepare('SELECT * FROM invite_links WHERE chat_id = ? ORDER BY date DESC, link');
  // revoked never goes back to 0: Telegram cannot un-revoke a link.
  const upsert = db.prepare(`
    INSERT INTO invite_links (chat_id, link, admin_id, date, start_date, expire_date, usage_limit,
      usage, requested, subscription_expired, title, subscription_period, subscription_amount,
      revoked, permanent, request_needed, first_seen, last_seen, revoked_at)
    VALUES (@chatId, @link, @adminId, @date, @startDate, @expireDate, @usageLimit, @usage,
      @requested, @subscriptionExpired, @title, @period, @amount, @revoked, @permanent,
      @requestNeeded, @now, @now, CASE WHEN @revoked THEN @now END)
    ON CONFLICT (chat_id, link) DO UPDATE SET
      admin_id = excluded.admin_id, date = excluded.date, start_date = excluded.start_date,
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
      hwm_date = @hwmDate, hwm_user_id = @hwmUser, backfill_date = @bfDate,
      backfill_user_id = @bfUser, backfill_done = @backfillDone, deferred_until = @deferredUntil,
      deferred_reason = @deferredReason, visible = @visible
    WHERE chat_id = @chatId AND link = @link`);
  const markRevoked = db.prepare(`
    UPDATE invite_links SET revoked = 1, revoked_at = coalesce(revoked_at, ?)
    WHERE chat_id = ? AND link = ?`);
  const markGone = db.prepare(`
    UPDATE invite_links SET gone_at = coalesce(gone_at, ?) WHERE chat_id = ? AND link = ?`);

  const getRaw = (chatId: bigint, link: string) => get.get(chatId, link) as RawRow | undefined;

  const upsertTx = db.transaction((chatId: bigint, inv: InviteInput, now: number) => {
    const before = getRaw(chatId, inv.link);
    upsert.run({
      chatId, link: inv.link, adminId: inv.adminId, date: inv.date,
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
      bfDate: s.backfill?.date ?? null, bfUser: s.backfill?.userId ?? null,
      backfillDone: s.backfillDone ? 1 : 0, deferredUntil: s.deferredUntil,
      deferredReason: s.deferredReason, visible: s.visible ? 1 : 0,
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
  };
}

function stripUndefined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
