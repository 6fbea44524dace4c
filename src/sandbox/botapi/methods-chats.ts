/**
 * Chat methods: getChat, getChatMember, getChatAdministrators, getChatMemberCount, and
 * approve/decline of join requests, which move the shared world (so MTProto sees them too).
 */
import { channelIdFromBotApiChatId, isChannelChatId } from '../../domain/chat-id.js';
import { WorldError, type World, type WorldChat, type WorldUser } from '../world.js';
import { badRequest, BotApiError } from './errors.js';
import type { MethodContext } from './method-context.js';
import { chatRef, userRef } from './params.js';
import { chatFullView, memberView, privateChatView, userView } from './views.js';

export type ChatTarget = { kind: 'private'; user: WorldUser } | { kind: 'chat'; chat: WorldChat };

/** chat_id as given (-100…, a user id, or @username) to a world chat or a private chat. */
export function resolveChat(world: World, ref: bigint | string): ChatTarget {
  if (typeof ref === 'string') {
    const chat = world.chatByUsername(ref);
    if (chat) return { kind: 'chat', chat };
    const user = world.userByUsername(ref);
    if (user) return { kind: 'private', user };
    throw badRequest('chat not found');
  }
  if (isChannelChatId(ref)) {
    const chat = world.chat(channelIdFromBotApiChatId(ref));
    if (chat) return { kind: 'chat', chat };
  } else if (ref > 0n) {
    const user = world.user(ref);
    if (user) return { kind: 'private', user };
  }
  throw badRequest('chat not found');
}

/** A group or channel the bot is in (it must be to read or manage it). */
function botChat(c: MethodContext): WorldChat {
  const target = resolveChat(c.world, chatRef(c.params));
  if (target.kind !== 'chat') throw badRequest('chat not found');
  if (!c.world.isMember(target.chat.id, c.world.bot.id)) throw badRequest('chat not found');
  return target.chat;
}

export function getChat(c: MethodContext): unknown {
  const target = resolveChat(c.world, chatRef(c.params));
  if (target.kind === 'private') return { ...privateChatView(target.user), accent_color_id: 0, max_reaction_count: 11 };
  if (!c.world.isMember(target.chat.id, c.world.bot.id)) throw badRequest('chat not found');
  return chatFullView(target.chat);
}

export function getChatMember(c: MethodContext): unknown {
  const chat = botChat(c);
  const user = c.world.user(userRef(c.params));
  if (!user) throw badRequest('user not found');
  return memberView(c.world, chat, user);
}

export function getChatAdministrators(c: MethodContext): unknown {
  const chat = botChat(c);
  const ids = [chat.ownerId, ...chat.admins.filter((a) => a !== chat.ownerId)];
  return ids.flatMap((id) => {
    const u = c.world.user(id);
    return u ? [memberView(c.world, chat, u)] : [];
  });
}

export function getChatMemberCount(c: MethodContext): unknown {
  const chat = botChat(c);
  const members = new Set<bigint>([chat.ownerId, ...chat.admins]);
  for (const j of c.world.importers(chat.id, { requested: false, offsetDate: 0, offsetUser: 0n, limit: Number.MAX_SAFE_INTEGER }).rows) members.add(j.userId);
  return members.size;
}

function resolveRequest(c: MethodContext, approved: boolean): true {
  const chat = botChat(c);
  const userId = userRef(c.params);
  if (!c.world.canInvite(chat.id, c.world.bot.id)) throw badRequest('not enough rights to manage join requests');
  if (!c.world.user(userId)) throw badRequest('user not found');
  try {
    c.world.resolveRequest(chat.id, userId, approved, c.world.bot.id);
  } catch (e) {
    if (e instanceof WorldError) throw badRequest(e.rpc);
    throw e;
  }
  return true;
}

export const approveChatJoinRequest = (c: MethodContext): true => resolveRequest(c, true);
export const declineChatJoinRequest = (c: MethodContext): true => resolveRequest(c, false);

export function getMe(c: MethodContext): unknown {
  return {
    ...userView(c.world.bot), is_bot: true, can_join_groups: true, can_read_all_group_messages: false,
    supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false,
  };
}

export function forbidden(what: string): BotApiError {
  return new BotApiError(403, `Forbidden: ${what}`);
}
