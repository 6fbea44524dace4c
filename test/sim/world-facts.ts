/** The sandbox world's whole story per chat (what is, and what ended), in the store's id forms. */
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import type { World, WorldChat, WorldLink } from '../../src/sandbox/world.js';

export interface WorldStayFact {
  chatId: bigint;
  link: string | null;
  userId: bigint;
  date: number;
  approvedBy: bigint | null;
  /** null: a member now. */
  leftAt: number | null;
}

export interface WorldRequestFact {
  chatId: bigint;
  userId: bigint;
  link: string | null;
  date: number;
  about: string | null;
  outcome: 'pending' | 'approved' | 'declined' | 'withdrawn';
  by: bigint | null;
  at: number | null;
}

export interface ChatFacts {
  chat: WorldChat;
  chatId: bigint;
  links: WorldLink[];
  stays: WorldStayFact[];
  requests: WorldRequestFact[];
}

const ALL = Number.MAX_SAFE_INTEGER;

export function worldFacts(world: World): ChatFacts[] {
  return world.chats().map((chat) => {
    const chatId = botApiChatIdFromChannel(chat.id);
    const current = world.importers(chat.id, { requested: false, offsetDate: 0, offsetUser: 0n, limit: ALL }).rows;
    const pending = world.importers(chat.id, { requested: true, offsetDate: 0, offsetUser: 0n, limit: ALL }).rows;
    const { ended, decided } = world.history(chat.id);
    const stays: WorldStayFact[] = [
      ...current.map((r) => ({ chatId, link: r.link, userId: r.userId, date: r.date, approvedBy: r.approvedBy ?? null, leftAt: null })),
      ...ended.map((r) => ({ chatId, link: r.link, userId: r.userId, date: r.date, approvedBy: r.approvedBy ?? null, leftAt: r.leftAt })),
    ];
    const requests: WorldRequestFact[] = [
      ...pending.map((r) => ({ chatId, userId: r.userId, link: r.link, date: r.date, about: r.about ?? null, outcome: 'pending' as const, by: null, at: null })),
      ...decided.map((d) => ({ chatId, userId: d.userId, link: d.link, date: d.date, about: d.about ?? null, outcome: d.outcome, by: d.by, at: d.at })),
    ];
    return { chat, chatId, links: world.links(chat.id), stays, requests };
  });
}

/** May this account list the link's members and requests? The owner every link, an admin its own. */
export function listable(chat: WorldChat, me: bigint, link: WorldLink): boolean {
  return chat.ownerId === me || link.adminId === me;
}
