/**
 * The world's invite links, each with its own indexes (its current members and its pending
 * requests), found in any spelling (t.me/joinchat/…, tg://join?invite=…). A link created in the
 * legacy `t.me/joinchat/HASH` form keeps that spelling (`raw`): listings return it so.
 */
import { ImporterIndex } from './importer-index.js';
import { canonicalInviteLink } from './scenario.js';
import { accessHashFor, WorldError, type Id, type WorldImporter, type WorldLink } from './world-types.js';

export interface LinkState {
  link: WorldLink;
  joins: ImporterIndex<WorldImporter>;
  pending: ImporterIndex<WorldImporter>;
}

export class WorldLinks {
  private readonly byUrl = new Map<string, LinkState>();
  private readonly byChat = new Map<Id, LinkState[]>();
  private seq = 0;

  /** The link in any spelling. */
  get(link: string): LinkState | undefined {
    const exact = this.byUrl.get(link);
    if (exact) return exact;
    const canon = canonicalInviteLink(link);
    return canon ? this.byUrl.get(canon.link) : undefined;
  }

  /** A link of this chat; unknown or another chat's is INVITE_HASH_EXPIRED. */
  ofChat(chatId: Id, link: string): LinkState {
    const state = this.get(link);
    if (!state || state.link.chatId !== chatId) throw new WorldError('INVITE_HASH_EXPIRED');
    return state;
  }

  byHash(hash: string): LinkState | undefined {
    return this.byUrl.get(`https://t.me/+${hash}`);
  }

  /** The chat's links, newest first by (date, link). */
  list(chatId: Id, opts: { adminId?: Id; revoked?: boolean } = {}): WorldLink[] {
    const out: WorldLink[] = [];
    for (const { link } of this.byChat.get(chatId) ?? []) {
      if (opts.adminId !== undefined && link.adminId !== opts.adminId) continue;
      if (opts.revoked !== undefined && link.revoked !== opts.revoked) continue;
      out.push(link);
    }
    return out.sort((a, b) => b.date - a.date || (a.link < b.link ? 1 : a.link > b.link ? -1 : 0));
  }

  create(chatId: Id, l: Partial<WorldLink> & { adminId: Id }, now: number): WorldLink {
    const given = l.link ?? (l.hash ? `https://t.me/+${l.hash}` : undefined);
    const canon = given ? canonicalInviteLink(given) : this.fresh(chatId);
    if (!canon) throw new WorldError('INVITE_HASH_INVALID');
    if (this.byUrl.has(canon.link)) throw new WorldError('INVITE_HASH_DUPLICATE');
    const link: WorldLink = { permanent: false, revoked: false, requestNeeded: false, date: now, ...l, ...canon, chatId };
    if (given && /\/joinchat\//i.test(given)) link.raw = `https://t.me/joinchat/${canon.hash}`;
    else delete link.raw;
    const state: LinkState = { link, joins: new ImporterIndex(), pending: new ImporterIndex() };
    this.byUrl.set(link.link, state);
    this.byChat.set(chatId, [...(this.byChat.get(chatId) ?? []), state]);
    return link;
  }

  /** Forgets a (revoked) link: no longer listed nor found; its members stay members. */
  delete(link: WorldLink): void {
    this.byUrl.delete(link.link);
    const rest = (this.byChat.get(link.chatId) ?? []).filter((s) => s.link !== link);
    this.byChat.set(link.chatId, rest);
  }

  /** Deterministic fresh hash: restarts of the same scenario name links created at run time alike. */
  private fresh(chatId: Id): { link: string; hash: string } {
    for (;;) {
      const n = ++this.seq;
      const hash = `sbx${accessHashFor('chat', chatId * 1000003n + BigInt(n)).toString(36).replace('-', 'Z')}`;
      if (!this.byUrl.has(`https://t.me/+${hash}`)) return { link: `https://t.me/+${hash}`, hash };
    }
  }
}
