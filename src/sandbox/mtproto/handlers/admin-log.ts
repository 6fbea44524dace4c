/**
 * channels.getAdminLog: the chat's admin log as world-access.ts reads it (48 hours, newest first,
 * ≤ 100, min_id/max_id, the filter), in TL: joins by link, by approved request (the public
 * username's requests as chatInvitePublicJoinRequests), plain joins, leaves, removals
 * (ParticipantToggleBan) and link edits, revocations and deletions, each link as the caller may see it.
 */
import { Api } from 'telegram';
import type { WorldChat, WorldLink } from '../../world.js';
import { adminLogPage, channelOfCaller, shownLink } from '../../world-access.js';
import type { AdminLogAction, AdminLogEvent, AdminLogFilterKind } from '../../world-admin-log.js';
import { userMethod, type HandlerEntry, type UserContext } from '../context.js';
import { badRequest } from '../errors.js';
import { big, channelTl, inviteTl, toNative, usersTl } from '../tl.js';

function getAdminLog(req: Api.channels.GetAdminLog, ctx: UserContext): Api.channels.AdminLogResults {
  const world = ctx.server.world;
  if (!(req.channel instanceof Api.InputChannel)) throw badRequest('CHANNEL_INVALID');
  const chat = channelOfCaller(world, ctx.me, toNative(req.channel.channelId), toNative(req.channel.accessHash));
  const events = adminLogPage(world, ctx.me, chat, {
    maxId: toNative(req.maxId),
    minId: toNative(req.minId),
    limit: req.limit,
    cap: ctx.server.maxPageSize,
    filter: filterOf(req.eventsFilter),
  });
  const userIds: bigint[] = [];
  const tl = events.map((e) => {
    userIds.push(e.actorId, ...usersOf(e.action));
    return new Api.ChannelAdminLogEvent({ id: big(e.id), date: e.date, userId: big(e.actorId), action: actionTl(ctx, chat, e) });
  });
  return new Api.channels.AdminLogResults({ events: tl, chats: [channelTl(world, chat, ctx.me)], users: usersTl(world, userIds, ctx.me) });
}

function filterOf(f: Api.TypeChannelAdminLogEventsFilter | undefined | null): Set<AdminLogFilterKind> | undefined {
  if (!f) return undefined;
  const kinds = new Set<AdminLogFilterKind>();
  if (f.join) kinds.add('join');
  if (f.leave) kinds.add('leave');
  if (f.kick) kinds.add('kick');
  if (f.ban) kinds.add('ban');
  if (f.invites) kinds.add('invites');
  return kinds;
}

function usersOf(a: AdminLogAction): bigint[] {
  switch (a.kind) {
    case 'join':
      return a.row.approvedBy !== undefined ? [a.row.approvedBy] : [];
    case 'kick':
      return [a.userId];
    case 'link-edit':
      return [a.after.adminId];
    case 'link-revoke':
    case 'link-delete':
      return [a.link.adminId];
    default:
      return [];
  }
}

function actionTl(ctx: UserContext, chat: WorldChat, e: AdminLogEvent): Api.TypeChannelAdminLogEventAction {
  const invite = (l: WorldLink): Api.ChatInviteExported => {
    const t = inviteTl(ctx.server.world, l);
    t.link = shownLink(ctx.me, chat, l);
    return t;
  };
  const a = e.action;
  switch (a.kind) {
    case 'join': {
      // The link as it was (a link deleted since still names the join).
      const link = a.link;
      if (a.row.approvedBy !== undefined) {
        return new Api.ChannelAdminLogEventActionParticipantJoinByRequest({
          invite: link ? invite(link) : new Api.ChatInvitePublicJoinRequests(),
          approvedBy: big(a.row.approvedBy),
        });
      }
      if (!link) return new Api.ChannelAdminLogEventActionParticipantJoin();
      return new Api.ChannelAdminLogEventActionParticipantJoinByInvite({ invite: invite(link), ...(a.row.viaChatlist ? { viaChatlist: true } : {}) });
    }
    case 'leave':
      return new Api.ChannelAdminLogEventActionParticipantLeave();
    case 'kick':
      return new Api.ChannelAdminLogEventActionParticipantToggleBan({
        prevParticipant: new Api.ChannelParticipant({ userId: big(a.userId), date: a.joinedAt }),
        newParticipant: new Api.ChannelParticipantBanned({
          left: true,
          peer: new Api.PeerUser({ userId: big(a.userId) }),
          kickedBy: big(e.actorId),
          date: e.date,
          bannedRights: new Api.ChatBannedRights({ viewMessages: true, untilDate: 0 }),
        }),
      });
    case 'link-edit':
      return new Api.ChannelAdminLogEventActionExportedInviteEdit({ prevInvite: invite(a.before), newInvite: invite(a.after) });
    case 'link-revoke':
      return new Api.ChannelAdminLogEventActionExportedInviteRevoke({ invite: invite(a.link) });
    case 'link-delete':
      return new Api.ChannelAdminLogEventActionExportedInviteDelete({ invite: invite(a.link) });
  }
}

export const adminLogHandlers: [string, HandlerEntry][] = [userMethod(Api.channels.GetAdminLog, getAdminLog)];
