/**
 * The sandbox's one in-memory Telegram: users, chats, invite links, members and pending requests.
 * Both sandbox servers (MTProto for GramJS, Bot API for grammY) read and change this one object, so
 * a request approved through one is seen by the other. Events ('join', 'leave', 'request',
 * 'resolved') let the Bot API server turn world changes into updates.
 *
 * Churn follows telegram-semantics.md: a member who leaves (or is removed) is no longer listed and
 * the link's `usage` goes down; joining again lists the person again with the new date; a member
 * can neither join again nor ask to; a declined person may ask again (one pending request per
 * person and chat).
 */
import { EventEmitter } from 'node:events';
import { AdminLog, type AdminLogAction } from './world-admin-log.js';
import { ChatPeople, idKey } from './world-chat.js';
import { parseScenario, type Scenario } from './scenario.js';
import { WorldLinks } from './world-links.js';
import { populateWorld, readScenarioFile, worldBase } from './world-load.js';
import {
  accessHashFor,
  noFaults,
  WorldError,
  type Id,
  type LoginSpec,
  type WorldChat,
  type WorldDecision,
  type WorldFaults,
  type WorldImporter,
  type WorldLink,
  type WorldStay,
  type WorldUser,
} from './world-types.js';

export * from './world-types.js';

interface ChatState {
  chat: WorldChat;
  people: ChatPeople;
  log: AdminLog;
}

export interface ImportersQuery {
  link?: string | null;
  requested: boolean;
  q?: string;
  offsetDate: number;
  offsetUser: Id;
  limit: number;
}

export interface WorldBase {
  self: Omit<WorldUser, 'accessHash'>;
  bot: Omit<WorldUser, 'accessHash'>;
  loginSpec?: LoginSpec;
  faults?: WorldFaults;
}

export class World extends EventEmitter {
  readonly self: WorldUser;
  readonly bot: WorldUser;
  readonly loginSpec?: LoginSpec;
  /** MTProto faults from the scenario; the MTProto server reads (and may replace) them. */
  faults: WorldFaults;
  // Keyed by idKey(): V8's Maps are several times slower with bigint keys, which matters at 1M users.
  private readonly usersById = new Map<IdKey, WorldUser>();
  private readonly usersByName = new Map<string, WorldUser>();
  private readonly chatsById = new Map<Id, ChatState>();
  private readonly invites = new WorldLinks();
  /** Users with a private chat with the bot (they wrote to it): the only ones it may message first. */
  private readonly botStarters = new Set<IdKey>();
  private clock: () => number = () => Math.floor(Date.now() / 1000);
  /** Admin-log event ids: increasing across the world (Telegram's are per channel; only the order matters). */
  private logSeq = 1_000_000n;

  constructor(base: WorldBase) {
    super();
    this.setMaxListeners(50);
    this.self = this.addUser(base.self);
    this.bot = this.addUser({ ...base.bot, isBot: true });
    if (base.loginSpec) this.loginSpec = base.loginSpec;
    this.faults = base.faults ?? noFaults();
  }

  /** Validates (ScenarioError with the JSON path of the first problem) and builds the world. */
  static fromScenario(input: unknown): World {
    return World.fromParsed(parseScenario(input));
  }

  static async load(path: string): Promise<World> {
    return World.fromScenario(await readScenarioFile(path));
  }

  static fromParsed(s: Scenario): World {
    const world = new World(worldBase(s));
    populateWorld(world, s);
    return world;
  }

  now(): number {
    return this.clock();
  }

  /** Tests pin time: `world.setClock(() => 1767225600)`. */
  setClock(clock: () => number): void {
    this.clock = clock;
  }

  // ---- users ----
  user(id: Id): WorldUser | undefined {
    return this.usersById.get(idKey(id));
  }

  userByUsername(name: string): WorldUser | undefined {
    return this.usersByName.get(name.replace(/^@/, '').toLowerCase());
  }

  users(): WorldUser[] {
    return [...this.usersById.values()];
  }

  addUser(u: Partial<WorldUser> & { id: Id; firstName: string }): WorldUser {
    const key = idKey(u.id);
    const previous = this.usersById.get(key);
    if (previous?.username) this.usersByName.delete(previous.username.toLowerCase());
    // A literal, not a spread: spreading is an order of magnitude slower when loading 1M users.
    const user: WorldUser = { id: u.id, accessHash: u.accessHash ?? accessHashFor('user', u.id), firstName: u.firstName };
    if (u.lastName !== undefined) user.lastName = u.lastName;
    if (u.username !== undefined) user.username = u.username;
    if (u.isBot !== undefined) user.isBot = u.isBot;
    if (u.languageCode !== undefined) user.languageCode = u.languageCode;
    this.usersById.set(key, user);
    if (user.username) this.usersByName.set(user.username.toLowerCase(), user);
    return user;
  }

  /** The user has a private chat with the bot (wrote to it, or the scenario says so). */
  startBot(userId: Id): void {
    this.botStarters.add(idKey(userId));
  }

  /**
   * May the bot send to this user's private chat? Only when the user started it, or (Bot API's
   * `user_chat_id`) while the user has a join request pending in a chat where the bot manages them.
   */
  botCanMessage(userId: Id): boolean {
    if (this.botStarters.has(idKey(userId))) return true;
    for (const s of this.chatsById.values()) {
      if (s.people.hasPending(userId) && this.canInvite(s.chat.id, this.bot.id)) return true;
    }
    return false;
  }

  // ---- chats ----
  chat(id: Id): WorldChat | undefined {
    return this.chatsById.get(id)?.chat;
  }

  chatByUsername(name: string): WorldChat | undefined {
    const wanted = name.replace(/^@/, '').toLowerCase();
    for (const s of this.chatsById.values()) if (s.chat.username?.toLowerCase() === wanted) return s.chat;
    return undefined;
  }

  chats(): WorldChat[] {
    return [...this.chatsById.values()].map((s) => s.chat);
  }

  addChat(c: Omit<WorldChat, 'accessHash' | 'adminsWithoutInvite'> & Partial<Pick<WorldChat, 'accessHash' | 'adminsWithoutInvite'>>): WorldChat {
    const chat: WorldChat = { ...c, accessHash: c.accessHash ?? accessHashFor('chat', c.id), adminsWithoutInvite: c.adminsWithoutInvite ?? [] };
    this.chatsById.set(chat.id, { chat, people: new ChatPeople(), log: new AdminLog(() => ++this.logSeq) });
    return chat;
  }

  isAdmin(chatId: Id, userId: Id): boolean {
    const c = this.chat(chatId);
    return !!c && (c.ownerId === userId || c.admins.includes(userId));
  }

  /** Admin with `can_invite_users` (the owner always has it). */
  canInvite(chatId: Id, userId: Id): boolean {
    const c = this.chat(chatId);
    if (!c) return false;
    return c.ownerId === userId || (c.admins.includes(userId) && !c.adminsWithoutInvite.includes(userId));
  }

  /**
   * An admin change made in a Telegram app: `userId` becomes an admin (with or without
   * `can_invite_users`) or loses the admin rights. Emits 'admin' (chatId, userId, before, after) so the
   * Bot API server can send `chat_member` / `my_chat_member`, as Telegram does.
   */
  setAdmin(chatId: Id, userId: Id, rights: { admin: boolean; canInvite?: boolean }): void {
    const c = this.chatState(chatId).chat;
    if (c.ownerId === userId) throw new WorldError('USER_CREATOR');
    const before = { admin: c.admins.includes(userId), canInvite: this.canInvite(chatId, userId) };
    c.admins = c.admins.filter((a) => a !== userId);
    c.adminsWithoutInvite = c.adminsWithoutInvite.filter((a) => a !== userId);
    if (rights.admin) {
      c.admins.push(userId);
      if (rights.canInvite === false) c.adminsWithoutInvite.push(userId);
    }
    this.emit('admin', chatId, userId, before, { admin: rights.admin, canInvite: this.canInvite(chatId, userId) });
  }

  /** Owner, admin, or a member now (joined and not left since). */
  isMember(chatId: Id, userId: Id): boolean {
    const s = this.chatsById.get(chatId);
    if (!s) return false;
    return this.isAdmin(chatId, userId) || s.people.member(userId) !== undefined;
  }

  /** The join row that made the user a member now, if any. */
  membership(chatId: Id, userId: Id): WorldImporter | undefined {
    return this.chatsById.get(chatId)?.people.member(userId);
  }

  chatsOf(userId: Id): WorldChat[] {
    return this.chats().filter((c) => this.isMember(c.id, userId));
  }

  // ---- links ----
  links(chatId: Id, opts: { adminId?: Id; revoked?: boolean } = {}): WorldLink[] {
    return this.invites.list(chatId, opts);
  }

  linkByHash(hash: string): WorldLink | undefined {
    return this.invites.byHash(hash)?.link;
  }

  /** Accepts any invite-link form (t.me/joinchat/…, tg://join?invite=…). */
  link(link: string): WorldLink | undefined {
    return this.invites.get(link)?.link;
  }

  usage(link: string): number {
    return this.invites.get(link)?.joins.size ?? 0;
  }

  requested(link: string): number {
    return this.invites.get(link)?.pending.size ?? 0;
  }

  createLink(chatId: Id, l: Partial<WorldLink> & { adminId: Id }): WorldLink {
    this.chatState(chatId);
    return this.invites.create(chatId, l, this.now());
  }

  /** Revokes a link (`by`: the admin who did it, default its creator); an admin-log event. */
  revokeLink(link: string, by?: Id): void {
    const state = this.invites.get(link);
    if (!state) throw new WorldError('INVITE_HASH_EXPIRED');
    if (state.link.revoked) return;
    state.link.revoked = true;
    this.logEvent(state.link.chatId, this.now(), by ?? state.link.adminId, { kind: 'link-revoke', link: { ...state.link } });
  }

  /** Edits a link's title, limit or expiry (`by`: default its creator); an admin-log event. */
  editLink(link: string, patch: Partial<Pick<WorldLink, 'title' | 'usageLimit' | 'expireDate'>>, by?: Id): WorldLink {
    const state = this.invites.get(link);
    if (!state) throw new WorldError('INVITE_HASH_EXPIRED');
    if (state.link.revoked) throw new WorldError('INVITE_REVOKED');
    const before = { ...state.link };
    Object.assign(state.link, patch);
    this.logEvent(state.link.chatId, this.now(), by ?? state.link.adminId, { kind: 'link-edit', before, after: { ...state.link } });
    return state.link;
  }

  /** Deletes a revoked link (INVITE_REVOKED_MISSING otherwise): no longer listed; an admin-log event. */
  deleteLink(link: string, by?: Id): void {
    const state = this.invites.get(link);
    if (!state) throw new WorldError('INVITE_HASH_EXPIRED');
    if (!state.link.revoked) throw new WorldError('INVITE_REVOKED_MISSING');
    this.invites.delete(state.link);
    this.logEvent(state.link.chatId, this.now(), by ?? state.link.adminId, { kind: 'link-delete', link: { ...state.link } });
  }

  /** The chat's admin log (read through world-access.ts's adminLogPage). */
  adminLog(chatId: Id): AdminLog {
    return this.chatState(chatId).log;
  }

  // ---- joins and requests ----
  pendingCount(chatId: Id): number {
    return this.chatsById.get(chatId)?.people.pending.size ?? 0;
  }

  pendingRequest(chatId: Id, userId: Id): WorldImporter | undefined {
    return this.chatsById.get(chatId)?.people.pendingOf(userId);
  }

  /** Everything that ended in the chat: stays (left or removed) and decided requests, oldest first. */
  history(chatId: Id): { ended: readonly WorldStay[]; decided: readonly WorldDecision[] } {
    const s = this.chatState(chatId);
    return { ended: s.people.ended, decided: s.people.decided };
  }

  /**
   * Newest first by (date desc, userId desc); the cursor is exclusive; offsetDate 0 = start.
   * requested without link: every pending request of the chat. q matches pending requests only.
   */
  importers(chatId: Id, o: ImportersQuery): { count: number; rows: WorldImporter[] } {
    const s = this.chatsById.get(chatId);
    if (!s) throw new WorldError('CHANNEL_INVALID');
    if (o.q && o.link) throw new WorldError('SEARCH_WITH_LINK_NOT_SUPPORTED');
    let index = o.requested ? s.people.pending : s.people.joins;
    if (o.link) {
      const state = this.invites.ofChat(chatId, o.link);
      index = o.requested ? state.pending : state.joins;
    }
    const filter = o.q ? this.nameFilter(o.q) : undefined;
    return { count: index.count(filter), rows: index.page(o.offsetDate, o.offsetUser, Math.max(0, o.limit), filter) };
  }

  /** A join through `link` (null: without a link, e.g. the public username); a member cannot join again. */
  addJoin(chatId: Id, j: { userId: Id; link: string | null; date?: number; approvedBy?: Id; viaChatlist?: boolean }): WorldImporter {
    const s = this.chatState(chatId);
    if (s.people.member(j.userId)) throw new WorldError('USER_ALREADY_PARTICIPANT');
    const state = j.link === null ? undefined : this.invites.ofChat(chatId, j.link);
    const date = j.date ?? this.now();
    // Joining otherwise ends a pending request: there is nothing left to decide.
    const withdrew = s.people.hasPending(j.userId);
    if (withdrew) this.dropPending(s, j.userId, 'withdrawn', null, date);
    const row: WorldImporter = { userId: j.userId, date, requested: false, viaChatlist: j.viaChatlist ?? false, link: state ? state.link.link : null };
    if (j.approvedBy !== undefined) row.approvedBy = j.approvedBy;
    s.people.addMember(row);
    state?.joins.add(row);
    s.log.add(date, j.userId, { kind: 'join', row, link: state?.link }, this.now());
    this.emit('join', chatId, row);
    if (withdrew) this.emit('pending', chatId);
    return row;
  }

  /**
   * A member leaves (or, `kicked`, is removed): no longer listed, and the link's usage goes down.
   * An admin (not the owner) who leaves or is removed loses the admin rights with it, as on
   * Telegram, where only the owner keeps them across a return: one 'admin' event says so.
   */
  leave(chatId: Id, userId: Id, o: { date?: number; kicked?: boolean } = {}): WorldImporter {
    const s = this.chatState(chatId);
    const date = o.date ?? this.now();
    const kicked = o.kicked ?? false;
    const admin = s.chat.ownerId !== userId && s.chat.admins.includes(userId);
    const row = s.people.removeMember(userId, date, kicked);
    if (row?.link) this.invites.get(row.link)?.joins.remove(row);
    // A removal is done by an admin; the sandbox does not say which one, so the owner stands in.
    if (row) {
      const action: AdminLogAction = kicked ? { kind: 'kick', userId, joinedAt: row.date } : { kind: 'leave' };
      s.log.add(date, kicked ? s.chat.ownerId : userId, action, this.now());
    }
    if (admin) {
      this.setAdmin(chatId, userId, { admin: false });
      return row ?? { userId, date, requested: false, viaChatlist: false, link: null };
    }
    if (!row) throw new WorldError('USER_NOT_PARTICIPANT');
    this.emit('leave', chatId, row, { date, kicked });
    return row;
  }

  /** One pending request per user and chat, as on Telegram: a new one replaces the old; members cannot ask. */
  addRequest(chatId: Id, r: { userId: Id; link: string | null; date?: number; about?: string }): WorldImporter {
    const s = this.chatState(chatId);
    if (s.people.member(r.userId)) throw new WorldError('USER_ALREADY_PARTICIPANT');
    const state = r.link === null ? undefined : this.invites.ofChat(chatId, r.link);
    const date = r.date ?? this.now();
    if (s.people.hasPending(r.userId)) this.dropPending(s, r.userId, 'withdrawn', null, date);
    const row: WorldImporter = { userId: r.userId, date, requested: true, viaChatlist: false, link: state ? state.link.link : null };
    if (r.about !== undefined) row.about = r.about;
    s.people.addPending(row);
    state?.pending.add(row);
    this.emit('request', chatId, row);
    this.emit('pending', chatId);
    return row;
  }

  /** Approve or decline one request; an approved one becomes a join dated `when` on the request's link. */
  resolveRequest(chatId: Id, userId: Id, approved: boolean, byUserId: Id, when?: number): void {
    const s = this.chatsById.get(chatId);
    if (!s) throw new WorldError('CHANNEL_INVALID');
    const date = when ?? this.now();
    const row = this.dropPending(s, userId, approved ? 'approved' : 'declined', byUserId, date);
    if (!row) throw new WorldError('HIDE_REQUESTER_MISSING');
    if (approved) this.addJoin(chatId, { userId, link: row.link, date, approvedBy: byUserId });
    this.emit('resolved', chatId, userId, approved, byUserId);
    this.emit('pending', chatId);
  }

  private dropPending(s: ChatState, userId: Id, outcome: WorldDecision['outcome'], by: Id | null, at: number): WorldImporter | undefined {
    const row = s.people.dropPending(userId, outcome, by, at);
    if (row?.link) this.invites.get(row.link)?.pending.remove(row);
    return row;
  }

  private logEvent(chatId: Id, date: number, actorId: Id, action: AdminLogAction): void {
    this.chatsById.get(chatId)?.log.add(date, actorId, action, this.now());
  }

  private nameFilter(q: string): (row: WorldImporter) => boolean {
    const needle = q.toLowerCase();
    return (row) => {
      const u = this.user(row.userId);
      if (!u) return false;
      return [u.firstName, u.lastName, u.username].some((v) => v !== undefined && v.toLowerCase().includes(needle));
    };
  }

  private chatState(chatId: Id): ChatState {
    const s = this.chatsById.get(chatId);
    if (!s) throw new WorldError('CHANNEL_INVALID');
    return s;
  }
}

type IdKey = number | string;
