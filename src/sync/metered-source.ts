/**
 * Every call the engine makes goes through here: it takes a slot from the budget and counts
 * the call per method, so a sync run can record (and a test assert) exactly what it cost.
 * An optional observer hears each call's outcome and duration (the metrics endpoint).
 */
import type { CallBudget } from './budget.js';
import { isSourceError, type InviteSource, type SourceErrorKind } from './types.js';

export type SourceMethod = 'listAdminsWithLinks' | 'listLinks' | 'listJoins' | 'listRequests';

export interface CallObservation {
  method: SourceMethod;
  /** 'ok', the failure's kind, or 'error' for a failure that is not a SourceError. */
  outcome: 'ok' | SourceErrorKind | 'error';
  seconds: number;
  /** FloodWait only: what Telegram asked us to wait (the link is deferred that long). */
  floodSeconds?: number;
}

export type CallObserver = (call: CallObservation) => void;

export class MeteredSource implements InviteSource {
  readonly counts: Record<SourceMethod, number> = {
    listAdminsWithLinks: 0,
    listLinks: 0,
    listJoins: 0,
    listRequests: 0,
  };

  constructor(
    private readonly inner: InviteSource,
    private readonly budget: CallBudget,
    private readonly observe?: CallObserver,
  ) {}

  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  // self() and resolveChat() are answered from the adapter's cache after the first time: they are
  // neither counted nor charged, so an exhausted budget never hides which chat we are in.
  self: InviteSource['self'] = () => this.inner.self();
  resolveChat: InviteSource['resolveChat'] = (ref) => this.inner.resolveChat(ref);
  listAdminsWithLinks: InviteSource['listAdminsWithLinks'] = (chatId) =>
    this.metered('listAdminsWithLinks', () => this.inner.listAdminsWithLinks(chatId));
  listLinks: InviteSource['listLinks'] = (chatId, q) => this.metered('listLinks', () => this.inner.listLinks(chatId, q));
  listJoins: InviteSource['listJoins'] = (chatId, q) => this.metered('listJoins', () => this.inner.listJoins(chatId, q));
  listRequests: InviteSource['listRequests'] = (chatId, q) => this.metered('listRequests', () => this.inner.listRequests(chatId, q));

  private async metered<T>(method: SourceMethod, call: () => Promise<T>): Promise<T> {
    await this.budget.take();
    this.counts[method]++;
    if (!this.observe) return call();
    const started = performance.now();
    try {
      const result = await call();
      this.observe({ method, outcome: 'ok', seconds: (performance.now() - started) / 1000 });
      return result;
    } catch (e) {
      const seconds = (performance.now() - started) / 1000;
      this.observe({ method, outcome: isSourceError(e) ? e.kind : 'error', seconds, ...(isSourceError(e, 'FloodWait') ? { floodSeconds: e.seconds } : {}) });
      throw e;
    }
  }
}
