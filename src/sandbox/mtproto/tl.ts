/**
 * World values as GramJS TL objects. Every user carries its access_hash: the client builds the
 * next `offset_user` (and any InputPeer) from what it was given here.
 */
import { Api } from 'telegram';
import { returnBigInt } from 'telegram/Helpers.js';
import type { World, WorldChat, WorldLink, WorldUser } from '../world.js';

export const big = (v: bigint | number): ReturnType<typeof returnBigInt> => returnBigInt(v);

/** A TL value the dispatcher can put in rpc_result. */
export interface TlValue {
  getBytes(): Buffer;
}

export function userTl(u: WorldUser, selfId: bigint | undefined): Api.User {
  return new Api.User({
    id: big(u.id),
    accessHash: big(u.accessHash),
    firstName: u.firstName,
    ...(u.lastName !== undefined ? { lastName: u.lastName } : {}),
    ...(u.username !== undefined ? { username: u.username } : {}),
    ...(u.id === selfId ? { self: true } : {}),
    // `bot` and `bot_info_version` share flags.14: a bot without a version would not parse.
    ...(u.isBot ? { bot: true, botInfoVersion: 1 } : {}),
  });
}

/** Users by id, skipping ids the world does not know (a deleted account is simply absent). */
export function usersTl(world: World, ids: Iterable<bigint>, selfId: bigint | undefined): Api.User[] {
  const out: Api.User[] = [];
  const seen = new Set<bigint>();
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    const u = world.user(id);
    if (u) out.push(userTl(u, selfId));
  }
  return out;
}

const INVITE_ADMIN_RIGHTS = { changeInfo: true, deleteMessages: true, banUsers: true, inviteUsers: true, pinMessages: true, manageCall: true, other: true };

export function channelTl(world: World, c: WorldChat, callerId: bigint | undefined): Api.Channel {
  const isOwner = callerId !== undefined && c.ownerId === callerId;
  const isAdmin = callerId !== undefined && world.isAdmin(c.id, callerId);
  const canInvite = callerId !== undefined && world.canInvite(c.id, callerId);
  return new Api.Channel({
    id: big(c.id),
    accessHash: big(c.accessHash),
    title: c.title,
    ...(c.username !== undefined ? { username: c.username } : {}),
    photo: new Api.ChatPhotoEmpty(),
    date: 0,
    ...(c.type === 'supergroup' ? { megagroup: true } : { broadcast: true }),
    ...(isOwner ? { creator: true } : {}),
    ...(isAdmin ? { adminRights: new Api.ChatAdminRights({ ...INVITE_ADMIN_RIGHTS, inviteUsers: canInvite, addAdmins: isOwner }) } : {}),
  });
}

export function peerOf(c: WorldChat): Api.PeerChannel {
  return new Api.PeerChannel({ channelId: big(c.id) });
}

/**
 * `usage` and `requested` are derived from the world; Telegram leaves zero counters out. The link
 * goes out in the spelling Telegram keeps for it (a legacy `t.me/joinchat/` link keeps that form).
 */
export function inviteTl(world: World, l: WorldLink): Api.ChatInviteExported {
  const usage = world.usage(l.link);
  const requested = world.requested(l.link);
  return new Api.ChatInviteExported({
    link: l.raw ?? l.link,
    adminId: big(l.adminId),
    date: l.date,
    ...(l.revoked ? { revoked: true } : {}),
    ...(l.permanent ? { permanent: true } : {}),
    ...(l.requestNeeded ? { requestNeeded: true } : {}),
    ...(l.expireDate !== undefined ? { expireDate: l.expireDate } : {}),
    ...(l.usageLimit !== undefined ? { usageLimit: l.usageLimit } : {}),
    ...(usage > 0 ? { usage } : {}),
    ...(requested > 0 ? { requested } : {}),
    ...(l.title !== undefined ? { title: l.title } : {}),
  });
}

/** Newest three pending requesters, as `recent_requesters` shows them. */
export function recentRequesters(world: World, chatId: bigint): bigint[] {
  return world.importers(chatId, { link: null, requested: true, offsetDate: 0, offsetUser: 0n, limit: 3 }).rows.map((r) => r.userId);
}

/** A bare Vector<T> result (users.getUsers answers one, not a wrapper object). */
export function vectorOf(items: TlValue[]): TlValue {
  return {
    getBytes(): Buffer {
      const head = Buffer.alloc(8);
      head.writeUInt32LE(0x1cb5c415, 0);
      head.writeInt32LE(items.length, 4);
      return Buffer.concat([head, ...items.map((i) => i.getBytes())]);
    },
  };
}

/** A GramJS long (big-integer) as a native bigint. */
export function toNative(v: ReturnType<typeof returnBigInt> | bigint): bigint {
  if (typeof v === 'bigint') return v;
  const inner = (v as unknown as { value?: unknown }).value;
  return typeof inner === 'bigint' ? inner : BigInt(v.toString());
}

/**
 * An optional (flags) field of a parsed request: GramJS reads an absent one as null (false for
 * `true` flags), while its types say undefined; this accepts both.
 */
export function opt<T>(v: T | null | undefined): T | undefined {
  return v === null ? undefined : v;
}
