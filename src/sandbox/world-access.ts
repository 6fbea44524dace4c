/**
 * What one account may read of the world, with Telegram's checks and errors: the rules of
 * telegram-semantics.md for invite links, importers and dialogs, in plain world values. The
 * MTProto handlers turn TL requests into these calls (and the answers into TL); the model check's
 * in-process InviteSource calls them directly, so both apply exactly the same semantics.
 * Failures are `WorldError`s named as Telegram names them.
 */
import type { World } from './world.js';
import type { AdminLogEvent, AdminLogFilterKind } from './world-admin-log.js';
import { WorldError, type Id, type WorldChat, type WorldImporter, type WorldLink, type WorldUser } from './world-types.js';

/** A user as a client names one: by id and the access hash it was given (offset_user, admin_id). */
export interface UserRef {
  id: Id;
  accessHash: Id;
}

/** The channel behind (id, access hash); undefined hash: no check (channels.getChannels callers pass one). */
export function channelById(world: World, id: Id, accessHash: Id | undefined): WorldChat {
  const chat = world.chat(id);
  if (!chat || (accessHash !== undefined && chat.accessHash !== accessHash)) throw new WorldError('CHANNEL_INVALID');
  return chat;
}

/** The channel as an InputPeer names it: the caller must be in it. */
export function channelOfCaller(world: World, me: Id, id: Id, accessHash: Id | undefined): WorldChat {
  const chat = channelById(world, id, accessHash);
  if (!world.isMember(chat.id, me)) throw new WorldError('CHANNEL_PRIVATE');
  return chat;
}

/** The user a reference names; a wrong access hash is USER_ID_INVALID (Telegram checks it). */
export function userByRef(world: World, ref: UserRef): WorldUser {
  const u = world.user(ref.id);
  if (!u || u.accessHash !== ref.accessHash) throw new WorldError('USER_ID_INVALID');
  return u;
}

/** Admin with can_invite_users: what every invite-link and join-request method asks for. */
export function requireInviteAdmin(world: World, me: Id, chat: WorldChat): void {
  if (!world.canInvite(chat.id, me)) throw new WorldError('CHAT_ADMIN_REQUIRED');
}

export function isOwner(me: Id, chat: WorldChat): boolean {
  return chat.ownerId === me;
}

/**
 * A link of this chat, named in any of its forms. Unknown or another chat's link is
 * INVITE_HASH_EXPIRED; another admin's link needs the owner (CHAT_ADMIN_REQUIRED).
 */
export function chatLinkFor(world: World, me: Id, chat: WorldChat, link: string): WorldLink {
  const found = world.link(link);
  if (!found || found.chatId !== chat.id) throw new WorldError('INVITE_HASH_EXPIRED');
  if (found.adminId !== me && !isOwner(me, chat)) throw new WorldError('CHAT_ADMIN_REQUIRED');
  return found;
}

export function pageLimit(limit: number, cap: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw new WorldError('LIMIT_INVALID');
  return Math.min(limit, cap);
}

/** messages.getAdminsWithInvites: owner only; every admin with links, and their counts. */
export function adminsWithInvites(world: World, me: Id, chat: WorldChat): { adminId: Id; active: number; revoked: number }[] {
  if (!isOwner(me, chat)) throw new WorldError('CHAT_ADMIN_REQUIRED');
  const out: { adminId: Id; active: number; revoked: number }[] = [];
  for (const adminId of new Set([chat.ownerId, ...chat.admins])) {
    const links = world.links(chat.id, { adminId });
    if (links.length === 0) continue;
    const revoked = links.filter((l) => l.revoked).length;
    out.push({ adminId, active: links.length - revoked, revoked });
  }
  return out;
}

/**
 * messages.getExportedChatInvites: one admin's links (another admin's need the owner), newest
 * first by (date, link), exclusive cursor; `count` is the admin's total of that kind.
 */
export function exportedInvites(
  world: World,
  me: Id,
  chat: WorldChat,
  q: { admin: WorldUser; revoked: boolean; offsetDate?: number | undefined; offsetLink?: string | undefined; limit: number; cap: number },
): { count: number; links: WorldLink[] } {
  requireInviteAdmin(world, me, chat);
  if (q.admin.id !== me && !isOwner(me, chat)) throw new WorldError('CHAT_ADMIN_REQUIRED');
  const links = world.links(chat.id, { adminId: q.admin.id, revoked: q.revoked });
  let start = 0;
  if (q.offsetDate !== undefined && q.offsetLink !== undefined) {
    // The cursor names a link in the form Telegram returned it; compare canonical forms.
    const od = q.offsetDate;
    const ol = world.link(q.offsetLink)?.link ?? q.offsetLink;
    start = links.findIndex((l) => l.date < od || (l.date === od && l.link < ol));
    if (start < 0) start = links.length;
  }
  return { count: links.length, links: links.slice(start, start + pageLimit(q.limit, q.cap)) };
}

export interface ImportersRequest {
  requested: boolean;
  link?: string | undefined;
  q?: string | undefined;
  offsetDate: number;
  /** The previous page's last user; undefined: inputUserEmpty. */
  offsetUser?: UserRef | undefined;
  limit: number;
  cap: number;
}

/**
 * messages.getChatInviteImporters: a link's members, or pending requests (chat-wide or a link's),
 * newest first by (date, user), exclusive cursor, `count` = total. Returns the users the answer
 * carries (each row's user and, for members, the approving admin).
 */
export function inviteImporters(world: World, me: Id, chat: WorldChat, q: ImportersRequest): { count: number; rows: WorldImporter[]; users: WorldUser[] } {
  requireInviteAdmin(world, me, chat);
  if (q.q !== undefined && (!q.requested || q.link !== undefined)) throw new WorldError('SEARCH_WITH_LINK_NOT_SUPPORTED');
  const link = q.link !== undefined ? chatLinkFor(world, me, chat, q.link) : undefined;
  const offsetUser = q.offsetUser ? userByRef(world, q.offsetUser).id : 0n;
  const { count, rows } = world.importers(chat.id, {
    link: link?.link ?? null,
    requested: q.requested,
    ...(q.q !== undefined ? { q: q.q } : {}),
    offsetDate: q.offsetDate,
    offsetUser,
    limit: pageLimit(q.limit, q.cap),
  });
  const users = new Map<bigint, WorldUser>();
  const addUser = (id: bigint): void => {
    const u = users.has(id) ? undefined : world.user(id);
    if (u) users.set(id, u);
  };
  for (const r of rows) {
    addUser(r.userId);
    if (r.approvedBy !== undefined && !r.requested) addUser(r.approvedBy);
  }
  return { count, rows, users: [...users.values()] };
}

/** Where a dialog sorts: its top message (date, id), then the peer; newest first. */
export interface DialogPosition {
  date: number;
  messageId: number;
  peerId: Id;
}

/** Every chat's top message in the sandbox: one date and id for all, so only the peer breaks ties. */
export const TOP_MESSAGE = { date: 1767225600, id: 1 } as const;

function comparePosition(a: DialogPosition, b: DialogPosition): number {
  if (a.date !== b.date) return a.date - b.date;
  if (a.messageId !== b.messageId) return a.messageId - b.messageId;
  return a.peerId === b.peerId ? 0 : a.peerId < b.peerId ? -1 : 1;
}

/**
 * messages.getDialogs: the caller's chats newest first by (top message date, id, peer), strictly
 * after the offset (offset date 0: from the top). Paging by the date alone would loop on ties.
 */
export function dialogsPage(world: World, me: Id, offset: DialogPosition | undefined, limit: number, cap: number): { count: number; chats: WorldChat[] } {
  const all = world
    .chatsOf(me)
    .map((chat) => ({ chat, pos: { date: TOP_MESSAGE.date, messageId: TOP_MESSAGE.id, peerId: chat.id } }))
    .sort((a, b) => comparePosition(b.pos, a.pos));
  const from = offset && offset.date !== 0 ? all.filter((d) => comparePosition(d.pos, offset) < 0) : all;
  return { count: all.length, chats: from.slice(0, pageLimit(limit, cap)).map((d) => d.chat) };
}

/**
 * channels.getAdminLog: any admin (not only with invite rights); the last 48 hours, newest first,
 * at most `cap` (100), between `minId` and `maxId` (exclusive, 0: unbounded), narrowed by the
 * filter. A negative bound is MSG_ID_INVALID. Link texts go through `shownLink`.
 */
export function adminLogPage(
  world: World,
  me: Id,
  chat: WorldChat,
  q: { maxId: Id; minId: Id; limit: number; cap: number; filter?: ReadonlySet<AdminLogFilterKind> | undefined },
): AdminLogEvent[] {
  if (!world.isAdmin(chat.id, me)) throw new WorldError('CHAT_ADMIN_REQUIRED');
  if (q.maxId < 0n || q.minId < 0n) throw new WorldError('MSG_ID_INVALID');
  return world.adminLog(chat.id).read({ maxId: q.maxId, minId: q.minId, limit: pageLimit(q.limit, q.cap), filter: q.filter, now: world.now() });
}

/**
 * A link as an admin-log event shows it to `me`: whole to the owner and to the link's creator;
 * for another admin's link, a viewer who is not the owner sees its visible start (the first half
 * of the hash) followed by "..." (telegram-semantics.md: match such a link by prefix).
 */
export function shownLink(me: Id, chat: WorldChat, l: WorldLink): string {
  const full = l.raw ?? l.link;
  if (isOwner(me, chat) || l.adminId === me) return full;
  return `https://t.me/+${l.hash.slice(0, Math.ceil(l.hash.length / 2))}...`;
}
