/**
 * Users: users.getUsers (getMe after every reconnect), users.getFullUser and
 * contacts.resolveUsername (a username may name a user or a public chat).
 */
import { Api } from 'telegram';
import { userMethod, type HandlerEntry, type UserContext } from '../context.js';
import { badRequest } from '../errors.js';
import { requireUser, userOfInput } from '../peers.js';
import { channelTl, peerOf, userTl, vectorOf, type TlValue } from '../tl.js';

function getUsers(req: Api.users.GetUsers, ctx: UserContext): TlValue {
  const users: Api.User[] = [];
  for (const input of req.id as unknown[]) {
    try {
      const u = userOfInput(ctx, input);
      if (u) users.push(userTl(u, ctx.me));
    } catch {
      // Telegram leaves out users it cannot resolve instead of failing the whole call.
    }
  }
  return vectorOf(users);
}

function getFullUser(req: Api.users.GetFullUser, ctx: UserContext): Api.users.UserFull {
  const u = requireUser(ctx, req.id);
  return new Api.users.UserFull({
    fullUser: new Api.UserFull({
      id: userTl(u, ctx.me).id,
      settings: new Api.PeerSettings({}),
      notifySettings: new Api.PeerNotifySettings({}),
      commonChatsCount: 0,
    }),
    chats: [],
    users: [userTl(u, ctx.me)],
  });
}

function resolveUsername(req: Api.contacts.ResolveUsername, ctx: UserContext): Api.contacts.ResolvedPeer {
  const name = req.username.replace(/^@/, '');
  if (!/^[A-Za-z0-9_]{1,32}$/.test(name)) throw badRequest('USERNAME_INVALID');
  const world = ctx.server.world;
  const user = world.userByUsername(name);
  if (user) {
    const tl = userTl(user, ctx.me);
    return new Api.contacts.ResolvedPeer({ peer: new Api.PeerUser({ userId: tl.id }), chats: [], users: [tl] });
  }
  const chat = world.chatByUsername(name);
  if (chat) return new Api.contacts.ResolvedPeer({ peer: peerOf(chat), chats: [channelTl(world, chat, ctx.me)], users: [] });
  throw badRequest('USERNAME_NOT_OCCUPIED');
}

export const userHandlers: [string, HandlerEntry][] = [
  userMethod(Api.users.GetUsers, getUsers),
  userMethod(Api.users.GetFullUser, getFullUser),
  userMethod(Api.contacts.ResolveUsername, resolveUsername),
];
