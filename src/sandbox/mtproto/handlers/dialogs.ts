/**
 * Chats: messages.getDialogs (how a userbot learns the access hash of a private chat it admins),
 * channels.getChannels, channels.getFullChannel (with requests_pending for admins) and
 * messages.getChats.
 */
import { Api } from 'telegram';
import { userMethod, type HandlerEntry, type UserContext } from '../context.js';
import { badRequest } from '../errors.js';
import { channelOfInput } from '../peers.js';
import { big, channelTl, peerOf, recentRequesters, toNative, usersTl } from '../tl.js';

function getDialogs(_req: Api.messages.GetDialogs, ctx: UserContext): Api.messages.Dialogs {
  const world = ctx.server.world;
  const chats = world.chatsOf(ctx.me);
  return new Api.messages.Dialogs({
    dialogs: chats.map(
      (c) =>
        new Api.Dialog({
          peer: peerOf(c),
          topMessage: 1,
          readInboxMaxId: 0,
          readOutboxMaxId: 0,
          unreadCount: 0,
          unreadMentionsCount: 0,
          unreadReactionsCount: 0,
          notifySettings: new Api.PeerNotifySettings({}),
          pts: 1,
        }),
    ),
    // Every dialog has a top message (GramJS's Dialog reads its date): the chat's creation.
    messages: chats.map(
      (c) =>
        new Api.MessageService({
          id: 1,
          peerId: peerOf(c),
          date: world.now(),
          action: new Api.MessageActionChannelCreate({ title: c.title }),
        }),
    ),
    chats: chats.map((c) => channelTl(world, c, ctx.me)),
    users: [],
  });
}

function getChannels(req: Api.channels.GetChannels, ctx: UserContext): Api.messages.Chats {
  const world = ctx.server.world;
  const inputs = (req.id as unknown[]).filter((i) => !(i instanceof Api.InputChannelEmpty));
  return new Api.messages.Chats({ chats: inputs.map((i) => channelTl(world, channelOfInput(ctx, i), ctx.me)) });
}

function getChats(req: Api.messages.GetChats, ctx: UserContext): Api.messages.Chats {
  // The sandbox has no basic groups; ids that name one of its channels are answered anyway.
  const world = ctx.server.world;
  const chats = req.id
    .map((id) => world.chat(toNative(id)))
    .filter((c) => c !== undefined)
    .map((c) => channelTl(world, c, ctx.me));
  return new Api.messages.Chats({ chats });
}

function getFullChannel(req: Api.channels.GetFullChannel, ctx: UserContext): Api.messages.ChatFull {
  const world = ctx.server.world;
  const chat = channelOfInput(ctx, req.channel);
  if (chat.username === undefined && !world.isMember(chat.id, ctx.me)) throw badRequest('CHANNEL_PRIVATE');
  const admin = world.canInvite(chat.id, ctx.me);
  const pending = admin ? world.pendingCount(chat.id) : 0;
  const recent = pending > 0 ? recentRequesters(world, chat.id) : [];
  const full = new Api.ChannelFull({
    id: big(chat.id),
    about: '',
    adminsCount: new Set([chat.ownerId, ...chat.admins]).size,
    readInboxMaxId: 0,
    readOutboxMaxId: 0,
    unreadCount: 0,
    chatPhoto: new Api.PhotoEmpty({ id: big(0) }),
    notifySettings: new Api.PeerNotifySettings({}),
    botInfo: [],
    pts: 1,
    ...(admin ? { requestsPending: pending, recentRequesters: recent.map((id) => big(id)) } : {}),
  });
  return new Api.messages.ChatFull({ fullChat: full, chats: [channelTl(world, chat, ctx.me)], users: usersTl(world, recent, ctx.me) });
}

export const dialogHandlers: [string, HandlerEntry][] = [
  userMethod(Api.messages.GetDialogs, getDialogs),
  userMethod(Api.channels.GetChannels, getChannels),
  userMethod(Api.messages.GetChats, getChats),
  userMethod(Api.channels.GetFullChannel, getFullChannel),
];
