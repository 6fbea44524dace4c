/**
 * Applies the configured Faults: decides per incoming message whether to drop the connection
 * and per call whether to answer FLOOD_WAIT or revoke the sessions. Counters restart whenever
 * the faults change, so "every 7th call" means every 7th call after setFaults.
 */
import { mergeFaults, noFaults, type Faults } from '../faults.js';

export interface CallVerdict {
  floodSeconds?: number;
  revokeNow: boolean;
}

export class FaultInjector {
  private current: Faults = noFaults();
  private messages = 0;
  private callsSinceArmed = 0;
  private floodCounts = new Map<string, number>();

  get faults(): Faults {
    return this.current;
  }

  set(change: Partial<Faults>): void {
    this.current = mergeFaults(this.current, change);
    this.messages = 0;
    this.callsSinceArmed = 0;
    this.floodCounts.clear();
  }

  /** True when this incoming message should close the connection instead of being served. */
  dropThisMessage(): boolean {
    const every = this.current.dropConnectionEvery;
    if (!every || every < 1) return false;
    this.messages++;
    return this.messages % every === 0;
  }

  onCall(method: string): CallVerdict {
    const verdict: CallVerdict = { revokeNow: false };
    const after = this.current.revokeSessionAfter;
    if (after !== null && after >= 0) {
      this.callsSinceArmed++;
      if (this.callsSinceArmed === after + 1) verdict.revokeNow = true;
    }
    for (const f of this.current.floodWait) {
      if (f.method !== method || f.every < 1) continue;
      const n = (this.floodCounts.get(method) ?? 0) + 1;
      this.floodCounts.set(method, n);
      if (n % f.every === 0) verdict.floodSeconds = f.seconds;
    }
    return verdict;
  }
}
