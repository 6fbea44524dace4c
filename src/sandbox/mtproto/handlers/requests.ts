/**
 * Join requests: messages.hideChatJoinRequest (one) and messages.hideAllChatJoinRequests (a
 * chat's or a link's). Both move the shared world, so the Bot API side sees the outcome.
 */
import { Api } from 'telegram';
import type { World, WorldChat } from '../../world.js';
import { chatLinkFor, requireInviteAdmin } from '../../world-access.js';
import { userMethod, type HandlerEntry, type UserContext } from '../context.js';
import { channelOfPeer, requireUser } from '../peers.js';
import { big, channelTl, opt, peerOf, recentRequesters, usersTl } from '../tl.js';

/** The chat's pending count as an Updates: the answer to a decision, and what is pushed to admins. */
function pendingUpdates(world: World, chat: WorldChat, touched: bigint[], me: bigint): Api.Updates {
  const recent = recentRequesters(world, chat.id);
  return new Api.Updates({
    updates: [
      new Api.UpdatePendingJoinRequests({
        peer: peerOf(chat),
        requestsPending: world.pendingCount(chat.id),
        recentRequesters: recent.map((id) => big(id)),
      }),
    ],
    users: usersTl(world, [...touched.slice(0, 100), ...recent], me),
    chats: [channelTl(world, chat, me)],
    date: world.now(),
    seq: 0,
  });
}

/** What the MTProto server pushes to an admin with invite rights when a chat's pending count changes. */
export function pendingJoinRequestsUpdates(world: World, chatId: bigint, me: bigint): Api.Updates | undefined {
  const chat = world.chat(chatId);
  return chat && pendingUpdates(world, chat, [], me);
}

/** What Telegram answers: the chat's new pending count, as an Updates. */
function pendingUpdate(ctx: UserContext, chat: WorldChat, touched: bigint[]): Api.Updates {
  return pendingUpdates(ctx.server.world, chat, touched, ctx.me);
}

function hideChatJoinRequest(req: Api.messages.HideChatJoinRequest, ctx: UserContext): Api.Updates {
  const chat = channelOfPeer(ctx, req.peer);
  requireInviteAdmin(ctx.server.world, ctx.me, chat);
  const user = requireUser(ctx, req.userId);
  ctx.server.world.resolveRequest(chat.id, user.id, !!req.approved, ctx.me);
  return pendingUpdate(ctx, chat, [user.id]);
}

function hideAllChatJoinRequests(req: Api.messages.HideAllChatJoinRequests, ctx: UserContext): Api.Updates {
  const world = ctx.server.world;
  const chat = channelOfPeer(ctx, req.peer);
  requireInviteAdmin(ctx.server.world, ctx.me, chat);
  const linkText = opt(req.link);
  const link = linkText !== undefined ? chatLinkFor(ctx.server.world, ctx.me, chat, linkText) : undefined;
  // Snapshot first, then resolve: resolving while paging would shift the cursor under us.
  const userIds: bigint[] = [];
  let offsetDate = 0;
  let offsetUser = 0n;
  for (;;) {
    const { rows } = world.importers(chat.id, { link: link?.link ?? null, requested: true, offsetDate, offsetUser, limit: 1000 });
    const last = rows[rows.length - 1];
    if (!last) break;
    for (const r of rows) userIds.push(r.userId);
    offsetDate = last.date;
    offsetUser = last.userId;
  }
  for (const id of userIds) world.resolveRequest(chat.id, id, !!req.approved, ctx.me);
  return pendingUpdate(ctx, chat, userIds);
}

export const requestHandlers: [string, HandlerEntry][] = [
  userMethod(Api.messages.HideChatJoinRequest, hideChatJoinRequest),
  userMethod(Api.messages.HideAllChatJoinRequests, hideAllChatJoinRequests),
];
