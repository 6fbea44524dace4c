/**
 * What the model check puts between the sync and Telegram (the in-process WorldSource, or the real
 * GramJS adapter talking to the sandbox server):
 *  - a hook before every Telegram call (flood waits, a kill, world changes between pages);
 *  - Telegram's flood hold: a method that answered FLOOD_WAIT_X answers it again, with the seconds
 *    left, until X seconds have passed; such calls are recorded (the engine must make none);
 *  - a record of every row each listing returned: what the account could have seen.
 */
import { tryParseInviteLink } from '../../src/domain/invite-link.js';
import { FloodHolds } from '../../src/sandbox/flood-holds.js';
import { TELEGRAM_METHOD as LISTING_METHOD, type SourceMethod } from '../../src/sync/metered-source.js';
import {
  SourceError,
  type AdminLogEvent,
  type AdminLogPage,
  type ImporterCursor,
  type ImporterPage,
  type InviteSource,
  type LinkCursor,
  type ResolveOptions,
  type SourceImporter,
} from '../../src/sync/types.js';

export type { SourceMethod };

/** The Telegram method behind each InviteSource method (the engine's own table): flood waits bind these. */
export const TELEGRAM_METHOD: Record<SourceMethod, string> = { ...LISTING_METHOD, resolveChat: 'messages.getDialogs' };

export interface SourceCall {
  method: SourceMethod;
  chatId?: bigint | undefined;
  link?: string | undefined;
  /** listLinks: whose links. */
  adminId?: bigint | undefined;
  after?: ImporterCursor | LinkCursor | undefined;
  /** World clock when the call was served. */
  at: number;
}

/** Rows one listing call returned. `link` (canonical) undefined: the chat-wide pending list. */
export interface Listing {
  at: number;
  chatId: bigint; // Bot API form
  kind: 'joins' | 'requests';
  link?: string | undefined;
  rows: SourceImporter[];
}

/** Admin-log events one read returned (the live sync's source of joins, leaves and approvals). */
export interface LogRead {
  at: number;
  chatId: bigint;
  events: AdminLogEvent[];
}

export interface SimSourceOptions {
  /** Runs before every call; may change the world or throw (a fault). */
  beforeCall?: (call: SourceCall) => void;
  onListing?: (l: Listing) => void;
  onLogRead?: (r: LogRead) => void;
  /** Telegram repeats an event on a page (a fact arriving twice): the sync must store it once. */
  repeatEvent?: () => boolean;
}

export class SimSource implements InviteSource {
  readonly calls: SourceCall[] = [];
  /** Calls made while Telegram held their method after a flood wait: the engine should make none. */
  readonly heldCalls: SourceCall[] = [];
  readonly holds: FloodHolds;

  constructor(
    readonly inner: InviteSource,
    private readonly clock: () => number,
    private readonly o: SimSourceOptions = {},
  ) {
    this.holds = new FloodHolds(clock);
    const read = inner.readAdminLog?.bind(inner);
    if (read) {
      this.readAdminLog = async (chatId, q) => {
        this.enter({ method: 'readAdminLog', chatId });
        const page = await read(chatId, q);
        const events = page.events.flatMap((e) => (this.o.repeatEvent?.() ? [e, e] : [e]));
        this.o.onLogRead?.({ at: this.clock(), chatId, events });
        return { ...page, events };
      };
    }
  }

  readAdminLog?: (chatId: bigint, q: { minId: bigint; maxId: bigint; limit: number }) => Promise<AdminLogPage>;

  count(method: SourceMethod, link?: string): number {
    return this.calls.filter((c) => c.method === method && (link === undefined || c.link === link)).length;
  }

  self: InviteSource['self'] = () => this.inner.self();

  resolveChat = (ref: string | bigint, o: ResolveOptions = {}): ReturnType<InviteSource['resolveChat']> =>
    this.inner.resolveChat(ref, {
      ...o,
      // Each call the adapter makes to find the chat passes through here, like any other.
      beforeCall: async (method) => {
        await o.beforeCall?.(method);
        this.enter({ method: 'resolveChat' });
      },
    });

  listAdminsWithLinks: InviteSource['listAdminsWithLinks'] = async (chatId) => {
    this.enter({ method: 'listAdminsWithLinks', chatId });
    return this.inner.listAdminsWithLinks(chatId);
  };

  listLinks: InviteSource['listLinks'] = async (chatId, q) => {
    this.enter({ method: 'listLinks', chatId, adminId: q.adminId, after: q.after });
    return this.inner.listLinks(chatId, q);
  };

  listJoins: InviteSource['listJoins'] = async (chatId, q) => {
    this.enter({ method: 'listJoins', chatId, link: q.link, after: q.after });
    return this.observed(chatId, 'joins', q.link, await this.inner.listJoins(chatId, q));
  };

  listRequests: InviteSource['listRequests'] = async (chatId, q) => {
    this.enter({ method: 'listRequests', chatId, link: q.link, after: q.after });
    return this.observed(chatId, 'requests', q.link, await this.inner.listRequests(chatId, q));
  };

  /** The hook, then Telegram's hold on the method. */
  private enter(c: Omit<SourceCall, 'at'>): void {
    const call: SourceCall = { ...c, at: this.clock() };
    this.o.beforeCall?.(call);
    call.at = this.clock();
    this.calls.push(call);
    const held = this.holds.remaining(TELEGRAM_METHOD[c.method]);
    if (held === undefined) return;
    this.heldCalls.push(call);
    throw new SourceError('FloodWait', `FLOOD_WAIT_${held}`, held);
  }

  private observed(chatId: bigint, kind: Listing['kind'], link: string | undefined, page: ImporterPage): ImporterPage {
    const canonical = link === undefined ? undefined : (tryParseInviteLink(link)?.link ?? link);
    this.o.onListing?.({ at: this.clock(), chatId, kind, link: canonical, rows: page.rows });
    return page;
  }
}
