/**
 * Resolves the client's Input* objects against the world, with Telegram's errors (the checks
 * themselves live in world-access.ts, shared with the model check's in-process source): a wrong
 * or unknown access hash is CHANNEL_INVALID / USER_ID_INVALID, a private chat the caller is not in
 * is CHANNEL_PRIVATE, a peer of the wrong kind is PEER_ID_INVALID.
 */
import { Api } from 'telegram';
import type { WorldChat, WorldUser } from '../world.js';
import { channelById, channelOfCaller, userByRef } from '../world-access.js';
import type { UserContext } from './context.js';
import { toNative } from './tl.js';
import { badRequest } from './errors.js';

/** The channel behind an InputPeer; the caller must be in it. */
export function channelOfPeer(ctx: UserContext, peer: unknown): WorldChat {
  if (!(peer instanceof Api.InputPeerChannel)) throw badRequest('PEER_ID_INVALID');
  return channelOfCaller(ctx.server.world, ctx.me, toNative(peer.channelId), toNative(peer.accessHash));
}

/** The channel behind an InputChannel (no membership needed: channels.getChannels). */
export function channelOfInput(ctx: UserContext, input: unknown): WorldChat {
  if (!(input instanceof Api.InputChannel)) throw badRequest('CHANNEL_INVALID');
  return channelById(ctx.server.world, toNative(input.channelId), toNative(input.accessHash));
}

/** The user behind an InputUser; undefined for inputUserEmpty. */
export function userOfInput(ctx: UserContext, input: unknown): WorldUser | undefined {
  const world = ctx.server.world;
  if (input instanceof Api.InputUserEmpty) return undefined;
  if (input instanceof Api.InputUserSelf) return world.user(ctx.me);
  if (input instanceof Api.InputUser) return userByRef(world, { id: toNative(input.userId), accessHash: toNative(input.accessHash) });
  throw badRequest('USER_ID_INVALID');
}

export function requireUser(ctx: UserContext, input: unknown): WorldUser {
  const u = userOfInput(ctx, input);
  if (!u) throw badRequest('USER_ID_INVALID');
  return u;
}
