/**
 * channels.getAdminLog's events as the sync's plain `AdminLogEvent`s: the `join`, `leave`, `kick`
 * and `invites` filters, and each action read as telegram-semantics.md says (the joining or leaving
 * person is the event's user; a removal names the person in `new_participant`; a link may come
 * cut with "..." for another admin's link seen by a non-owner).
 */
import { Api } from 'telegram';
import type { AdminLogAction, AdminLogEvent, LogLink } from '../sync/types.js';

/** What the sync asks the admin log for: joins (plain, by link, by request), leaves, removals, link changes. */
export function liveEventsFilter(): Api.ChannelAdminLogEventsFilter {
  return new Api.ChannelAdminLogEventsFilter({ join: true, leave: true, kick: true, invites: true });
}

const big = (v: { toString(): string } | bigint): bigint => (typeof v === 'bigint' ? v : BigInt(v.toString()));

/** The event as the sync reads it; undefined for an action it does not act on. */
export function toAdminLogEvent(e: Api.TypeChannelAdminLogEvent): AdminLogEvent | undefined {
  const base = { id: big(e.id), date: e.date, userId: big(e.userId) };
  const a = e.action;
  let action: AdminLogAction | undefined;
  if (a instanceof Api.ChannelAdminLogEventActionParticipantJoinByInvite) {
    const link = logLink(a.invite);
    action = link ? { kind: 'join', link, viaChatlist: a.viaChatlist === true } : undefined;
  } else if (a instanceof Api.ChannelAdminLogEventActionParticipantJoinByRequest) {
    const link = a.invite instanceof Api.ChatInvitePublicJoinRequests ? null : logLink(a.invite);
    action = link === undefined ? undefined : { kind: 'join', link, viaChatlist: false, approvedBy: big(a.approvedBy) };
  } else if (a instanceof Api.ChannelAdminLogEventActionParticipantJoin) {
    action = { kind: 'join', link: null, viaChatlist: false };
  } else if (a instanceof Api.ChannelAdminLogEventActionParticipantLeave) {
    action = { kind: 'leave' };
  } else if (a instanceof Api.ChannelAdminLogEventActionParticipantToggleBan) {
    // A removal: the person is in new_participant (the event's user is the admin who removed them).
    const person = removedUser(a.newParticipant);
    if (person !== undefined) return { ...base, userId: person, action: { kind: 'kick' } };
  } else if (a instanceof Api.ChannelAdminLogEventActionExportedInviteEdit) {
    action = linkChange('edit', a.newInvite);
  } else if (a instanceof Api.ChannelAdminLogEventActionExportedInviteRevoke) {
    action = linkChange('revoke', a.invite);
  } else if (a instanceof Api.ChannelAdminLogEventActionExportedInviteDelete) {
    action = linkChange('delete', a.invite);
  }
  return action && { ...base, action };
}

function linkChange(change: 'edit' | 'revoke' | 'delete', invite: Api.TypeExportedChatInvite): AdminLogAction | undefined {
  const link = logLink(invite);
  return link && { kind: 'link', change, link };
}

function logLink(invite: Api.TypeExportedChatInvite): LogLink | undefined {
  if (!(invite instanceof Api.ChatInviteExported)) return undefined;
  return {
    shown: invite.link,
    adminId: big(invite.adminId),
    title: invite.title ?? undefined,
    revoked: invite.revoked === true,
  };
}

/** The person a ToggleBan removed (banned with view_messages, or left), if it removed one. */
function removedUser(p: Api.TypeChannelParticipant): bigint | undefined {
  if (!(p instanceof Api.ChannelParticipantBanned) && !(p instanceof Api.ChannelParticipantLeft)) return undefined;
  if (p instanceof Api.ChannelParticipantBanned && !p.bannedRights.viewMessages && !p.left) return undefined;
  return p.peer instanceof Api.PeerUser ? big(p.peer.userId) : undefined;
}
