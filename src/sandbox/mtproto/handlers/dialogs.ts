/**
 * Chats: messages.getDialogs (how a userbot learns the access hash of a private chat it admins),
 * channels.getChannels, channels.getFullChannel (with requests_pending for admins) and
 * messages.getChats.
 */
import { Api } from 'telegram';
import { dialogsPage, TOP_MESSAGE, type DialogPosition } from '../../world-access.js';
import { userMethod, type HandlerEntry, type UserContext } from '../context.js';
import { badRequest } from '../errors.js';
import { channelOfInput } from '../peers.js';
import { big, channelTl, peerOf, recentRequesters, toNative, usersTl } from '../tl.js';

/** Where the previous page ended: (offset_date, offset_id, offset_peer); an empty peer sorts last. */
function offsetOf(req: Api.messages.GetDialogs): DialogPosition | undefined {
  if (!req.offsetDate) return undefined;
  const peer = req.offsetPeer instanceof Api.InputPeerChannel ? toNative(req.offsetPeer.channelId) : 2n ** 63n;
  return { date: req.offsetDate, messageId: req.offsetId, peerId: peer };
}

function getDialogs(req: Api.messages.GetDialogs, ctx: UserContext): Api.messages.TypeDialogs {
  const world = ctx.server.world;
  const { count, chats } = dialogsPage(world, ctx.me, offsetOf(req), req.limit, ctx.server.maxPageSize);
  const parts = {
    dialogs: chats.map(
      (c) =>
        new Api.Dialog({
          peer: peerOf(c),
          topMessage: TOP_MESSAGE.id,
          readInboxMaxId: 0,
          readOutboxMaxId: 0,
          unreadCount: 0,
          unreadMentionsCount: 0,
          unreadReactionsCount: 0,
          notifySettings: new Api.PeerNotifySettings({}),
          pts: 1,
        }),
    ),
    // Every dialog has a top message (GramJS's Dialog reads its date).
    messages: chats.map(
      (c) =>
        new Api.MessageService({
          id: TOP_MESSAGE.id,
          peerId: peerOf(c),
          date: TOP_MESSAGE.date,
          action: new Api.MessageActionChannelCreate({ title: c.title }),
        }),
    ),
    chats: chats.map((c) => channelTl(world, c, ctx.me)),
    users: [],
  };
  // A slice when the account has more dialogs than this answer holds, as Telegram does.
  return count > chats.length || offsetOf(req) ? new Api.messages.DialogsSlice({ count, ...parts }) : new Api.messages.Dialogs(parts);
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
