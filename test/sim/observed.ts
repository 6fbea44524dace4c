/**
 * What the account could have seen: every row a listing returned, with when it was first seen.
 * The oracle judges the store against this (and the world), never against facts no listing showed.
 */
import { tryParseInviteLink } from '../../src/domain/invite-link.js';
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
  /** Approvals the admin log showed (chat|user|join date → approver): through the username too. */
  readonly logApprovals = new Map<string, bigint>();

  /** A join the admin log showed is a stay the account saw (under the link as shown: whole, or cut). */
  addLog(r: LogRead): void {
    for (const e of r.events) {
      const a = e.action;
      if (a.kind !== 'join') continue;
      if (a.approvedBy !== undefined) this.logApprovals.set(`${r.chatId}|${e.userId}|${e.date}`, a.approvedBy);
      if (!a.link) continue;
      const link = /(?:\.\.\.|…)$/.test(a.link.shown) ? a.link.shown : (tryParseInviteLink(a.link.shown)?.link ?? a.link.shown);
      const key = stayKey(r.chatId, link, e.userId, e.date);
      if (!this.stays.has(key)) this.stays.set(key, { chatId: r.chatId, link, userId: e.userId, date: e.date, approvedBy: a.approvedBy ?? null, firstAt: r.at });
    }
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
