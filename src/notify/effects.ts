/**
 * What a notification records in its recipient's memory once it went out: the chat's digest
 * window starts, the raid counts as alerted, the failures count as told. Plain data, stored with
 * the notification (notify_messages.effects), so a restart that finishes a half-sent message
 * records them too. Ids travel as decimal strings (JSON has no 64-bit integers).
 */
import type { RecipientState } from './drain.js';
import type { RaidFinding } from './raid-detector.js';

export type Effect =
  | { kind: 'digest'; chatId: string }
  | { kind: 'raid'; chatId: string; link: string | null; count: number; windowStart: number; windowEnd: number; atUnix: number }
  | { kind: 'throttle'; key: string };

export function digestEffect(chatId: bigint): Effect {
  return { kind: 'digest', chatId: String(chatId) };
}

export function raidEffect(f: RaidFinding, atUnix: number): Effect {
  return { kind: 'raid', chatId: String(f.chatId), link: f.link, count: f.count, windowStart: f.windowStart, windowEnd: f.windowEnd, atUnix };
}

export function applyEffects(state: RecipientState, effects: readonly unknown[], nowMs: number): void {
  for (const e of effects.filter(isEffect)) {
    if (e.kind === 'digest') state.digests.markSent(BigInt(e.chatId), nowMs);
    else if (e.kind === 'throttle') state.throttle.markSent(e.key, nowMs);
    else state.raids.confirm({ chatId: BigInt(e.chatId), link: e.link, count: e.count, windowStart: e.windowStart, windowEnd: e.windowEnd, expected: 0 }, e.atUnix);
  }
}

/** A stored effect from this version (anything else is ignored: it records nothing). */
function isEffect(e: unknown): e is Effect {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as Record<string, unknown>;
  if (x.kind === 'digest') return typeof x.chatId === 'string' && /^-?\d+$/.test(x.chatId);
  if (x.kind === 'throttle') return typeof x.key === 'string';
  return x.kind === 'raid' && typeof x.chatId === 'string' && /^-?\d+$/.test(x.chatId) && typeof x.count === 'number' && typeof x.atUnix === 'number';
}
