/**
 * joinwatch's `InviteSource` over an in-process sandbox World, for the model check and unit tests.
 * It applies exactly the rules of the sandbox's MTProto server (both call world-access.ts) and
 * maps failures as the GramJS adapter does (sourceErrorOf), with what a test needs on top:
 *  - a hook before every Telegram call (the model check injects flood waits, a kill, or changes the
 *    world mid-cycle there);
 *  - Telegram's flood hold: a method that answered FLOOD_WAIT_X answers it again, with the seconds
 *    left, until X seconds have passed, and such calls are counted (the engine must not make them);
 *  - a record of every row each listing returned: what the account could have seen.
 */
import { botApiChatIdFromChannel, channelIdFromBotApiChatId, isChannelChatId, parseId } from '../../src/domain/chat-id.js';
import { tryParseInviteLink } from '../../src/domain/invite-link.js';
import { FloodHolds } from '../../src/sandbox/flood-holds.js';
import { World, WorldError, type WorldChat, type WorldImporter, type WorldLink, type WorldUser } from '../../src/sandbox/world.js';
import { adminsWithInvites, channelOfCaller, exportedInvites, inviteImporters } from '../../src/sandbox/world-access.js';
import type {
  AdminWithLinks,
  ImporterCursor,
  ImporterPage,
  InviteSource,
  LinkCursor,
  LinkPage,
  ResolveOptions,
  SourceChat,
  SourceImporter,
  SourceLink,
  SourceUser,
} from '../../src/sync/types.js';
import { SourceError } from '../../src/sync/types.js';
import { sourceErrorOf } from '../../src/telegram/errors.js';

import { TELEGRAM_METHOD as LISTING_METHOD, type SourceMethod } from '../../src/sync/metered-source.js';

export type { SourceMethod };

/** The Telegram method behind each InviteSource method (the engine's own table): flood waits bind these. */
export const TELEGRAM_METHOD: Record<SourceMethod, string> = { ...LISTING_METHOD, resolveChat: 'messages.getDialogs' };

export interface SourceCall {
  method: SourceMethod;
  chatId?: bigint | undefined;
  link?: string | undefined;
  after?: ImporterCursor | LinkCursor | undefined;
  /** World clock when the call was served. */
  at: number;
}

/** Rows one listing call returned. `link` undefined: the chat-wide pending list. */
export interface Listing {
  at: number;
  chatId: bigint; // Bot API form
  kind: 'joins' | 'requests';
  link?: string | undefined;
  rows: SourceImporter[];
}

export interface WorldSourceOptions {
  /** The account; default the world's self. */
  me?: bigint;
  /** Server-side page cap (Telegram: 100). */
  pageCap?: number;
  /** Runs before every call; may change the world or throw (a fault). */
  beforeCall?: (call: SourceCall) => void;
  onListing?: (l: Listing) => void;
}

export class WorldSource implements InviteSource {
  readonly calls: SourceCall[] = [];
  /** Calls made while Telegram held their method after a flood wait: the engine should make none. */
  readonly heldCalls: SourceCall[] = [];
  readonly holds: FloodHolds;
  /** Users answered as "min" users, without an access hash (Telegram does that at times). */
  readonly minUsers = new Set<bigint>();
  private readonly me: bigint;
  private readonly resolved = new Map<string, SourceChat>();

  constructor(
    readonly world: World,
    private readonly o: WorldSourceOptions = {},
  ) {
    this.me = o.me ?? world.self.id;
    this.holds = new FloodHolds(() => world.now());
  }

  count(method: SourceMethod, link?: string): number {
    return this.calls.filter((c) => c.method === method && (link === undefined || c.link === link)).length;
  }

  async self(): Promise<SourceUser> {
    return toSourceUser(this.world.user(this.me)!);
  }

  /** Like the GramJS adapter: from memory, else one call (by the stored access hash, or a dialogs search). */
  async resolveChat(ref: string | bigint, o: ResolveOptions = {}): Promise<SourceChat> {
    const key = String(ref).trim().toLowerCase();
    const cached = this.resolved.get(key);
    if (cached) return cached;
    const method = o.knownAccessHash !== undefined ? 'channels.getChannels' : 'messages.getDialogs';
    await o.beforeCall?.(method);
    const chat = await this.call({ method: 'resolveChat' }, () => this.findChat(ref));
    const found = this.sourceChat(chat);
    this.resolved.set(key, found);
    return found;
  }

  async listAdminsWithLinks(chatId: bigint): Promise<AdminWithLinks[]> {
    return this.call({ method: 'listAdminsWithLinks', chatId }, () =>
      adminsWithInvites(this.world, this.me, this.chat(chatId)).map((a) => ({ adminId: a.adminId, activeCount: a.active, revokedCount: a.revoked })),
    );
  }

  async listLinks(chatId: bigint, q: { adminId: bigint; revoked: boolean; after?: LinkCursor | undefined; limit: number }): Promise<LinkPage> {
    return this.call({ method: 'listLinks', chatId, after: q.after }, () => {
      const admin = this.world.user(q.adminId);
      if (!admin) throw new WorldError('USER_ID_INVALID');
      const { count, links } = exportedInvites(this.world, this.me, this.chat(chatId), {
        admin, revoked: q.revoked, offsetDate: q.after?.date, offsetLink: q.after?.link, limit: q.limit, cap: this.cap,
      });
      return { count, links: links.flatMap((l) => this.sourceLink(l)), users: [toSourceUser(admin)] };
    });
  }

  async listJoins(chatId: bigint, q: { link: string; after?: ImporterCursor | undefined; limit: number }): Promise<ImporterPage> {
    return this.importers(chatId, { requested: false, link: q.link, after: q.after, limit: q.limit }, 'listJoins');
  }

  async listRequests(chatId: bigint, q: { link?: string | undefined; after?: ImporterCursor | undefined; limit: number }): Promise<ImporterPage> {
    return this.importers(chatId, { requested: true, link: q.link, after: q.after, limit: q.limit }, 'listRequests');
  }

  private get cap(): number {
    return this.o.pageCap ?? 100;
  }

  private importers(
    chatId: bigint,
    q: { requested: boolean; link?: string | undefined; after?: ImporterCursor | undefined; limit: number },
    method: 'listJoins' | 'listRequests',
  ): Promise<ImporterPage> {
    return this.call({ method, chatId, link: q.link, after: q.after }, () => {
      const { count, rows, users } = inviteImporters(this.world, this.me, this.chat(chatId), {
        requested: q.requested,
        link: q.link,
        offsetDate: q.after?.date ?? 0,
        offsetUser: q.after && { id: q.after.userId, accessHash: q.after.accessHash },
        limit: q.limit,
        cap: this.cap,
      });
      const page = { count, rows: rows.map(toSourceImporter), users: users.map((u) => ({ ...toSourceUser(u), ...(this.minUsers.has(u.id) ? { accessHash: 0n } : {}) })) };
      const link = q.link === undefined ? undefined : (this.world.link(q.link)?.link ?? q.link);
      this.o.onListing?.({ at: this.world.now(), chatId, kind: q.requested ? 'requests' : 'joins', link, rows: page.rows });
      return page;
    });
  }

  /** One Telegram call: the hook, the flood hold, the call itself, errors as the GramJS adapter maps them. */
  private async call<T>(c: Omit<SourceCall, 'at'>, run: () => T): Promise<T> {
    const call: SourceCall = { ...c, at: this.world.now() };
    this.o.beforeCall?.(call);
    call.at = this.world.now();
    this.calls.push(call);
    const telegram = TELEGRAM_METHOD[c.method];
    const held = this.holds.remaining(telegram);
    if (held !== undefined) {
      this.heldCalls.push(call);
      throw new SourceError('FloodWait', `FLOOD_WAIT_${held}`, held);
    }
    try {
      return run();
    } catch (e) {
      if (e instanceof WorldError) throw sourceErrorOf(e.rpc);
      throw e;
    }
  }

  private findChat(ref: string | bigint): WorldChat {
    const text = String(ref).trim();
    if (text.startsWith('@')) {
      const chat = this.world.chatByUsername(text.slice(1));
      if (!chat || !this.world.isMember(chat.id, this.me)) throw new WorldError('USERNAME_NOT_OCCUPIED');
      return chat;
    }
    const id = typeof ref === 'bigint' ? ref : parseId(text);
    if (id === undefined || !isChannelChatId(id)) throw new SourceError('PeerInvalid', 'NOT_A_CHANNEL_ID');
    const chat = this.world.chat(channelIdFromBotApiChatId(id));
    if (!chat || !this.world.isMember(chat.id, this.me)) throw new SourceError('PeerInvalid', 'CHAT_NOT_IN_DIALOGS');
    return chat;
  }

  private chat(chatId: bigint): WorldChat {
    return channelOfCaller(this.world, this.me, channelIdFromBotApiChatId(chatId), undefined);
  }

  private sourceChat(chat: WorldChat): SourceChat {
    return {
      chatId: botApiChatIdFromChannel(chat.id),
      accessHash: chat.accessHash,
      title: chat.title,
      username: chat.username,
      type: chat.type,
      isOwner: chat.ownerId === this.me,
      selfId: this.me,
    };
  }

  private sourceLink(l: WorldLink): SourceLink[] {
    const parsed = tryParseInviteLink(l.raw ?? l.link);
    if (!parsed) return [];
    return [
      {
        link: parsed.link,
        raw: l.raw ?? l.link,
        hash: parsed.hash,
        adminId: l.adminId,
        date: l.date,
        title: l.title,
        permanent: l.permanent,
        revoked: l.revoked,
        requestNeeded: l.requestNeeded,
        expireDate: l.expireDate,
        usageLimit: l.usageLimit,
        usage: this.world.usage(l.link),
        requested: this.world.requested(l.link),
      },
    ];
  }
}

export function toSourceUser(u: WorldUser): SourceUser {
  return { id: u.id, accessHash: u.accessHash, firstName: u.firstName, lastName: u.lastName, username: u.username, isBot: u.isBot };
}

export function toSourceImporter(r: WorldImporter): SourceImporter {
  return { userId: r.userId, date: r.date, requested: r.requested, about: r.about, approvedBy: r.approvedBy, viaChatlist: r.viaChatlist };
}
