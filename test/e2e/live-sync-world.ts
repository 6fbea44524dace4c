/**
 * For the live-sync e2e tests: a world with two admins' links and a public username, seeded random
 * activity after the first sync (joins through many links and the username, leaves, removals,
 * re-joins, requests through links and the username, decisions made elsewhere, a revoked and an
 * edited link), and a comparison of the store with the world as this account may know it.
 */
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { World, type WorldChat, type WorldLink } from '../../src/sandbox/world.js';
import type { Store } from '../../src/store/index.js';

export const SELF = 7000001n;
export const CO_ADMIN = 7000002n;
export const START = 1767225600;

/** A chat `self` owns (`owner`) or only admins (the co-admin owns it), links by both, a username. */
export function liveWorld(o: { owner: boolean }): { world: World; mtChat: bigint; chatId: bigint } {
  const mtChat = 1700000001n;
  const world = World.fromScenario({
    self: { id: Number(SELF), first_name: 'Moderator' },
    bot: { id: 8000001, first_name: 'Joinwatch', username: 'joinwatch_bot' },
    users: [{ id: Number(CO_ADMIN), first_name: 'Co' }],
    chats: [{
      id: Number(mtChat), type: 'supergroup', title: 'Live', username: 'live_chat',
      owner_id: Number(o.owner ? SELF : CO_ADMIN), admins: [Number(SELF), Number(CO_ADMIN)],
    }],
  });
  world.setClock(() => START);
  for (let i = 0; i < 4; i++) world.createLink(mtChat, { adminId: SELF, title: `mine ${i}`, requestNeeded: i === 3 });
  for (let i = 0; i < 3; i++) world.createLink(mtChat, { adminId: CO_ADMIN, title: `theirs ${i}`, requestNeeded: i === 2 });
  return { world, mtChat, chatId: botApiChatIdFromChannel(mtChat) };
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/**
 * `steps` world changes, one every `spacing` seconds of world time (the clock moves). `leavesOnlyOf`:
 * only people who were members before these steps leave (nothing begins and ends unseen).
 */
export function randomActivity(world: World, mtChat: bigint, o: { seed: number; steps: number; spacing?: number; firstUser: bigint; leavesOnlyOf?: Set<bigint> }): void {
  const r = rng(o.seed);
  const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(r() * xs.length)];
  let next = o.firstUser;
  let clock = world.now();
  const people: bigint[] = [];
  for (let i = 0; i < o.steps; i++) {
    clock += o.spacing ?? 7;
    world.setClock(() => clock);
    const open = world.links(mtChat, { revoked: false });
    const roll = r();
    const members = world.importers(mtChat, { requested: false, offsetDate: 0, offsetUser: 0n, limit: 10_000 }).rows.map((x) => x.userId);
    const pending = world.importers(mtChat, { requested: true, offsetDate: 0, offsetUser: 0n, limit: 10_000 }).rows.map((x) => x.userId);
    try {
      if (roll < 0.3) {
        const again = r() < 0.3 ? pick(people.filter((p) => !world.isMember(mtChat, p) && !world.pendingRequest(mtChat, p))) : undefined;
        const who = again ?? newUser(world, next++, people);
        const link = r() < 0.15 ? null : pick(open.filter((l) => !l.requestNeeded));
        world.addJoin(mtChat, { userId: who, link: link === undefined ? null : link?.link ?? null, viaChatlist: r() < 0.1 });
      } else if (roll < 0.5) {
        const who = r() < 0.3 ? pick(people.filter((p) => !world.isMember(mtChat, p))) ?? newUser(world, next++, people) : newUser(world, next++, people);
        const link = r() < 0.25 ? null : pick(open.filter((l) => l.requestNeeded));
        world.addRequest(mtChat, { userId: who, link: link?.link ?? null, about: `bio ${i}` });
      } else if (roll < 0.7) {
        const who = pick(o.leavesOnlyOf ? members.filter((m) => o.leavesOnlyOf!.has(m)) : members);
        if (who !== undefined) world.leave(mtChat, who, { kicked: r() < 0.3 });
      } else if (roll < 0.9) {
        const who = pick(pending);
        if (who !== undefined) world.resolveRequest(mtChat, who, r() < 0.6, r() < 0.5 ? CO_ADMIN : SELF);
      } else if (roll < 0.95) {
        const l = pick(open.filter((x) => !x.permanent));
        if (l) world.editLink(l.link, { title: `edited ${i}` });
      } else {
        const l = pick(open.filter((x) => !x.requestNeeded && x.adminId === SELF));
        if (l && open.length > 4) world.revokeLink(l.link);
      }
    } catch {
      // A refused change (a member asking, someone already gone) is simply not made.
    }
  }
}

function newUser(world: World, id: bigint, people: bigint[]): bigint {
  world.addUser({ id, firstName: `P${id}` });
  people.push(id);
  return id;
}

/** The link as this account's store names it: whole when it may see it whole, else cut as the admin log shows it. */
export function expectedLink(chat: WorldChat, me: bigint, link: WorldLink | undefined): string | null {
  if (!link) return null;
  if (chat.ownerId === me || link.adminId === me) return link.link;
  return `https://t.me/+${link.hash.slice(0, Math.ceil(link.hash.length / 2))}...`;
}

export interface Diff {
  missing: string[];
  extra: string[];
}

/**
 * Stays begun at or after `since` (the first sync): the world's (members now and ended stays)
 * against the store's, by person, date, link as known, and how it ended. `exactLeaves`: the log
 * saw every leave (date and how exact); otherwise (a gap longer than the log keeps) a stay only has
 * to be closed, and only stays through links count (no listing shows one without a link).
 */
export function compareStays(world: World, store: Store, mtChat: bigint, me: bigint, since: number, o: { exactLeaves: boolean }): Diff {
  const chat = world.chat(mtChat)!;
  const chatId = botApiChatIdFromChannel(mtChat);
  const linkOf = (l: string | null) => (l === null ? null : expectedLink(chat, me, world.link(l)));
  const key = (userId: bigint, date: number, link: string | null, leftAt: number | null, how: string | null) =>
    `${userId}@${date} ${link ?? '-'} ${leftAt === null ? 'member' : o.exactLeaves ? `${how}@${leftAt}` : 'ended'}`;
  const want = new Set<string>();
  for (const r of world.importers(mtChat, { requested: false, offsetDate: 0, offsetUser: 0n, limit: 1e9 }).rows) {
    if (r.date >= since && (o.exactLeaves || r.link !== null)) want.add(key(r.userId, r.date, linkOf(r.link), null, null));
  }
  for (const s of world.history(mtChat).ended) {
    if (s.date >= since && (o.exactLeaves || s.link !== null)) want.add(key(s.userId, s.date, linkOf(s.link), s.leftAt, s.kicked ? 'kicked' : 'left'));
  }
  const got = new Set<string>();
  const rows = store.db
    .prepare('SELECT j.user_id, j.date, l.link, j.left_at, j.left_how FROM joins j LEFT JOIN invite_links l ON l.id = j.link_id WHERE j.chat_id = ? AND j.date >= ?')
    .all(chatId, since) as { user_id: bigint; date: bigint; link: string | null; left_at: bigint | null; left_how: string | null }[];
  for (const r of rows) if (o.exactLeaves || r.link !== null) got.add(key(BigInt(r.user_id), Number(r.date), r.link, r.left_at === null ? null : Number(r.left_at), r.left_how));
  return diff(want, got);
}

/**
 * Requests asked at or after `since`: pending ones by person, date (and link when this account can
 * name it); decided ones by outcome as the account can know it — an approval with its approver
 * (the admin log names both, through the username too), a decline or a withdrawal as declined or
 * gone. A request asked and decided between two checks was never seen: it is only counted
 * (`unseen`), the rest must match exactly. `logGap`: approvals through the username made while the
 * log was not followed are left out (no source shows them any more).
 */
export function compareRequests(
  world: World,
  store: Store,
  mtChat: bigint,
  me: bigint,
  since: number,
  o: { logGap?: boolean } = {},
): Diff & { decidedSeen: number; unseen: number } {
  const chat = world.chat(mtChat)!;
  const chatId = botApiChatIdFromChannel(mtChat);
  const own = (l: string | null) => {
    const link = l === null ? undefined : world.link(l);
    return link && (chat.ownerId === me || link.adminId === me) ? link.link : null;
  };
  const want = new Set<string>();
  for (const r of world.importers(mtChat, { requested: true, offsetDate: 0, offsetUser: 0n, limit: 1e9 }).rows) {
    if (r.date >= since) want.add(`${r.userId}@${r.date} pending ${own(r.link) ?? '-'}`);
  }
  const skip = new Set<string>();
  for (const d of world.history(mtChat).decided) {
    if (d.date < since) continue;
    // After a gap longer than the log keeps, an approval through the username is no longer visible anywhere.
    if (o.logGap && d.outcome === 'approved' && d.link === null) {
      skip.add(`${d.userId}@${d.date}`);
      continue;
    }
    want.add(`${d.userId}@${d.date} ${d.outcome === 'approved' ? `approved by ${d.by}` : 'closed'}`);
  }
  const got = new Set<string>();
  const stored = new Set<string>();
  const rows = store.db
    .prepare('SELECT user_id, date, link, status, decided_by FROM join_requests WHERE chat_id = ? AND date >= ?')
    .all(chatId, since) as { user_id: bigint; date: bigint; link: string | null; status: string; decided_by: bigint | null }[];
  for (const r of rows) {
    const head = `${BigInt(r.user_id)}@${Number(r.date)}`;
    if (skip.has(head)) continue;
    stored.add(head);
    if (r.status === 'pending') got.add(`${head} pending ${r.link ?? '-'}`);
    else if (r.status === 'approved') got.add(`${head} approved by ${r.decided_by === null ? null : BigInt(r.decided_by)}`);
    else got.add(`${head} closed`);
  }
  const seen = new Set([...want].filter((k) => stored.has(k.slice(0, k.indexOf(' ')))));
  return { ...diff(seen, got), decidedSeen: [...seen].filter((k) => !k.includes(' pending')).length, unseen: want.size - seen.size };
}

function diff(want: Set<string>, got: Set<string>): Diff {
  return { missing: [...want].filter((k) => !got.has(k)).sort(), extra: [...got].filter((k) => !want.has(k)).sort() };
}
