/**
 * The people one can be in the playable demo: the admin (the userbot's account, owner of the demo
 * chats), other admins of some chat, and a stranger who administers nothing; plus any user of the
 * world by @username or id.
 */
import type { World } from '../sandbox/world.js';

export interface CastMember {
  id: bigint;
  /** What to type after /as, and the prompt. */
  handle: string;
  description: string;
}

export function demoCast(world: World): CastMember[] {
  const chats = world.chats();
  const adminOf = (id: bigint) => chats.filter((c) => world.isAdmin(c.id, id));
  const name = (id: bigint) => {
    const u = world.user(id);
    return u ? [u.firstName, u.lastName].filter(Boolean).join(' ') : String(id);
  };
  const cast: CastMember[] = [{ id: world.self.id, handle: 'admin', description: `${name(world.self.id)}, owner of ${chats.map((c) => c.title).join(', ')}` }];
  const others = world.users().filter((u) => !u.isBot && u.id !== world.self.id && adminOf(u.id).length > 0);
  others.forEach((u, i) => {
    cast.push({ id: u.id, handle: others.length === 1 ? 'coadmin' : `coadmin${i + 1}`, description: `${name(u.id)}, admin of ${adminOf(u.id).map((c) => c.title).join(', ')}` });
  });
  const stranger = world.users().find((u) => !u.isBot && u.id !== world.self.id && adminOf(u.id).length === 0);
  if (stranger) cast.push({ id: stranger.id, handle: 'stranger', description: `${name(stranger.id)}, not an admin of any chat` });
  return cast;
}

/** A cast handle, a @username, or a numeric user id of the world. */
export function findCastMember(world: World, cast: CastMember[], who: string): CastMember | undefined {
  const wanted = who.trim();
  const byHandle = cast.find((c) => c.handle.toLowerCase() === wanted.toLowerCase());
  if (byHandle) return byHandle;
  const user = /^\d+$/.test(wanted)
    ? world.user(BigInt(wanted))
    : world.users().find((u) => u.username !== undefined && u.username.toLowerCase() === wanted.replace(/^@/, '').toLowerCase());
  if (!user || user.isBot) return undefined;
  const known = cast.find((c) => c.id === user.id);
  if (known) return known;
  const isAdmin = world.chats().some((c) => world.isAdmin(c.id, user.id));
  return { id: user.id, handle: user.username ? `@${user.username}` : String(user.id), description: `${[user.firstName, user.lastName].filter(Boolean).join(' ')}${isAdmin ? ', an admin' : ', not an admin'}` };
}
