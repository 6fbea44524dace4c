/**
 * Every call the engine makes goes through here: a method Telegram holds after a flood wait fails
 * at once (no call, no budget slot); otherwise the call takes a slot from the budget (the cycle's,
 * or a chat's fair share of it) and is counted per method, so a sync run can record (and a test
 * assert) exactly what it cost; a flood wait it earns holds that method for the whole account.
 * An optional observer hears each listing call's outcome and duration (the metrics endpoint).
 */
import type { Budget } from './budget.js';
import type { FloodHoldBook } from './flood-holds.js';
import { isSourceError, SourceError, type AdminLogPage, type InviteSource, type ResolveOptions, type SourceErrorKind, type TelegramMethod } from './types.js';

export type SourceMethod = 'resolveChat' | 'listAdminsWithLinks' | 'listLinks' | 'listJoins' | 'listRequests' | 'readAdminLog';
type ListingMethod = Exclude<SourceMethod, 'resolveChat'>;

export interface CallObservation {
  method: ListingMethod;
  /** 'ok', the failure's kind, or 'error' for a failure that is not a SourceError. */
  outcome: 'ok' | SourceErrorKind | 'error';
  seconds: number;
  /** FloodWait only: what Telegram asked us to wait (the method is held that long). */
  floodSeconds?: number;
}

export type CallObserver = (call: CallObservation) => void;

/** The Telegram method behind each listing method of InviteSource. */
export const TELEGRAM_METHOD: Record<ListingMethod, TelegramMethod> = {
  listAdminsWithLinks: 'messages.getAdminsWithInvites',
  listLinks: 'messages.getExportedChatInvites',
  listJoins: 'messages.getChatInviteImporters',
  listRequests: 'messages.getChatInviteImporters',
  readAdminLog: 'channels.getAdminLog',
};

export class MeteredSource implements InviteSource {
  readonly counts: Record<SourceMethod, number> = {
    resolveChat: 0,
    listAdminsWithLinks: 0,
    listLinks: 0,
    listJoins: 0,
    listRequests: 0,
    readAdminLog: 0,
  };

  constructor(
    private readonly inner: InviteSource,
    /** Replaced between phases: the cycle's budget, then the chat's share of it. */
    public budget: Budget,
    private readonly holds: FloodHoldBook,
    private readonly observe?: CallObserver,
  ) {}

  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  /** Is this listing method held by a flood wait right now? */
  held(method: ListingMethod): boolean {
    return this.holds.held(TELEGRAM_METHOD[method]);
  }

  // self() is answered once per process (the account's id), before any budget exists.
  self: InviteSource['self'] = () => this.inner.self();

  /** Resolution may take several calls (dialog pages): each is charged and held like any other. */
  resolveChat: InviteSource['resolveChat'] = async (ref, o: ResolveOptions = {}) => {
    let last: TelegramMethod | undefined;
    try {
      return await this.inner.resolveChat(ref, {
        ...o,
        beforeCall: async (method) => {
          this.holds.check(method);
          await this.budget.take();
          this.counts.resolveChat++;
          last = method;
        },
      });
    } catch (e) {
      if (last && isSourceError(e, 'FloodWait')) this.holds.record(last, e);
      throw e;
    }
  };

  listAdminsWithLinks: InviteSource['listAdminsWithLinks'] = (chatId) =>
    this.metered('listAdminsWithLinks', () => this.inner.listAdminsWithLinks(chatId));
  listLinks: InviteSource['listLinks'] = (chatId, q) => this.metered('listLinks', () => this.inner.listLinks(chatId, q));
  listJoins: InviteSource['listJoins'] = (chatId, q) => this.metered('listJoins', () => this.inner.listJoins(chatId, q));
  listRequests: InviteSource['listRequests'] = (chatId, q) => this.metered('listRequests', () => this.inner.listRequests(chatId, q));

  /** Does the source read admin logs at all (the in-memory fakes of older tests do not)? */
  get hasAdminLog(): boolean {
    return this.inner.readAdminLog !== undefined;
  }

  readAdminLog = (chatId: bigint, q: { minId: bigint; maxId: bigint; limit: number }): Promise<AdminLogPage> => {
    const read = this.inner.readAdminLog?.bind(this.inner);
    if (!read) return Promise.reject(new SourceError('NotPermitted', 'ADMIN_LOG_UNSUPPORTED'));
    return this.metered('readAdminLog', () => read(chatId, q));
  };

  private async metered<T>(method: ListingMethod, call: () => Promise<T>): Promise<T> {
    const telegram = TELEGRAM_METHOD[method];
    this.holds.check(telegram);
    await this.budget.take();
    this.counts[method]++;
    const started = performance.now();
    try {
      const result = await call();
      this.observe?.({ method, outcome: 'ok', seconds: (performance.now() - started) / 1000 });
      return result;
    } catch (e) {
      const seconds = (performance.now() - started) / 1000;
      this.observe?.({ method, outcome: isSourceError(e) ? e.kind : 'error', seconds, ...(isSourceError(e, 'FloodWait') ? { floodSeconds: e.seconds } : {}) });
      if (isSourceError(e, 'FloodWait')) this.holds.record(telegram, e);
      throw e;
    }
  }
}
