/**
 * Step 1 of a chat's sync: which invite links exist. As owner, every admin's links
 * (`getAdminsWithInvites`, then each admin's active and revoked listings, skipping a listing whose
 * count is 0 — unless the active one showed fewer links than counted: a link revoked meanwhile
 * moved to the revoked one); otherwise only the account's own links, and the chat records that the others are
 * invisible and why. Links are upserted with the events their change causes, in one transaction.
 *
 * An admin with stored links who is missing from `getAdminsWithInvites` has departed (demoted or
 * left): their links are marked so, with no extra call to learn it, and are still listed by their
 * `admin_id` (both listings — no counts to skip by — or, once all are revoked, the revoked one) as
 * long as Telegram answers, so what happens through them is still recorded. A refusal
 * (`ADMIN_ID_INVALID`) leaves them as stored: marked, never taken for deleted. Listed again
 * (promoted back), the mark is cleared.
 */
import type { InviteInput, LinkRow } from '../store/index.js';
import type { SyncContext } from './context.js';
import { toUserInputs } from './context.js';
import { EXPIRING_WITHIN_SECONDS, EventKind, NEAR_LIMIT_SHARE, emit, type LinkPayload } from './events.js';
import { isSourceError, type SourceChat, type SourceLink, type SourceUser } from './types.js';

export const NOT_OWNER_NOTE =
  "the account is not the chat's owner: Telegram lists only its own invite links, so other admins' links and who joined through them are invisible";

export interface Discovery {
  /** Every link listed this cycle, newest first per admin. */
  links: SourceLink[];
  /** Null when every admin's links were listed. */
  invisibleNote: string | null;
}

interface AdminListing {
  adminId: bigint;
  /** Undefined: unknown (non-owner, or a departed admin), so both listings are read. */
  active?: number;
  revoked?: number;
  /** No longer among the chat's admins with links: a refused listing is expected, not a gap. */
  departed?: boolean;
}

interface AdminsToList {
  admins: AdminListing[];
  note: string | null;
  /** Owner only: the admins `getAdminsWithInvites` named; null when the account cannot ask. */
  current: Set<bigint> | null;
}

export async function discoverLinks(ctx: SyncContext, chat: SourceChat): Promise<Discovery> {
  const { admins, note, current } = await adminsToList(ctx, chat);
  const links: SourceLink[] = [];
  const users: SourceUser[] = [];
  const listedAdmins = new Set<bigint>();
  let invisibleNote = note;
  for (const admin of admins) {
    try {
      let revokedSince = false;
      for (const revoked of [false, true]) {
        const expected = revoked ? admin.revoked : admin.active;
        if (expected === 0 && !revokedSince) continue;
        const seen = await listAll(ctx, chat.chatId, admin, revoked, links, users);
        // Fewer active links than counted: one was revoked since, and moved to the revoked listing.
        if (!revoked && expected !== undefined && seen < expected) revokedSince = true;
      }
      listedAdmins.add(admin.adminId);
    } catch (e) {
      // A departed admin's listing may be refused, or name someone this account has no hash for: their links stay as stored.
      if (admin.departed && (isSourceError(e, 'NotPermitted') || isSourceError(e, 'PeerInvalid'))) continue;
      if (!isSourceError(e, 'NotPermitted')) throw e;
      invisibleNote ??= `links of admin ${admin.adminId} cannot be listed (${e.code})`;
    }
  }
  record(ctx, chat.chatId, links, users, listedAdmins, current);
  return { links, invisibleNote };
}

async function adminsToList(ctx: SyncContext, chat: SourceChat): Promise<AdminsToList> {
  const own: AdminsToList = { admins: [{ adminId: chat.selfId }], note: NOT_OWNER_NOTE, current: null };
  if (!chat.isOwner) return own;
  try {
    const admins = await ctx.source.listAdminsWithLinks(chat.chatId);
    const current = new Set(admins.map((a) => a.adminId));
    return {
      admins: [
        ...admins.map((a) => ({ adminId: a.adminId, active: a.activeCount, revoked: a.revokedCount })),
        ...departedAdmins(ctx, chat.chatId, current),
      ],
      note: null,
      current,
    };
  } catch (e) {
    if (!isSourceError(e, 'NotPermitted')) throw e;
    return own;
  }
}

/**
 * Admins of stored links (not deleted) that Telegram no longer names, each to be listed by id. A
 * former admin makes no links: one whose stored links are all revoked needs the revoked listing only.
 */
function departedAdmins(ctx: SyncContext, chatId: bigint, current: Set<bigint>): AdminListing[] {
  const active = new Map<bigint, boolean>();
  for (const l of ctx.store.links.list(chatId)) {
    if (l.goneAt === null && !current.has(l.adminId)) active.set(l.adminId, (active.get(l.adminId) ?? false) || !l.revoked);
  }
  return [...active].map(([adminId, anyActive]) => ({ adminId, departed: true, ...(anyActive ? {} : { active: 0 }) }));
}

async function listAll(
  ctx: SyncContext,
  chatId: bigint,
  admin: AdminListing,
  revoked: boolean,
  into: SourceLink[],
  users: SourceUser[],
): Promise<number> {
  let after: { date: number; link: string } | undefined;
  let seen = 0;
  // Telegram named a departed admin in no answer of this process: their stored hash addresses them.
  const adminAccessHash = admin.departed ? (ctx.store.users.get(admin.adminId)?.accessHash ?? undefined) : undefined;
  for (;;) {
    const page = await ctx.source.listLinks(chatId, { adminId: admin.adminId, adminAccessHash, revoked, after, limit: ctx.pageLimit });
    users.push(...page.users);
    into.push(...page.links);
    seen += page.links.length;
    const last = page.links.at(-1);
    // `count` is exact for link listings; it saves the empty page that would otherwise end the walk.
    if (!last || seen >= page.count) return seen;
    // offset_link in the spelling Telegram gave (a legacy t.me/joinchat link stays one).
    after = { date: last.date, link: last.raw };
  }
}

function record(
  ctx: SyncContext,
  chatId: bigint,
  links: SourceLink[],
  users: SourceUser[],
  listedAdmins: Set<bigint>,
  currentAdmins: Set<bigint> | null,
): void {
  const { store } = ctx;
  const now = ctx.now();
  const prior = new Map(store.links.list(chatId).map((l) => [l.link, l]));
  const firstSync = prior.size === 0;
  store.tx(() => {
    store.users.upsertMany(toUserInputs(users), now);
    const listed = new Set<string>();
    for (const link of links) {
      listed.add(link.link);
      store.links.upsert(chatId, toInviteInput(link), now);
      for (const kind of linkEvents(link, prior.get(link.link), now)) {
        emit(store, kind, chatId, linkPayload(link, firstSync), now);
      }
    }
    // A link of a fully listed admin that Telegram no longer lists was deleted: keep its history.
    for (const old of prior.values()) {
      if (!listed.has(old.link) && listedAdmins.has(old.adminId) && old.goneAt === null) store.links.markGone(chatId, old.link, now);
    }
    if (currentAdmins) markDeparted(ctx, chatId, currentAdmins, now);
  });
}

/**
 * Links whose admin `getAdminsWithInvites` no longer names are marked (the first time only); those
 * whose admin it names again are cleared. A deleted link keeps what it had: it says more.
 */
function markDeparted(ctx: SyncContext, chatId: bigint, currentAdmins: Set<bigint>, now: number): void {
  for (const row of ctx.store.links.list(chatId)) {
    if (row.goneAt !== null) continue;
    const departed = !currentAdmins.has(row.adminId);
    if (departed !== (row.adminDepartedAt !== null)) ctx.store.links.setAdminDeparted(chatId, row.link, departed, now);
  }
}

export function linkEvents(link: SourceLink, prior: LinkRow | undefined, now: number): EventKind[] {
  const kinds: EventKind[] = [];
  if (!prior) kinds.push(EventKind.LinkCreated);
  if (link.revoked && prior && !prior.revoked) kinds.push(EventKind.LinkRevoked);
  if (link.revoked) return kinds;
  if (link.usageLimit !== undefined && link.usageLimit > 0) {
    const threshold = Math.ceil(link.usageLimit * NEAR_LIMIT_SHARE);
    if (link.usage >= threshold && (prior?.usage ?? 0) < threshold) kinds.push(EventKind.LinkNearLimit);
  }
  if (link.expireDate !== undefined && link.expireDate > now && link.expireDate - now <= EXPIRING_WITHIN_SECONDS) {
    const warnedBefore = prior !== undefined && link.expireDate - prior.lastSeen <= EXPIRING_WITHIN_SECONDS;
    if (!warnedBefore) kinds.push(EventKind.LinkExpiring);
  }
  return kinds;
}

function linkPayload(link: SourceLink, firstSync: boolean): LinkPayload {
  return {
    link: link.link,
    title: link.title ?? null,
    adminId: link.adminId,
    usage: link.usage,
    usageLimit: link.usageLimit ?? null,
    expireDate: link.expireDate ?? null,
    ...(firstSync ? { firstSync } : {}),
  };
}

export function toInviteInput(l: SourceLink): InviteInput {
  return {
    link: l.link,
    rawLink: l.raw,
    adminId: l.adminId,
    date: l.date,
    startDate: l.startDate ?? null,
    expireDate: l.expireDate ?? null,
    usageLimit: l.usageLimit ?? null,
    usage: l.usage,
    requested: l.requested,
    title: l.title ?? null,
    revoked: l.revoked,
    permanent: l.permanent,
    requestNeeded: l.requestNeeded,
  };
}
