/**
 * joinwatch's `InviteSource` over an in-process sandbox World, for the model check and unit tests.
 * It applies exactly the rules of the sandbox's MTProto server (both call world-access.ts) and
 * maps failures as the GramJS adapter does (sourceErrorOf). Faults, hooks and the record of what
 * was listed are SimSource's (sim-source.ts), which wraps this or the real GramJS adapter alike.
 */
import { botApiChatIdFromChannel, channelIdFromBotApiChatId, isChannelChatId, parseId } from '../../src/domain/chat-id.js';
import { tryParseInviteLink } from '../../src/domain/invite-link.js';
import { World, WorldError, type WorldChat, type WorldImporter, type WorldLink, type WorldUser } from '../../src/sandbox/world.js';
import { adminLogPage, adminsWithInvites, channelOfCaller, exportedInvites, inviteImporters, shownLink } from '../../src/sandbox/world-access.js';
import type { AdminLogEvent as WorldLogEvent } from '../../src/sandbox/world-admin-log.js';
import type {
  AdminLogEvent,
  AdminLogPage,
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

export interface WorldSourceOptions {
  /** The account; default the world's self. */
  me?: bigint;
  /** Server-side page cap (Telegram: 100). */
  pageCap?: number;
  /** Serve channels.getAdminLog (the live sync's ordinary cycle); without it every cycle is a full one. */
  adminLog?: boolean;
}

export class WorldSource implements InviteSource {
  /** Users answered as "min" users, without an access hash (Telegram does that at times). */
  readonly minUsers = new Set<bigint>();
  private readonly me: bigint;
  private readonly resolved = new Map<string, SourceChat>();

  constructor(
    readonly world: World,
    private readonly o: WorldSourceOptions = {},
  ) {
    this.me = o.me ?? world.self.id;
    if (o.adminLog) this.readAdminLog = (chatId, q) => Promise.resolve(this.logPage(chatId, q));
  }

  readAdminLog?: (chatId: bigint, q: { minId: bigint; maxId: bigint; limit: number }) => Promise<AdminLogPage>;

  /** channels.getAdminLog with the live filters, as the GramJS adapter reads it (src/telegram/admin-log.ts). */
  private logPage(chatId: bigint, q: { minId: bigint; maxId: bigint; limit: number }): AdminLogPage {
    return this.call(() => {
      const chat = this.chat(chatId);
      // The admin log's own cap (100), whatever the model check's cap on listings.
      const events = adminLogPage(this.world, this.me, chat, { ...q, cap: 100, filter: new Set(['join', 'leave', 'kick', 'invites'] as const) });
      const users = new Set<bigint>();
      const out = events.flatMap((e) => {
        const ev = this.logEvent(chat, e);
        if (ev) users.add(ev.userId);
        return ev ? [ev] : [];
      });
      return { events: out, users: [...users].flatMap((id) => { const u = this.world.user(id); return u ? [toSourceUser(u)] : []; }), returned: events.length, lowestId: events.at(-1)?.id };
    });
  }

  private logEvent(chat: WorldChat, e: WorldLogEvent): AdminLogEvent | undefined {
    const a = e.action;
    const link = (l: WorldLink) => ({ shown: shownLink(this.me, chat, l), adminId: l.adminId, title: l.title, revoked: l.revoked });
    const base = { id: e.id, date: e.date, userId: e.actorId };
    switch (a.kind) {
      case 'join':
        return { ...base, action: { kind: 'join', link: a.link ? link(a.link) : null, viaChatlist: a.row.viaChatlist, approvedBy: a.row.approvedBy } };
      case 'leave':
        return { ...base, action: { kind: 'leave' } };
      case 'kick':
        return { ...base, userId: a.userId, action: { kind: 'kick' } };
      case 'link-edit':
        return { ...base, action: { kind: 'link', change: 'edit', link: link(a.after) } };
      case 'link-revoke':
        return { ...base, action: { kind: 'link', change: 'revoke', link: link(a.link) } };
      case 'link-delete':
        return { ...base, action: { kind: 'link', change: 'delete', link: link(a.link) } };
    }
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
    const chat = this.call(() => this.findChat(ref));
    const found = this.sourceChat(chat);
    this.resolved.set(key, found);
    return found;
  }

  async listAdminsWithLinks(chatId: bigint): Promise<AdminWithLinks[]> {
    return this.call(() =>
      adminsWithInvites(this.world, this.me, this.chat(chatId)).map((a) => ({ adminId: a.adminId, activeCount: a.active, revokedCount: a.revoked })),
    );
  }

  async listLinks(chatId: bigint, q: { adminId: bigint; revoked: boolean; after?: LinkCursor | undefined; limit: number }): Promise<LinkPage> {
    return this.call(() => {
      const admin = this.world.user(q.adminId);
      if (!admin) throw new WorldError('USER_ID_INVALID');
      const { count, links } = exportedInvites(this.world, this.me, this.chat(chatId), {
        admin, revoked: q.revoked, offsetDate: q.after?.date, offsetLink: q.after?.link, limit: q.limit, cap: this.cap,
      });
      return { count, links: links.flatMap((l) => this.sourceLink(l)), users: [toSourceUser(admin)] };
    });
  }

  async listJoins(chatId: bigint, q: { link: string; after?: ImporterCursor | undefined; limit: number }): Promise<ImporterPage> {
    return this.importers(chatId, { requested: false, link: q.link, after: q.after, limit: q.limit });
  }

  async listRequests(chatId: bigint, q: { link?: string | undefined; after?: ImporterCursor | undefined; limit: number }): Promise<ImporterPage> {
    return this.importers(chatId, { requested: true, link: q.link, after: q.after, limit: q.limit });
  }

  private get cap(): number {
    return this.o.pageCap ?? 100;
  }

  private importers(chatId: bigint, q: { requested: boolean; link?: string | undefined; after?: ImporterCursor | undefined; limit: number }): ImporterPage {
    return this.call(() => {
      const { count, rows, users } = inviteImporters(this.world, this.me, this.chat(chatId), {
        requested: q.requested,
        link: q.link,
        offsetDate: q.after?.date ?? 0,
        offsetUser: q.after && { id: q.after.userId, accessHash: q.after.accessHash },
        limit: q.limit,
        cap: this.cap,
      });
      return { count, rows: rows.map(toSourceImporter), users: users.map((u) => ({ ...toSourceUser(u), ...(this.minUsers.has(u.id) ? { accessHash: 0n } : {}) })) };
    });
  }

  /** Errors as the GramJS adapter maps them. */
  private call<T>(run: () => T): T {
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
