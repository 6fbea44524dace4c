/**
 * An in-memory Telegram for the sync engine's unit tests. It follows the semantics page: lists
 * newest first by (date desc, user desc), exclusive cursors, `count` = total, a server-side cap
 * on the page size, `offset_user` checked against the user's access hash, owner-only listings.
 * Faults are injected per method and call number.
 */
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import {
  SourceError,
  type AdminWithLinks,
  type ImporterCursor,
  type ImporterPage,
  type InviteSource,
  type LinkCursor,
  type LinkPage,
  type ResolveOptions,
  type SourceChat,
  type SourceImporter,
  type SourceLink,
  type SourceUser,
} from '../../src/sync/types.js';

export type Method = 'listAdminsWithLinks' | 'listLinks' | 'listJoins' | 'listRequests';
type Row = SourceImporter & { link: string | null };
export interface Call {
  method: Method;
  link?: string | undefined;
  after?: ImporterCursor | LinkCursor | undefined;
}

export const SELF = 7000001n;
export const OTHER_ADMIN = 7000002n;
export const CHAT_ID = botApiChatIdFromChannel(1700000001n);

export const hashOf = (id: bigint): bigint => (id * 2654435761n) % 9007199254740991n;

export class FakeSource implements InviteSource {
  readonly users = new Map<bigint, SourceUser>();
  readonly links: SourceLink[] = [];
  joins: Row[] = [];
  requests: Row[] = [];
  readonly calls: Call[] = [];
  owner = SELF;
  pageCap = 100;
  /** Called before each metered call; throw from it to inject a fault. */
  fault: ((call: Call, n: number) => void) | undefined;

  constructor() {
    for (const id of [SELF, OTHER_ADMIN]) this.addUser(id);
  }

  addUser(id: bigint, firstName = `User${id}`, username?: string): SourceUser {
    const u: SourceUser = { id, accessHash: hashOf(id), firstName, username };
    this.users.set(id, u);
    return u;
  }

  addLink(l: Partial<SourceLink> & { hash: string; date: number }): SourceLink {
    const link: SourceLink = {
      link: `https://t.me/+${l.hash}`,
      raw: `https://t.me/+${l.hash}`,
      adminId: SELF,
      permanent: false,
      revoked: false,
      requestNeeded: false,
      usage: 0,
      requested: 0,
      ...l,
    };
    this.links.push(link);
    return link;
  }

  addJoin(link: string, userId: bigint, date: number, approvedBy?: bigint): void {
    if (!this.users.has(userId)) this.addUser(userId);
    this.joins.push({ userId, date, requested: false, viaChatlist: false, approvedBy, link });
  }

  addRequest(link: string | null, userId: bigint, date: number, about?: string): void {
    if (!this.users.has(userId)) this.addUser(userId);
    this.requests.push({ userId, date, requested: true, viaChatlist: false, about, link });
  }

  approve(userId: bigint, by: bigint, when: number): void {
    const req = this.takeRequest(userId);
    if (req.link !== null) this.addJoin(req.link, userId, when, by);
  }

  decline(userId: bigint): void {
    this.takeRequest(userId);
  }

  count(method: Method, link?: string): number {
    return this.calls.filter((c) => c.method === method && (link === undefined || c.link === link)).length;
  }

  // --- InviteSource ---
  async self(): Promise<SourceUser> {
    return this.users.get(SELF)!;
  }

  /** Known without a call (as the GramJS adapter's cache knows a chat it has seen). */
  async resolveChat(ref: string | bigint, _o: ResolveOptions = {}): Promise<SourceChat> {
    if (String(ref) !== String(CHAT_ID) && ref !== '@rust_learners') throw new SourceError('PeerInvalid', 'CHANNEL_INVALID');
    return { chatId: CHAT_ID, title: 'Rust Learners', type: 'supergroup', isOwner: this.owner === SELF, selfId: SELF, username: 'rust_learners' };
  }

  async listAdminsWithLinks(): Promise<AdminWithLinks[]> {
    this.enter({ method: 'listAdminsWithLinks' });
    if (this.owner !== SELF) throw new SourceError('NotPermitted', 'CHAT_ADMIN_REQUIRED');
    const admins = [...new Set(this.links.map((l) => l.adminId))];
    return admins.map((adminId) => ({
      adminId,
      activeCount: this.links.filter((l) => l.adminId === adminId && !l.revoked).length,
      revokedCount: this.links.filter((l) => l.adminId === adminId && l.revoked).length,
    }));
  }

  async listLinks(_chatId: bigint, q: { adminId: bigint; revoked: boolean; after?: LinkCursor; limit: number }): Promise<LinkPage> {
    this.enter({ method: 'listLinks', after: q.after });
    if (q.adminId !== SELF && this.owner !== SELF) throw new SourceError('NotPermitted', 'CHAT_ADMIN_REQUIRED');
    const all = this.links
      .filter((l) => l.adminId === q.adminId && l.revoked === q.revoked)
      .map((l) => this.withCounters(l))
      .sort((a, b) => b.date - a.date || (a.link < b.link ? 1 : a.link > b.link ? -1 : 0));
    const after = q.after;
    const from = after ? all.filter((l) => l.date < after.date || (l.date === after.date && l.link < after.link)) : all;
    const page = from.slice(0, Math.min(q.limit, this.pageCap));
    return { count: all.length, links: page, users: [this.users.get(q.adminId)!] };
  }

  async listJoins(_chatId: bigint, q: { link: string; after?: ImporterCursor; limit: number }): Promise<ImporterPage> {
    this.enter({ method: 'listJoins', link: q.link, after: q.after });
    const link = this.links.find((l) => l.link === q.link);
    if (!link) throw new SourceError('LinkGone', 'INVITE_HASH_EXPIRED');
    if (link.adminId !== SELF && this.owner !== SELF) throw new SourceError('NotPermitted', 'CHAT_ADMIN_REQUIRED');
    return this.page(this.joins.filter((r) => r.link === q.link), q);
  }

  async listRequests(_chatId: bigint, q: { link?: string; after?: ImporterCursor; limit: number }): Promise<ImporterPage> {
    this.enter({ method: 'listRequests', link: q.link, after: q.after });
    return this.page(q.link === undefined ? this.requests : this.requests.filter((r) => r.link === q.link), q);
  }

  // --- internals ---
  private enter(call: Call): void {
    this.calls.push(call);
    this.fault?.(call, this.calls.length);
  }

  private withCounters(l: SourceLink): SourceLink {
    return {
      ...l,
      usage: this.joins.filter((j) => j.link === l.link).length,
      requested: this.requests.filter((r) => r.link === l.link).length,
    };
  }

  private page(rows: Row[], q: { after?: ImporterCursor | undefined; limit: number }): ImporterPage {
    const sorted = [...rows].sort((a, b) => b.date - a.date || (a.userId < b.userId ? 1 : a.userId > b.userId ? -1 : 0));
    const after = q.after;
    if (after && after.accessHash !== hashOf(after.userId)) throw new SourceError('PeerInvalid', 'USER_ID_INVALID');
    const from = after ? sorted.filter((r) => r.date < after.date || (r.date === after.date && r.userId < after.userId)) : sorted;
    const page = from.slice(0, Math.min(q.limit, this.pageCap)).map(({ link: _link, ...row }) => row);
    return { count: sorted.length, rows: page, users: page.map((r) => this.users.get(r.userId)!) };
  }

  private takeRequest(userId: bigint): Row {
    const i = this.requests.findIndex((r) => r.userId === userId);
    const [req] = this.requests.splice(i, 1);
    if (!req) throw new Error(`no pending request of ${userId}`);
    return req;
  }
}
