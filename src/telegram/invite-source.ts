/**
 * `InviteSource` over GramJS: the raw MTProto methods of the semantics page, one call per page,
 * results turned into plain records with bigint ids, failures mapped by `errors.ts`.
 * It keeps the access hashes it has seen (chats, admins) so every later call forms its peers
 * without an extra round trip, as a real client does.
 */
import { Api, type TelegramClient } from 'telegram';
import { returnBigInt } from 'telegram/Helpers.js';
import { botApiChatIdFromChannel, channelIdFromBotApiChatId, isChannelChatId, parseId } from '../domain/chat-id.js';
import { tryParseInviteLink } from '../domain/invite-link.js';
import {
  SourceError,
  isSourceError,
  type AdminLogPage,
  type AdminWithLinks,
  type ImporterCursor,
  type ImporterPage,
  type InviteSource,
  type LinkQuery,
  type LinkPage,
  type ResolveOptions,
  type SourceChat,
  type SourceImporter,
  type SourceLink,
  type SourceUser,
  type TelegramMethod,
} from '../sync/types.js';
import { liveEventsFilter, toAdminLogEvent } from './admin-log.js';
import { onKeyUnknown } from './client.js';
import { mapErrors } from './errors.js';

interface KnownChannel {
  channelId: bigint;
  accessHash: bigint;
  chat: SourceChat;
}

type BeforeCall = (method: TelegramMethod) => Promise<void>;
const noMeter: BeforeCall = async () => undefined;

export class GramJsInviteSource implements InviteSource {
  private readonly channels = new Map<bigint, KnownChannel>(); // by Bot API chat id
  private readonly userHashes = new Map<bigint, bigint>();
  private me: SourceUser | undefined;
  /** Set once the server said it no longer knows the auth key: every call fails with it at once. */
  private keyLost: SourceError | undefined;
  private readonly waiting = new Set<(e: SourceError) => void>();

  constructor(
    private readonly client: TelegramClient,
    /** GramJS has no per-request timeout: a call lost with its connection would hang the cycle. */
    private readonly callTimeoutMs = 60_000,
  ) {
    onKeyUnknown(client, () => {
      this.keyLost ??= new SourceError('SessionRevoked', 'AUTH_KEY_UNKNOWN');
      for (const fail of this.waiting) fail(this.keyLost);
    });
  }

  async self(): Promise<SourceUser> {
    if (this.me) return this.me;
    const users = await this.call(() => this.client.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] })));
    const me = users.map(toSourceUser).find((u) => u !== undefined);
    if (!me) throw new SourceError('SessionRevoked', 'USER_SELF_MISSING');
    this.me = me;
    return me;
  }

  async resolveChat(ref: string | bigint, o: ResolveOptions = {}): Promise<SourceChat> {
    const selfId = (await this.self()).id;
    const meter = o.beforeCall ?? noMeter;
    if (typeof ref === 'string' && ref.trim().startsWith('@')) return this.resolveUsername(ref.trim().slice(1), selfId, meter);
    const id = typeof ref === 'bigint' ? ref : parseId(ref);
    if (id === undefined || !isChannelChatId(id)) throw new SourceError('PeerInvalid', 'NOT_A_CHANNEL_ID');
    const known =
      this.channels.get(id) ??
      (o.knownAccessHash !== undefined ? await this.byAccessHash(id, o.knownAccessHash, selfId, meter) : undefined) ??
      (await this.findInDialogs(id, selfId, meter));
    if (!known) throw new SourceError('PeerInvalid', 'CHAT_NOT_IN_DIALOGS');
    return known.chat;
  }

  async listAdminsWithLinks(chatId: bigint): Promise<AdminWithLinks[]> {
    const peer = this.peer(chatId);
    const res = await this.call(() => this.client.invoke(new Api.messages.GetAdminsWithInvites({ peer })));
    this.remember(res.users);
    return res.admins.map((a) => ({
      adminId: toBigint(a.adminId),
      activeCount: a.invitesCount,
      revokedCount: a.revokedInvitesCount,
    }));
  }

  async listLinks(chatId: bigint, q: LinkQuery): Promise<LinkPage> {
    const peer = this.peer(chatId);
    const adminId = await this.inputUser(q.adminId, q.adminAccessHash);
    const res = await this.call(() =>
      this.client.invoke(
        new Api.messages.GetExportedChatInvites({
          peer,
          adminId,
          revoked: q.revoked || undefined,
          // Both offsets share flag 2: send both or neither.
          ...(q.after ? { offsetDate: q.after.date, offsetLink: q.after.link } : {}),
          limit: q.limit,
        }),
      ),
    );
    this.remember(res.users);
    const links = res.invites.flatMap((i) => (i instanceof Api.ChatInviteExported ? toSourceLink(i) : []));
    return { count: res.count, links, users: usersOf(res.users) };
  }

  listJoins(chatId: bigint, q: { link: string; after?: ImporterCursor | undefined; limit: number }): Promise<ImporterPage> {
    return this.importers(chatId, { requested: false, link: q.link, after: q.after, limit: q.limit });
  }

  listRequests(chatId: bigint, q: { link?: string | undefined; after?: ImporterCursor | undefined; limit: number }): Promise<ImporterPage> {
    return this.importers(chatId, { requested: true, link: q.link, after: q.after, limit: q.limit });
  }

  async readAdminLog(chatId: bigint, q: { minId: bigint; maxId: bigint; limit: number }): Promise<AdminLogPage> {
    const known = this.channels.get(chatId);
    if (!known) throw new SourceError('PeerInvalid', 'CHAT_NOT_RESOLVED');
    const channel = new Api.InputChannel({ channelId: returnBigInt(known.channelId), accessHash: returnBigInt(known.accessHash) });
    const res = await this.call(() =>
      this.client.invoke(
        new Api.channels.GetAdminLog({ channel, q: '', eventsFilter: liveEventsFilter(), maxId: returnBigInt(q.maxId), minId: returnBigInt(q.minId), limit: q.limit }),
      ),
    );
    this.remember(res.users);
    const last = res.events.at(-1);
    return {
      events: res.events.flatMap((e) => toAdminLogEvent(e) ?? []),
      users: usersOf(res.users),
      returned: res.events.length,
      lowestId: last === undefined ? undefined : toBigint(last.id),
    };
  }

  private async importers(
    chatId: bigint,
    q: { requested: boolean; link?: string | undefined; after?: ImporterCursor | undefined; limit: number },
  ): Promise<ImporterPage> {
    const peer = this.peer(chatId);
    const offsetUser = q.after
      ? new Api.InputUser({ userId: returnBigInt(q.after.userId), accessHash: returnBigInt(q.after.accessHash) })
      : new Api.InputUserEmpty();
    const res = await this.call(() =>
      this.client.invoke(
        new Api.messages.GetChatInviteImporters({
          peer,
          requested: q.requested || undefined,
          link: q.link,
          offsetDate: q.after?.date ?? 0,
          offsetUser,
          limit: q.limit,
        }),
      ),
    );
    return { count: res.count, rows: res.importers.map(toSourceImporter), users: usersOf(res.users) };
  }

  private async resolveUsername(username: string, selfId: bigint, meter: BeforeCall): Promise<SourceChat> {
    if (!/^[A-Za-z0-9_]{4,32}$/.test(username)) throw new SourceError('PeerInvalid', 'USERNAME_INVALID');
    const cached = [...this.channels.values()].find((c) => c.chat.username?.toLowerCase() === username.toLowerCase());
    if (cached) return cached.chat;
    await meter('contacts.resolveUsername');
    const res = await this.call(() => this.client.invoke(new Api.contacts.ResolveUsername({ username })));
    const chat = res.chats.map((c) => this.rememberChannel(c, selfId)).find((c) => c !== undefined);
    if (!chat) throw new SourceError('PeerInvalid', 'NOT_A_CHANNEL');
    return chat.chat;
  }

  /** The chat by the access hash an earlier sync stored: one call, no search. A stale hash falls back to the search. */
  private async byAccessHash(chatId: bigint, accessHash: bigint, selfId: bigint, meter: BeforeCall): Promise<KnownChannel | undefined> {
    await meter('channels.getChannels');
    const channelId = channelIdFromBotApiChatId(chatId);
    const input = new Api.InputChannel({ channelId: returnBigInt(channelId), accessHash: returnBigInt(accessHash) });
    try {
      const res = await this.call(() => this.client.invoke(new Api.channels.GetChannels({ id: [input] })));
      for (const c of res.chats) this.rememberChannel(c, selfId);
    } catch (e) {
      if (!isSourceError(e, 'PeerInvalid') && !isSourceError(e, 'NotPermitted')) throw e;
    }
    return this.channels.get(chatId);
  }

  /**
   * A userbot learns a private chat's access hash from its dialogs, as official clients do: page by
   * page, each page after the whole (date, id, peer) offset of the previous one's last dialog (many
   * dialogs share a date), as far as the list goes.
   */
  private async findInDialogs(chatId: bigint, selfId: bigint, meter: BeforeCall): Promise<KnownChannel | undefined> {
    let offset: { date: number; id: number; peer: Api.TypeInputPeer } = { date: 0, id: 0, peer: new Api.InputPeerEmpty() };
    let seen = 0;
    for (;;) {
      await meter('messages.getDialogs');
      const res = await this.call(() =>
        this.client.invoke(
          new Api.messages.GetDialogs({ offsetDate: offset.date, offsetId: offset.id, offsetPeer: offset.peer, limit: 100, hash: returnBigInt(0) }),
        ),
      );
      if (res instanceof Api.messages.DialogsNotModified) return undefined;
      for (const c of res.chats) this.rememberChannel(c, selfId);
      this.remember(res.users);
      const found = this.channels.get(chatId);
      seen += res.dialogs.length;
      if (found || res.dialogs.length === 0 || !(res instanceof Api.messages.DialogsSlice) || seen >= res.count) return found;
      const next = nextDialogOffset(res);
      if (!next) return undefined;
      offset = next;
    }
  }

  private rememberChannel(c: Api.TypeChat, selfId: bigint): KnownChannel | undefined {
    if (!(c instanceof Api.Channel) || c.accessHash === undefined) return undefined;
    const channelId = toBigint(c.id);
    const chat: SourceChat = {
      chatId: botApiChatIdFromChannel(channelId),
      accessHash: toBigint(c.accessHash),
      title: c.title,
      username: c.username ?? undefined,
      type: c.broadcast ? 'channel' : 'supergroup',
      isOwner: c.creator === true,
      selfId,
    };
    const known = { channelId, accessHash: toBigint(c.accessHash), chat };
    this.channels.set(chat.chatId, known);
    return known;
  }

  private remember(users: Api.TypeUser[]): void {
    for (const u of users) {
      if (u instanceof Api.User && u.accessHash !== undefined && !u.min) this.userHashes.set(toBigint(u.id), toBigint(u.accessHash));
    }
  }

  private peer(chatId: bigint): Api.InputPeerChannel {
    const known = this.channels.get(chatId);
    // Only a chat passed through resolveChat has a known access hash.
    if (!known) throw new SourceError('PeerInvalid', 'CHAT_NOT_RESOLVED');
    return new Api.InputPeerChannel({ channelId: returnBigInt(known.channelId), accessHash: returnBigInt(known.accessHash) });
  }

  private async inputUser(userId: bigint, storedHash?: bigint): Promise<Api.TypeInputUser> {
    if (userId === (await this.self()).id) return new Api.InputUserSelf();
    const hash = this.userHashes.get(userId) ?? storedHash;
    if (hash === undefined) throw new SourceError('PeerInvalid', 'USER_HASH_UNKNOWN');
    return new Api.InputUser({ userId: returnBigInt(userId), accessHash: returnBigInt(hash) });
  }

  /**
   * One call, bounded: by the call timeout, and by the server forgetting the key (-404), which
   * fails it, and every call after it, at once instead of at the timeout.
   */
  private call<T>(fn: () => Promise<T>): Promise<T> {
    return mapErrors(async () => {
      if (this.keyLost) throw this.keyLost;
      let timer: NodeJS.Timeout | undefined;
      let fail: ((e: SourceError) => void) | undefined;
      const bounded = new Promise<never>((_, reject) => {
        fail = reject;
        this.waiting.add(reject);
        timer = setTimeout(() => reject(new SourceError('Transient', 'TIMEOUT')), this.callTimeoutMs);
      });
      const work = fn();
      work.catch(() => undefined); // settles after we gave up on it, or never
      try {
        return await Promise.race([work, bounded]);
      } finally {
        clearTimeout(timer);
        if (fail) this.waiting.delete(fail);
      }
    });
  }
}

function toBigint(v: { toString(): string } | bigint | number): bigint {
  return typeof v === 'bigint' ? v : BigInt(v.toString());
}

function toSourceUser(u: Api.TypeUser): SourceUser | undefined {
  if (!(u instanceof Api.User)) return undefined;
  return {
    id: toBigint(u.id),
    accessHash: u.accessHash === undefined ? 0n : toBigint(u.accessHash),
    firstName: u.firstName ?? '',
    lastName: u.lastName ?? undefined,
    username: u.username ?? undefined,
    isBot: u.bot === true,
  };
}

function usersOf(users: Api.TypeUser[]): SourceUser[] {
  return users.flatMap((u) => toSourceUser(u) ?? []);
}

function toSourceImporter(i: Api.ChatInviteImporter): SourceImporter {
  return {
    userId: toBigint(i.userId),
    date: i.date,
    requested: i.requested === true,
    about: i.about ?? undefined,
    approvedBy: i.approvedBy === undefined || i.approvedBy === null ? undefined : toBigint(i.approvedBy),
    viaChatlist: i.viaChatlist === true,
  };
}

/** Where the next dialogs page starts: the last dialog's top message (date, id) and its peer. */
function nextDialogOffset(res: Api.messages.DialogsSlice): { date: number; id: number; peer: Api.TypeInputPeer } | undefined {
  const last = res.dialogs.at(-1);
  if (!(last instanceof Api.Dialog) || !(last.peer instanceof Api.PeerChannel)) return undefined;
  const channelId = toBigint(last.peer.channelId);
  const message = res.messages.find(
    (m) => (m instanceof Api.Message || m instanceof Api.MessageService) && m.id === last.topMessage && m.peerId instanceof Api.PeerChannel && toBigint(m.peerId.channelId) === channelId,
  ) as Api.Message | Api.MessageService | undefined;
  const channel = res.chats.find((c) => c instanceof Api.Channel && toBigint(c.id) === channelId) as Api.Channel | undefined;
  if (!message || channel?.accessHash === undefined) return undefined;
  return {
    date: message.date,
    id: last.topMessage,
    peer: new Api.InputPeerChannel({ channelId: returnBigInt(channelId), accessHash: returnBigInt(toBigint(channel.accessHash)) }),
  };
}

function toSourceLink(i: Api.ChatInviteExported): SourceLink[] {
  const parsed = tryParseInviteLink(i.link);
  if (!parsed) return []; // not a join link (never seen in practice): nothing to sync through it
  return [
    {
      link: parsed.link,
      raw: i.link,
      hash: parsed.hash,
      adminId: toBigint(i.adminId),
      date: i.date,
      title: i.title ?? undefined,
      permanent: i.permanent === true,
      revoked: i.revoked === true,
      requestNeeded: i.requestNeeded === true,
      startDate: i.startDate ?? undefined,
      expireDate: i.expireDate ?? undefined,
      usageLimit: i.usageLimit ?? undefined,
      usage: i.usage ?? 0,
      requested: i.requested ?? 0,
    },
  ];
}
