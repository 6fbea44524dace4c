/**
 * Turns world events into the updates a bot would get: `chat_join_request` for new requests in
 * chats where the bot may invite users, `chat_member` for joins, leaves and removals in chats
 * where it is an admin (only when asked for in allowed_updates; the queue decides), and
 * `chat_member` / `my_chat_member` when an admin's rights change. Returns an unsubscribe function.
 */
import type { Id, World, WorldImporter } from '../world.js';
import { chatView, inviteLinkView, memberView, userView, type Json } from './views.js';

const DAY = 86_400;

/** Where the updates go: the Bot API server's queue (or the model check's delivery, test/sim/bot-feed.ts). */
export interface UpdateSink {
  updates: { push(type: string, payload: unknown): unknown };
}

export function bridgeWorldUpdates(world: World, state: UpdateSink): () => void {
  const botId = world.bot.id;
  const link = (row: WorldImporter): Json => {
    const l = row.link ? world.link(row.link) : undefined;
    return l ? { invite_link: inviteLinkView(world, l, botId) } : {};
  };
  const fresh = (row: WorldImporter): boolean => row.date >= world.now() - DAY;
  const onRequest = (chatId: bigint, row: WorldImporter): void => {
    const chat = world.chat(chatId);
    const user = world.user(row.userId);
    if (!chat || !user || !fresh(row) || !world.canInvite(chatId, botId)) return;
    state.updates.push('chat_join_request', {
      chat: chatView(chat), from: userView(user), user_chat_id: Number(user.id), date: row.date,
      ...(row.about ? { bio: row.about } : {}), ...link(row),
    });
  };
  const onJoin = (chatId: bigint, row: WorldImporter): void => {
    const chat = world.chat(chatId);
    const user = world.user(row.userId);
    if (!chat || !user || !fresh(row) || !world.isAdmin(chatId, botId) || user.id === botId) return;
    const actor = row.approvedBy !== undefined ? world.user(row.approvedBy) ?? user : user;
    const member = userView(user);
    state.updates.push('chat_member', {
      chat: chatView(chat), from: userView(actor), date: row.date,
      old_chat_member: { status: 'left', user: member }, new_chat_member: { status: 'member', user: member },
      ...link(row),
      ...(row.approvedBy !== undefined && row.link === null ? { via_join_request: true } : {}),
      ...(row.viaChatlist ? { via_chat_folder_invite_link: true } : {}),
    });
  };
  const onLeave = (chatId: bigint, row: WorldImporter, how: { date: number; kicked: boolean }): void => {
    const chat = world.chat(chatId);
    const user = world.user(row.userId);
    if (!chat || !user || how.date < world.now() - DAY || !world.isAdmin(chatId, botId) || user.id === botId) return;
    // A removal is done by an admin; the sandbox does not say which one, so the owner stands in.
    const actor = how.kicked ? world.user(chat.ownerId) ?? user : user;
    const member = userView(user);
    state.updates.push('chat_member', {
      chat: chatView(chat), from: userView(actor), date: how.date,
      old_chat_member: { status: 'member', user: member },
      new_chat_member: how.kicked ? { status: 'kicked', user: member, until_date: 0 } : { status: 'left', user: member },
    });
  };
  // An admin promoted, demoted or given other rights: `my_chat_member` when it is the bot itself
  // (always sent), `chat_member` for anyone else (only when asked for, and the bot is an admin).
  const onAdmin = (chatId: Id, userId: Id, before: { admin: boolean; canInvite: boolean }): void => {
    const chat = world.chat(chatId);
    const user = world.user(userId);
    if (!chat || !user) return;
    const isBot = userId === botId;
    if (!isBot && !world.isAdmin(chatId, botId)) return;
    const now = memberView(world, chat, user);
    const old = before.admin
      ? { ...memberView(world, chat, user), status: 'administrator', can_invite_users: before.canInvite }
      : { status: 'member', user: userView(user) };
    const owner = world.user(chat.ownerId) ?? user;
    state.updates.push(isBot ? 'my_chat_member' : 'chat_member', {
      chat: chatView(chat), from: userView(owner), date: world.now(), old_chat_member: old, new_chat_member: now,
    });
  };
  world.on('request', onRequest);
  world.on('join', onJoin);
  world.on('leave', onLeave);
  world.on('admin', onAdmin);
  return () => {
    world.off('request', onRequest);
    world.off('join', onJoin);
    world.off('leave', onLeave);
    world.off('admin', onAdmin);
  };
}
