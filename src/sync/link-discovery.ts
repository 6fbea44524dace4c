/**
 * Step 1 of a chat's sync: which invite links exist. As owner, every admin's links
 * (`getAdminsWithInvites`, then each admin's active and revoked listings, skipping a listing whose
 * count is 0 — unless the active one showed fewer links than counted: a link revoked meanwhile
 * moved to the revoked one); otherwise only the account's own links, and the chat records that the others are
 * invisible and why. Links are upserted with the events their change causes, in one transaction.
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
  /** Undefined: unknown (non-owner), so both listings are read. */
  active?: number;
  revoked?: number;
}

export async function discoverLinks(ctx: SyncContext, chat: SourceChat): Promise<Discovery> {
  const { admins, note } = await adminsToList(ctx, chat);
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
        const seen = await listAll(ctx, chat.chatId, admin.adminId, revoked, links, users);
        // Fewer active links than counted: one was revoked since, and moved to the revoked listing.
        if (!revoked && expected !== undefined && seen < expected) revokedSince = true;
      }
      listedAdmins.add(admin.adminId);
    } catch (e) {
      if (!isSourceError(e, 'NotPermitted')) throw e;
      invisibleNote ??= `links of admin ${admin.adminId} cannot be listed (${e.code})`;
    }
  }
  record(ctx, chat.chatId, links, users, listedAdmins);
  return { links, invisibleNote };
}

async function adminsToList(ctx: SyncContext, chat: SourceChat): Promise<{ admins: AdminListing[]; note: string | null }> {
  const own: AdminListing[] = [{ adminId: chat.selfId }];
  if (!chat.isOwner) return { admins: own, note: NOT_OWNER_NOTE };
  try {
    const admins = await ctx.source.listAdminsWithLinks(chat.chatId);
    return {
      admins: admins.map((a) => ({ adminId: a.adminId, active: a.activeCount, revoked: a.revokedCount })),
      note: null,
    };
  } catch (e) {
    if (!isSourceError(e, 'NotPermitted')) throw e;
    return { admins: own, note: NOT_OWNER_NOTE };
  }
}

async function listAll(
  ctx: SyncContext,
  chatId: bigint,
  adminId: bigint,
  revoked: boolean,
  into: SourceLink[],
  users: SourceUser[],
): Promise<number> {
  let after: { date: number; link: string } | undefined;
  let seen = 0;
  for (;;) {
    const page = await ctx.source.listLinks(chatId, { adminId, revoked, after, limit: ctx.pageLimit });
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

function record(ctx: SyncContext, chatId: bigint, links: SourceLink[], users: SourceUser[], listedAdmins: Set<bigint>): void {
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
  });
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
