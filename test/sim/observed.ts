/**
 * What the account could have seen: every row a listing returned, with when it was first seen.
 * The oracle judges the store against this (and the world), never against facts no listing showed.
 */
import { tryParseInviteLink } from '../../src/domain/invite-link.js';
import type { BotUpdate } from './bot-feed.js';
import type { Listing, LogRead } from './sim-source.js';

export interface SeenStay {
  chatId: bigint;
  link: string;
  userId: bigint;
  date: number;
  approvedBy: bigint | null;
  firstAt: number;
}

export interface SeenRequest {
  chatId: bigint;
  userId: bigint;
  date: number;
  about: string | null;
  /** Links whose own pending list showed it. */
  links: Set<string>;
  firstAt: number;
}

export const stayKey = (chatId: bigint, link: string, userId: bigint, date: number): string => `${chatId}|${link}|${userId}|${date}`;
export const requestKey = (chatId: bigint, userId: bigint, date: number): string => `${chatId}|${userId}|${date}`;

export class Observed {
  readonly stays = new Map<string, SeenStay>();
  readonly requests = new Map<string, SeenRequest>();
  /** Joins the bot showed, under the whole link its cut one stands for (the store holds them there once it knows that link). */
  readonly botStays = new Map<string, SeenStay>();
  /** Requests the bot showed with no link: through the public username (the bot can tell, unlike a non-owner's listing). */
  readonly botUsernameRequests = new Set<string>();
  /** Approvals the admin log or the bot showed (chat|user|join date → approver): through the username too. */
  readonly logApprovals = new Map<string, bigint>();

  /** A join the admin log showed is a stay the account saw (under the link as shown: whole, or cut). */
  addLog(r: LogRead): void {
    for (const e of r.events) {
      const a = e.action;
      if (a.kind !== 'join') continue;
      if (a.approvedBy !== undefined) this.logApprovals.set(`${r.chatId}|${e.userId}|${e.date}`, a.approvedBy);
      if (!a.link) continue;
      const link = shownLink(a.link.shown);
      const key = stayKey(r.chatId, link, e.userId, e.date);
      if (!this.stays.has(key)) this.stays.set(key, { chatId: r.chatId, link, userId: e.userId, date: e.date, approvedBy: a.approvedBy ?? null, firstAt: r.at });
    }
  }

  /** What the bot was told: a request, or a join (under its link as shown) with its approver. */
  addBot(u: BotUpdate, at: number, whole: (chatId: bigint, shown: string, creatorId: bigint) => string | undefined): void {
    const chatId = BigInt(u.payload.chat.id);
    if (u.type === 'chat_join_request') {
      const r = u.payload;
      const key = requestKey(chatId, BigInt(r.from.id), r.date);
      if (!this.requests.has(key)) this.requests.set(key, { chatId, userId: BigInt(r.from.id), date: r.date, about: r.bio ?? null, links: new Set(), firstAt: at });
      if (!r.invite_link) this.botUsernameRequests.add(key);
      return;
    }
    const m = u.payload;
    if (m.new_chat_member.status !== 'member') return;
    const userId = BigInt(m.new_chat_member.user.id);
    const approval = (m.via_join_request === true || m.invite_link?.creates_join_request === true) && m.from.id !== m.new_chat_member.user.id;
    const approvedBy = approval ? BigInt(m.from.id) : null;
    if (approvedBy !== null) this.logApprovals.set(`${chatId}|${userId}|${m.date}`, approvedBy);
    const link = m.invite_link && whole(chatId, m.invite_link.invite_link, BigInt(m.invite_link.creator.id));
    if (!link) return;
    const key = stayKey(chatId, link, userId, m.date);
    if (!this.botStays.has(key)) this.botStays.set(key, { chatId, link, userId, date: m.date, approvedBy, firstAt: at });
  }

  add(l: Listing): void {
    for (const r of l.rows) {
      if (l.kind === 'joins' && l.link !== undefined && !r.requested) {
        const key = stayKey(l.chatId, l.link, r.userId, r.date);
        if (!this.stays.has(key)) {
          this.stays.set(key, { chatId: l.chatId, link: l.link, userId: r.userId, date: r.date, approvedBy: r.approvedBy ?? null, firstAt: l.at });
        }
      } else if (l.kind === 'requests' && r.requested) {
        const key = requestKey(l.chatId, r.userId, r.date);
        let seen = this.requests.get(key);
        if (!seen) {
          seen = { chatId: l.chatId, userId: r.userId, date: r.date, about: r.about ?? null, links: new Set(), firstAt: l.at };
          this.requests.set(key, seen);
        }
        if (l.link !== undefined) seen.links.add(l.link);
      }
    }
  }
}

/** A link as a live source showed it: cut ("...") as it came, whole in its canonical form. */
function shownLink(shown: string): string {
  return /(?:\.\.\.|…)$/.test(shown) ? shown : (tryParseInviteLink(shown)?.link ?? shown);
}
