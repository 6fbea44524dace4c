/**
 * What a Bot API update says happened, as the store's live facts (store/live.ts): a join request,
 * a join (through which link, approved by whom, from a chat folder) or a leave or removal. Pure:
 * no store, no network. An update that is no membership change (a promotion, a restriction of a
 * member, a channel as member) says nothing here.
 */
import type { ChatInviteLink, ChatJoinRequest, ChatMember, ChatMemberUpdated, User } from 'grammy/types';
import type { LiveJoinFact, LiveLeaveFact, LiveRequestFact, ShownLink, UserInput } from '../store/index.js';

export type MemberChange = { kind: 'join'; fact: LiveJoinFact } | { kind: 'leave'; fact: LiveLeaveFact };

export function userInput(u: User): UserInput {
  return { id: BigInt(u.id), accessHash: null, username: u.username ?? null, firstName: u.first_name, lastName: u.last_name ?? '' };
}

function shownLink(l: ChatInviteLink | undefined): ShownLink | null {
  if (!l || typeof l.invite_link !== 'string') return null;
  return { shown: l.invite_link, creatorId: BigInt(l.creator.id), name: l.name ?? null };
}

export function requestFact(r: ChatJoinRequest): LiveRequestFact {
  return { userId: BigInt(r.from.id), date: r.date, about: r.bio ?? null, link: shownLink(r.invite_link), source: 'bot' };
}

/** In the chat as a member (the Bot API's statuses), or not. */
export function isIn(m: ChatMember): boolean {
  switch (m.status) {
    case 'creator':
    case 'administrator':
    case 'member':
      return true;
    case 'restricted':
      return m.is_member;
    default:
      return false;
  }
}

export function memberChange(u: ChatMemberUpdated): MemberChange | undefined {
  const person = u.new_chat_member.user;
  const was = isIn(u.old_chat_member);
  const is = isIn(u.new_chat_member);
  if (was === is) return undefined;
  const userId = BigInt(person.id);
  if (!is) {
    return { kind: 'leave', fact: { userId, date: u.date, how: u.new_chat_member.status === 'kicked' ? 'kicked' : 'left', source: 'bot' } };
  }
  // An approved request: the admin who approved it is the one who made the change.
  const approval = (u.via_join_request === true || u.invite_link?.creates_join_request === true) && u.from.id !== person.id;
  return {
    kind: 'join',
    fact: {
      userId, date: u.date, link: shownLink(u.invite_link), source: 'bot',
      ...(approval ? { approvedBy: BigInt(u.from.id) } : {}),
      ...(u.via_chat_folder_invite_link ? { viaChatlist: true } : {}),
    },
  };
}
