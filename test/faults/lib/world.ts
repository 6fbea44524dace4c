/**
 * The fault suite's world: two chats, a few people in every role the access matrix needs, and
 * names full of what breaks careless code (markup, right-to-left marks, emoji). Built from a
 * seed, so a failure replays.
 */
import { botApiChatIdFromChannel } from '../../../src/domain/chat-id.js';
import { randomName, rng } from '../../../src/sandbox/generate-scenario.js';
import { World } from '../../../src/sandbox/world.js';

export const SELF = 7000001n;
export const BOT = 8000001n;
/** Admin of both chats, with the invite right: the one who works the bot in the kill suite. */
export const ADMIN = 7100001n;
/** Admin of chat B only: "an admin of another chat" for chat A. */
export const ADMIN_B = 7100002n;
/** A member of chat A, admin of nothing. */
export const OUTSIDER = 7100003n;
/** Admin of chat A without the "Invite users" right: reads, may not decide. */
export const NO_INVITE = 7100004n;
export const CHAT_A = 1700000101n;
export const CHAT_B = 1700000102n;
export const botChat = (mtChat: bigint): bigint => botApiChatIdFromChannel(mtChat);

export const LINKS_A = ['https://t.me/+FaultA00000001', 'https://t.me/+FaultA00000002', 'https://t.me/+FaultA00000003', 'https://t.me/+FaultAReq00004'];
export const LINKS_B = ['https://t.me/+FaultB00000001', 'https://t.me/+FaultBReq00002'];
export const REQUEST_LINKS = new Set([LINKS_A[3]!, LINKS_B[1]!]);

export interface WorldSize {
  joinsA: number;
  pendingA: number;
  joinsB: number;
  pendingB: number;
}

export function faultWorld(seed: number, size: WorldSize): World {
  const r = rng(seed);
  const now = Math.floor(Date.now() / 1000);
  const users: Record<string, unknown>[] = [
    { id: Number(ADMIN), first_name: 'Alice', last_name: 'Admin', username: 'alice_admin' },
    { id: Number(ADMIN_B), first_name: 'Bob', last_name: 'OtherChat', username: 'bob_other' },
    { id: Number(OUTSIDER), first_name: 'Olga', last_name: '<b>Outsider</b>', username: 'olga_out' },
    { id: Number(NO_INVITE), first_name: 'Nina', last_name: 'NoInvite', username: 'nina_noinv' },
  ];
  let next = 9_100_000;
  const person = (): number => {
    const id = next++;
    const name = randomName(r, 0.4);
    users.push({ id, first_name: name.firstName, ...(name.lastName ? { last_name: name.lastName } : {}), ...(r() < 0.4 ? { username: `f${id.toString(36)}` } : {}) });
    return id;
  };
  const chat = (id: bigint, links: string[], joins: number, pending: number, extra: Record<string, unknown>) => ({
    id: Number(id),
    links: links.map((link, i) => ({ link, admin_id: Number(SELF), date: now - 86_400 * 20 + i, title: i === 0 ? 'Spring <ads> & "co"' : `Link ${i}`, request_needed: REQUEST_LINKS.has(link) })),
    joins: Array.from({ length: joins }, () => ({ user_id: person(), link: links[Math.floor(r() * (links.length - 1))]!, date: now - Math.floor(r() * 86_400 * 15) })),
    requests: Array.from({ length: pending }, (_, i) => ({ user_id: person(), link: i % 3 === 0 ? null : links.find((l) => REQUEST_LINKS.has(l))!, date: now - Math.floor(r() * 86_400 * 3), about: i % 4 === 0 ? 'I love <Rust> & "quotes" * _x_' : null })),
    ...extra,
  });
  return World.fromScenario({
    self: { id: Number(SELF), first_name: 'Moderator', username: 'mod_account' },
    bot: { id: Number(BOT), first_name: 'Joinwatch', username: 'joinwatch_bot' },
    users,
    chats: [
      chat(CHAT_A, LINKS_A, size.joinsA, size.pendingA, {
        type: 'supergroup', title: 'Fault <A> & Co', username: 'fault_chat_a', owner_id: Number(SELF),
        admins: [Number(SELF), Number(BOT), Number(ADMIN), Number(NO_INVITE)], admins_without_invite_rights: [Number(NO_INVITE)],
      }),
      chat(CHAT_B, LINKS_B, size.joinsB, size.pendingB, {
        type: 'channel', title: 'Fault B', owner_id: Number(SELF), admins: [Number(SELF), Number(BOT), Number(ADMIN), Number(ADMIN_B)],
      }),
    ],
  });
}
