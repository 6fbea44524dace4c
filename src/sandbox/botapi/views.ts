/**
 * World objects in Bot API JSON form. Ids become JSON numbers (Telegram's are below 2^53, and
 * grammY expects numbers); the chat id of a supergroup or channel is the -100… form.
 */
import { botApiChatIdFromChannel } from '../../domain/chat-id.js';
import type { World, WorldChat, WorldLink, WorldUser } from '../world.js';

export type Json = Record<string, unknown>;

export function num(id: bigint): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n)) throw new RangeError(`id ${id} does not fit a JSON number`);
  return n;
}

export function userView(u: WorldUser): Json {
  return {
    id: num(u.id), is_bot: u.isBot ?? false, first_name: u.firstName,
    ...(u.lastName ? { last_name: u.lastName } : {}), ...(u.username ? { username: u.username } : {}),
    ...(u.isBot ? {} : { language_code: u.languageCode ?? 'en' }),
  };
}

export function privateChatView(u: WorldUser): Json {
  return { id: num(u.id), type: 'private', first_name: u.firstName, ...(u.lastName ? { last_name: u.lastName } : {}), ...(u.username ? { username: u.username } : {}) };
}

export function chatView(c: WorldChat): Json {
  return { id: num(botApiChatIdFromChannel(c.id)), type: c.type, title: c.title, ...(c.username ? { username: c.username } : {}) };
}

/** getChat's ChatFullInfo: a few more fields than the short Chat. */
export function chatFullView(c: WorldChat): Json {
  return { ...chatView(c), accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: { unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false } };
}

export function memberView(world: World, c: WorldChat, u: WorldUser): Json {
  const user = userView(u);
  if (c.ownerId === u.id) return { status: 'creator', user, is_anonymous: false };
  if (c.admins.includes(u.id)) {
    const invite = world.canInvite(c.id, u.id);
    return {
      status: 'administrator', user, can_be_edited: false, is_anonymous: false, can_manage_chat: true, can_delete_messages: true,
      can_manage_video_chats: true, can_restrict_members: true, can_promote_members: false, can_change_info: true,
      can_invite_users: invite, can_post_stories: false, can_edit_stories: false, can_delete_stories: false,
      ...(c.type === 'channel' ? { can_post_messages: true, can_edit_messages: true } : { can_pin_messages: true, can_manage_topics: false }),
    };
  }
  if (world.isMember(c.id, u.id)) return { status: 'member', user };
  return { status: 'left', user };
}

/**
 * ChatInviteLink as a bot sees it: links created by someone else come with the second half of the
 * hash replaced by "..." (three ASCII dots: Telegram cuts the link and the Bot API server passes it
 * through; the Bot API's documentation prints the dots as "…").
 */
export function inviteLinkView(world: World, l: WorldLink, botId: bigint): Json {
  const creator = world.user(l.adminId);
  const shown = l.adminId === botId ? l.link : `https://t.me/+${l.hash.slice(0, Math.ceil(l.hash.length / 2))}...`;
  return {
    invite_link: shown, ...(creator ? { creator: userView(creator) } : {}), creates_join_request: l.requestNeeded, is_primary: l.permanent,
    is_revoked: l.revoked, ...(l.title ? { name: l.title } : {}), ...(l.expireDate ? { expire_date: l.expireDate } : {}),
    ...(l.usageLimit ? { member_limit: l.usageLimit } : {}), ...(l.requestNeeded ? { pending_join_request_count: world.requested(l.link) } : {}),
  };
}
