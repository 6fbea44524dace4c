/**
 * Invite links and their importers: messages.checkChatInvite, messages.getAdminsWithInvites,
 * messages.getExportedChatInvites and messages.getChatInviteImporters, with the rules of
 * telegram-semantics.md (newest first, exclusive cursors, capped pages, count = total, owner-only
 * views of other admins' links).
 */
import { Api } from 'telegram';
import type { WorldUser } from '../../world.js';
import { userMethod, type HandlerEntry, type UserContext } from '../context.js';
import { badRequest } from '../errors.js';
import { chatLinkFor, channelOfPeer, isOwner, requireInviteAdmin, userOfInput } from '../peers.js';
import { chatInviteImportersBytes } from '../fast-tl.js';
import { big, channelTl, inviteTl, opt, toNative, usersTl, type TlValue } from '../tl.js';

function pageLimit(ctx: UserContext, limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw badRequest('LIMIT_INVALID');
  return Math.min(limit, ctx.server.maxPageSize);
}

function checkChatInvite(req: Api.messages.CheckChatInvite, ctx: UserContext): Api.TypeChatInvite {
  const world = ctx.server.world;
  const link = world.linkByHash(req.hash) ?? world.link(req.hash);
  if (!link) throw badRequest('INVITE_HASH_INVALID');
  const usage = world.usage(link.link);
  const expired = link.expireDate !== undefined && link.expireDate <= world.now();
  const full = link.usageLimit !== undefined && usage >= link.usageLimit;
  if (link.revoked || expired || full) throw badRequest('INVITE_HASH_EXPIRED');
  const chat = world.chat(link.chatId);
  if (!chat) throw badRequest('INVITE_HASH_INVALID');
  if (world.isMember(chat.id, ctx.me)) return new Api.ChatInviteAlready({ chat: channelTl(world, chat, ctx.me) });
  return new Api.ChatInvite({
    title: chat.title,
    photo: new Api.PhotoEmpty({ id: big(0) }),
    participantsCount: 0,
    color: 0,
    channel: true,
    ...(chat.type === 'supergroup' ? { megagroup: true } : { broadcast: true }),
    ...(chat.username !== undefined ? { public: true } : {}),
    ...(link.requestNeeded ? { requestNeeded: true } : {}),
  });
}

function getAdminsWithInvites(req: Api.messages.GetAdminsWithInvites, ctx: UserContext): Api.messages.ChatAdminsWithInvites {
  const world = ctx.server.world;
  const chat = channelOfPeer(ctx, req.peer);
  if (!isOwner(ctx, chat)) throw badRequest('CHAT_ADMIN_REQUIRED');
  const admins: Api.ChatAdminWithInvites[] = [];
  for (const adminId of new Set([chat.ownerId, ...chat.admins])) {
    const links = world.links(chat.id, { adminId });
    if (links.length === 0) continue;
    const revoked = links.filter((l) => l.revoked).length;
    admins.push(new Api.ChatAdminWithInvites({ adminId: big(adminId), invitesCount: links.length - revoked, revokedInvitesCount: revoked }));
  }
  return new Api.messages.ChatAdminsWithInvites({ admins, users: usersTl(world, admins.map((a) => toNative(a.adminId)), ctx.me) });
}

function getExportedChatInvites(req: Api.messages.GetExportedChatInvites, ctx: UserContext): Api.messages.ExportedChatInvites {
  const world = ctx.server.world;
  const chat = channelOfPeer(ctx, req.peer);
  requireInviteAdmin(ctx, chat);
  const admin = userOfInput(ctx, req.adminId);
  if (!admin) throw badRequest('USER_ID_INVALID');
  if (admin.id !== ctx.me && !isOwner(ctx, chat)) throw badRequest('CHAT_ADMIN_REQUIRED');
  const links = world.links(chat.id, { adminId: admin.id, revoked: !!req.revoked });
  let start = 0;
  const od = opt(req.offsetDate);
  const ol = opt(req.offsetLink);
  if (od !== undefined && ol !== undefined) {
    // Exclusive cursor over (date desc, link desc): skip everything at or before it.
    start = links.findIndex((l) => l.date < od || (l.date === od && l.link < ol));
    if (start < 0) start = links.length;
  }
  const page = links.slice(start, start + pageLimit(ctx, req.limit));
  return new Api.messages.ExportedChatInvites({
    count: links.length,
    invites: page.map((l) => inviteTl(world, l)),
    users: usersTl(world, [admin.id], ctx.me),
  });
}

function getChatInviteImporters(req: Api.messages.GetChatInviteImporters, ctx: UserContext): TlValue {
  const world = ctx.server.world;
  const chat = channelOfPeer(ctx, req.peer);
  requireInviteAdmin(ctx, chat);
  const q = opt(req.q) || undefined;
  const linkText = opt(req.link);
  if (q !== undefined && (!req.requested || linkText !== undefined)) throw badRequest('SEARCH_WITH_LINK_NOT_SUPPORTED');
  const link = linkText !== undefined ? chatLinkFor(ctx, chat, linkText) : undefined;
  const offsetUser = userOfInput(ctx, req.offsetUser)?.id ?? 0n;
  const limit = pageLimit(ctx, req.limit);
  if (req.subscriptionExpired) return new Api.messages.ChatInviteImporters({ count: 0, importers: [], users: [] });
  const { count, rows } = world.importers(chat.id, {
    link: link?.link ?? null,
    requested: !!req.requested,
    ...(q !== undefined ? { q } : {}),
    offsetDate: req.offsetDate,
    offsetUser,
    limit,
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
  return chatInviteImportersBytes(count, rows, [...users.values()], ctx.me);
}

export const inviteHandlers: [string, HandlerEntry][] = [
  userMethod(Api.messages.CheckChatInvite, checkChatInvite),
  userMethod(Api.messages.GetAdminsWithInvites, getAdminsWithInvites),
  userMethod(Api.messages.GetExportedChatInvites, getExportedChatInvites),
  userMethod(Api.messages.GetChatInviteImporters, getChatInviteImporters),
];
