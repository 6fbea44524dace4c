/**
 * Applies the configured Faults: decides per incoming message whether to drop the connection
 * and per call whether to answer FLOOD_WAIT or revoke the sessions. Counters restart whenever
 * the faults change, so "every 7th call" means every 7th call after setFaults. A flood wait holds
 * its method for its seconds, as Telegram does: calls in that time earn another flood wait
 * (changing the faults lifts the holds).
 */
import { mergeFaults, noFaults, type Faults } from '../faults.js';
import { FloodHolds } from '../flood-holds.js';

export interface CallVerdict {
  floodSeconds?: number;
  revokeNow: boolean;
  /** Forget the signed-in keys once this call is answered (forgetKeysAfter). */
  forgetNow: boolean;
}

export class FaultInjector {
  private current: Faults = noFaults();
  private messages = 0;
  private callsSinceArmed = 0;
  private callsBeforeForget = 0;
  /** Calls counted per flood_wait entry (two entries on one method count independently). */
  private floodCounts = new Map<number, number>();
  private readonly holds: FloodHolds;

  /** `clock`: unix seconds (the world's clock). */
  constructor(clock: () => number = () => Math.floor(Date.now() / 1000)) {
    this.holds = new FloodHolds(clock);
  }

  get faults(): Faults {
    return this.current;
  }

  set(change: Partial<Faults>): void {
    this.current = mergeFaults(this.current, change);
    this.messages = 0;
    this.callsSinceArmed = 0;
    this.callsBeforeForget = 0;
    this.floodCounts.clear();
    this.holds.clear();
  }

  /** Is `link` (canonical) one of the links deleted on the server's side? */
  isDeleted(link: string): boolean {
    return (this.current.deletedLinks ?? []).includes(link);
  }

  /** True when this incoming message should close the connection instead of being served. */
  dropThisMessage(): boolean {
    const every = this.current.dropConnectionEvery;
    if (!every || every < 1) return false;
    this.messages++;
    return this.messages % every === 0;
  }

  onCall(method: string): CallVerdict {
    const verdict: CallVerdict = { revokeNow: false, forgetNow: false };
    const after = this.current.revokeSessionAfter;
    if (after !== null && after >= 0) {
      this.callsSinceArmed++;
      if (this.callsSinceArmed === after + 1) verdict.revokeNow = true;
    }
    const forgetAfter = this.current.forgetKeysAfter;
    if (forgetAfter !== null && forgetAfter !== undefined && forgetAfter >= 0) {
      this.callsBeforeForget++;
      if (this.callsBeforeForget === forgetAfter + 1) verdict.forgetNow = true;
    }
    const held = this.holds.remaining(method);
    if (held !== undefined) return { ...verdict, floodSeconds: held };
    this.current.floodWait.forEach((f, i) => {
      if (f.method !== method || f.every < 1) return;
      const n = (this.floodCounts.get(i) ?? 0) + 1;
      this.floodCounts.set(i, n);
      if (n % f.every === 0) verdict.floodSeconds = Math.max(verdict.floodSeconds ?? 0, f.seconds);
    });
    if (verdict.floodSeconds !== undefined) this.holds.hold(method, verdict.floodSeconds);
    return verdict;
  }
}
