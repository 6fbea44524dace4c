/**
 * Resolves the client's Input* objects against the world, with Telegram's errors: a wrong or
 * unknown access hash is CHANNEL_INVALID / USER_ID_INVALID, a private chat the caller is not in
 * is CHANNEL_PRIVATE, a peer of the wrong kind is PEER_ID_INVALID.
 */
import { Api } from 'telegram';
import type { WorldChat, WorldLink, WorldUser } from '../world.js';
import type { UserContext } from './context.js';
import { toNative } from './tl.js';
import { badRequest } from './errors.js';


function channelById(ctx: UserContext, id: bigint, accessHash: bigint | undefined): WorldChat {
  const chat = ctx.server.world.chat(id);
  if (!chat || (accessHash !== undefined && chat.accessHash !== accessHash)) throw badRequest('CHANNEL_INVALID');
  return chat;
}

/** The channel behind an InputPeer; the caller must be in it. */
export function channelOfPeer(ctx: UserContext, peer: unknown): WorldChat {
  if (!(peer instanceof Api.InputPeerChannel)) throw badRequest('PEER_ID_INVALID');
  const chat = channelById(ctx, toNative(peer.channelId), toNative(peer.accessHash));
  if (!ctx.server.world.isMember(chat.id, ctx.me)) throw badRequest('CHANNEL_PRIVATE');
  return chat;
}

/** The channel behind an InputChannel (no membership needed: channels.getChannels). */
export function channelOfInput(ctx: UserContext, input: unknown): WorldChat {
  if (!(input instanceof Api.InputChannel)) throw badRequest('CHANNEL_INVALID');
  return channelById(ctx, toNative(input.channelId), toNative(input.accessHash));
}

/** The user behind an InputUser; undefined for inputUserEmpty. */
export function userOfInput(ctx: UserContext, input: unknown): WorldUser | undefined {
  const world = ctx.server.world;
  if (input instanceof Api.InputUserEmpty) return undefined;
  if (input instanceof Api.InputUserSelf) return world.user(ctx.me);
  if (input instanceof Api.InputUser) {
    const u = world.user(toNative(input.userId));
    if (!u || u.accessHash !== toNative(input.accessHash)) throw badRequest('USER_ID_INVALID');
    return u;
  }
  throw badRequest('USER_ID_INVALID');
}

export function requireUser(ctx: UserContext, input: unknown): WorldUser {
  const u = userOfInput(ctx, input);
  if (!u) throw badRequest('USER_ID_INVALID');
  return u;
}

/** Admin with can_invite_users: what every invite-link and join-request method asks for. */
export function requireInviteAdmin(ctx: UserContext, chat: WorldChat): void {
  if (!ctx.server.world.canInvite(chat.id, ctx.me)) throw badRequest('CHAT_ADMIN_REQUIRED');
}

export function isOwner(ctx: UserContext, chat: WorldChat): boolean {
  return chat.ownerId === ctx.me;
}

/**
 * A link of this chat, named in any of its forms. Unknown or another chat's link is
 * INVITE_HASH_EXPIRED; another admin's link needs the owner (CHAT_ADMIN_REQUIRED).
 */
export function chatLinkFor(ctx: UserContext, chat: WorldChat, link: string): WorldLink {
  const found = ctx.server.world.link(link);
  if (!found || found.chatId !== chat.id) throw badRequest('INVITE_HASH_EXPIRED');
  if (found.adminId !== ctx.me && !isOwner(ctx, chat)) throw badRequest('CHAT_ADMIN_REQUIRED');
  return found;
}
