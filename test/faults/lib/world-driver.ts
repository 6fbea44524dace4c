/**
 * Keeps the world changing while joinwatch runs and gets killed, as chats churn on Telegram
 * (telegram-semantics.md): people join, leave or are removed, join again, ask to join, get approved
 * or declined elsewhere (in a Telegram app), ask again after a decline, and links get revoked. Each
 * change is an action with a weight; the suite picks them with its seeded random numbers. The kill
 * suite compares the final export with the world's whole story (compare.ts), stays that ended included.
 */
import { randomName } from '../../../src/sandbox/generate-scenario.js';
import type { World } from '../../../src/sandbox/world.js';
import { CHAT_A, CHAT_B, LINKS_A, LINKS_B, REQUEST_LINKS, SELF } from './world.js';

export interface WorldAction {
  name: string;
  weight: number;
  /** Makes one change; false when it could not (nothing to decide, no link left to revoke). */
  run(world: World, r: () => number, newUser: () => bigint): boolean;
}

const CHATS = [
  { id: CHAT_A, links: LINKS_A },
  { id: CHAT_B, links: LINKS_B },
];
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const openLinks = (world: World, links: readonly string[], requestNeeded: boolean) =>
  links.filter((l) => REQUEST_LINKS.has(l) === requestNeeded && world.link(l)?.revoked === false);

export const DEFAULT_ACTIONS: WorldAction[] = [
  {
    name: 'join',
    weight: 40,
    run(world, r, newUser) {
      const chat = pick(r, CHATS);
      const links = openLinks(world, chat.links, false);
      if (links.length === 0) return false;
      world.addJoin(chat.id, { userId: newUser(), link: pick(r, links) });
      return true;
    },
  },
  {
    name: 'request',
    weight: 30,
    run(world, r, newUser) {
      const chat = pick(r, CHATS);
      const links = openLinks(world, chat.links, true);
      const link = links.length > 0 && r() < 0.7 ? pick(r, links) : null;
      world.addRequest(chat.id, { userId: newUser(), link, ...(r() < 0.3 ? { about: 'hi <b>admins</b> & "friends"' } : {}) });
      return true;
    },
  },
  {
    name: 'decided elsewhere',
    weight: 20,
    run(world, r) {
      const chat = pick(r, CHATS);
      const pending = world.importers(chat.id, { requested: true, offsetDate: 0, offsetUser: 0n, limit: 100 }).rows;
      if (pending.length === 0) return false;
      world.resolveRequest(chat.id, pick(r, pending).userId, r() < 0.6, SELF);
      return true;
    },
  },
  {
    name: 'leave',
    weight: 12,
    run: (world, r) => leave(world, r, false),
  },
  {
    name: 'removed by an admin',
    weight: 4,
    run: (world, r) => leave(world, r, true),
  },
  {
    name: 're-join',
    weight: 8,
    run(world, r) {
      const chat = pick(r, CHATS);
      const links = openLinks(world, chat.links, false);
      const gone = world.history(chat.id).ended.filter((s) => !world.isMember(chat.id, s.userId) && !world.pendingRequest(chat.id, s.userId));
      if (links.length === 0 || gone.length === 0) return false;
      world.addJoin(chat.id, { userId: pick(r, gone).userId, link: pick(r, links) });
      return true;
    },
  },
  {
    name: 'asks again after a decline',
    weight: 8,
    run(world, r) {
      const chat = pick(r, CHATS);
      const declined = world.history(chat.id).decided.filter((d) => d.outcome === 'declined' && !world.isMember(chat.id, d.userId) && !world.pendingRequest(chat.id, d.userId));
      if (declined.length === 0) return false;
      const links = openLinks(world, chat.links, true);
      world.addRequest(chat.id, { userId: pick(r, declined).userId, link: links.length > 0 && r() < 0.7 ? pick(r, links) : null });
      return true;
    },
  },
  {
    name: 'revoke a link',
    weight: 1,
    run(world, r) {
      const chat = pick(r, CHATS);
      // Keep one open link of each kind per chat, so joins and requests go on.
      const candidates = [false, true].flatMap((req) => {
        const open = openLinks(world, chat.links, req);
        return open.length > 1 ? open.slice(1) : [];
      });
      if (candidates.length === 0) return false;
      world.revokeLink(pick(r, candidates));
      return true;
    },
  },
];

/** A member (joined through any link, or none) leaves, or is removed by an admin. */
function leave(world: World, r: () => number, kicked: boolean): boolean {
  const chat = pick(r, CHATS);
  const members = world.importers(chat.id, { requested: false, offsetDate: 0, offsetUser: 0n, limit: 1_000_000 }).rows;
  if (members.length === 0) return false;
  world.leave(chat.id, pick(r, members).userId, { kicked });
  return true;
}

export interface WorldDriver {
  /** One change now. */
  step(): void;
  /** A change every `everyMs` (± half) until `stop`. */
  start(everyMs: number): void;
  stop(): void;
  readonly counts: Record<string, number>;
}

export function worldDriver(world: World, r: () => number, actions: readonly WorldAction[] = DEFAULT_ACTIONS): WorldDriver {
  let nextUser = 9_600_000n + BigInt(Math.floor(r() * 100_000)) * 10n;
  const newUser = (): bigint => {
    const id = nextUser++;
    const name = randomName(r, 0.4);
    world.addUser({ id, firstName: name.firstName, ...(name.lastName ? { lastName: name.lastName } : {}) });
    return id;
  };
  const counts: Record<string, number> = Object.fromEntries(actions.map((a) => [a.name, 0]));
  const total = actions.reduce((n, a) => n + a.weight, 0);
  let timer: NodeJS.Timeout | undefined;
  const step = (): void => {
    let x = r() * total;
    const action = actions.find((a) => (x -= a.weight) < 0) ?? actions[0]!;
    if (action.run(world, r, newUser)) counts[action.name] = (counts[action.name] ?? 0) + 1;
  };
  return {
    step,
    start(everyMs) {
      const tick = (): void => {
        step();
        timer = setTimeout(tick, everyMs * (0.5 + r()));
      };
      timer = setTimeout(tick, everyMs);
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
    counts,
  };
}
