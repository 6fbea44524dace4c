/**
 * What one recipient's notifier remembers between drains, and across restarts: the store's
 * notify memory (digest windows, the failure throttle, raid alerts, the raid window) seen from
 * one recipient. The digest scheduler, the throttle and the raid detector keep nothing else.
 */
import type { MemoryKind, NotifyMemoryRepo, RaidSample, Remembered } from '../store/index.js';

export interface RecipientMemory {
  get(kind: MemoryKind, key: string): Remembered | undefined;
  set(kind: MemoryKind, key: string, atMs: number, count?: number | null): void;
  forget(kind: MemoryKind, beforeMs: number): void;
  addSamples(samples: readonly RaidSample[]): void;
  samplesSince(sinceUnix: number): RaidSample[];
}

export function recipientMemory(repo: NotifyMemoryRepo, recipient: string): RecipientMemory {
  return {
    get: (kind, key) => repo.get(recipient, kind, key),
    set: (kind, key, atMs, count) => repo.set(recipient, kind, key, atMs, count),
    forget: (kind, beforeMs) => repo.forget(recipient, kind, beforeMs),
    addSamples: (samples) => repo.addSamples(recipient, samples),
    samplesSince: (sinceUnix) => repo.samplesSince(recipient, sinceUnix),
  };
}
