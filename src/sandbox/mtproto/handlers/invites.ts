/**
 * Invite links and their importers: messages.checkChatInvite, messages.getAdminsWithInvites,
 * messages.getExportedChatInvites and messages.getChatInviteImporters, with the rules of
 * telegram-semantics.md (newest first, exclusive cursors, capped pages, count = total, owner-only
 * views of other admins' links).
 */
import { Api } from 'telegram';
import { adminsWithInvites, exportedInvites, inviteImporters } from '../../world-access.js';
import { userMethod, type HandlerEntry, type UserContext } from '../context.js';
import { badRequest } from '../errors.js';
import { channelOfPeer, userOfInput } from '../peers.js';
import { chatInviteImportersBytes } from '../fast-tl.js';
import { big, channelTl, inviteTl, opt, toNative, usersTl, type TlValue } from '../tl.js';

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
  const admins = adminsWithInvites(world, ctx.me, chat).map(
    (a) => new Api.ChatAdminWithInvites({ adminId: big(a.adminId), invitesCount: a.active, revokedInvitesCount: a.revoked }),
  );
  return new Api.messages.ChatAdminsWithInvites({ admins, users: usersTl(world, admins.map((a) => toNative(a.adminId)), ctx.me) });
}

function getExportedChatInvites(req: Api.messages.GetExportedChatInvites, ctx: UserContext): Api.messages.ExportedChatInvites {
  const world = ctx.server.world;
  const chat = channelOfPeer(ctx, req.peer);
  const admin = userOfInput(ctx, req.adminId);
  if (!admin) throw badRequest('USER_ID_INVALID');
  const od = opt(req.offsetDate);
  const ol = opt(req.offsetLink);
  const { count, links } = exportedInvites(world, ctx.me, chat, {
    admin, revoked: !!req.revoked, offsetDate: od, offsetLink: ol, limit: req.limit, cap: ctx.server.maxPageSize,
  });
  return new Api.messages.ExportedChatInvites({ count, invites: links.map((l) => inviteTl(world, l)), users: usersTl(world, [admin.id], ctx.me) });
}

function getChatInviteImporters(req: Api.messages.GetChatInviteImporters, ctx: UserContext): TlValue {
  const world = ctx.server.world;
  const chat = channelOfPeer(ctx, req.peer);
  const offsetUser = userOfInput(ctx, req.offsetUser);
  if (req.subscriptionExpired) return new Api.messages.ChatInviteImporters({ count: 0, importers: [], users: [] });
  const { count, rows, users } = inviteImporters(world, ctx.me, chat, {
    requested: !!req.requested,
    link: opt(req.link),
    q: opt(req.q) || undefined,
    offsetDate: req.offsetDate,
    offsetUser: offsetUser && { id: offsetUser.id, accessHash: offsetUser.accessHash },
    limit: req.limit,
    cap: ctx.server.maxPageSize,
  });
  return chatInviteImportersBytes(count, rows, users, ctx.me);
}

export const inviteHandlers: [string, HandlerEntry][] = [
  userMethod(Api.messages.CheckChatInvite, checkChatInvite),
  userMethod(Api.messages.GetAdminsWithInvites, getAdminsWithInvites),
  userMethod(Api.messages.GetExportedChatInvites, getExportedChatInvites),
  userMethod(Api.messages.GetChatInviteImporters, getChatInviteImporters),
];
