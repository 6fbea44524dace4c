/**
 * Join-request digests: new requests are batched per chat into one message at most every
 * `intervalMs`, never one message per request. Requests of a chat whose digest is not due yet
 * simply stay in the outbox (undelivered), and when each chat's last digest went out is kept in
 * the database (the recipient's memory), so a restart in between changes nothing.
 */
import type { RequestItem } from './events.js';
import type { RecipientMemory } from './memory.js';

/** One request of a `requests.new` event; `id` is that outbox event's id. */
export interface RequestEvent extends RequestItem {
  id: number;
  chatId: bigint;
}

export interface DigestBatch {
  chatId: bigint;
  /** Newest first (date desc, user desc), the order /pending shows. */
  requests: RequestEvent[];
}

export class DigestScheduler {
  constructor(
    private readonly intervalMs: number,
    private readonly memory: RecipientMemory,
  ) {}

  /** The chats whose digest is due now, each with its requests; the rest wait for a later drain. */
  due(requests: readonly RequestEvent[], nowMs: number): DigestBatch[] {
    const byChat = new Map<bigint, RequestEvent[]>();
    for (const r of requests) {
      const list = byChat.get(r.chatId) ?? [];
      list.push(r);
      byChat.set(r.chatId, list);
    }
    const batches: DigestBatch[] = [];
    for (const [chatId, list] of byChat) {
      const last = this.memory.get('digest', String(chatId))?.atMs;
      if (last !== undefined && nowMs - last < this.intervalMs) continue;
      batches.push({ chatId, requests: dedupe(list).sort(newestFirst) });
    }
    return batches;
  }

  /** The digest of `chatId` goes out now (recorded with the message, before its first send). */
  markSent(chatId: bigint, nowMs: number): void {
    this.memory.set('digest', String(chatId), nowMs);
  }
}

/** A re-read page can emit the same request twice; one line per (user, date) is enough. */
function dedupe(list: readonly RequestEvent[]): RequestEvent[] {
  const seen = new Map<string, RequestEvent>();
  for (const r of list) seen.set(`${r.userId}|${r.date}`, r);
  return [...seen.values()];
}

function newestFirst(a: RequestEvent, b: RequestEvent): number {
  if (a.date !== b.date) return b.date - a.date;
  return a.userId === b.userId ? 0 : a.userId < b.userId ? 1 : -1;
}

/** Requests per link (links the userbot cannot list counted together), most first: the digest's "through which link" summary. */
export function countByLink(requests: readonly RequestEvent[]): { link: string | null; unlisted?: boolean; count: number }[] {
  const counts = new Map<string, { link: string | null; unlisted?: boolean; count: number }>();
  for (const r of requests) {
    const key = r.link ?? (r.unlisted ? '\u0000unlisted' : '\u0000username');
    const entry = counts.get(key) ?? { link: r.link, ...(r.unlisted ? { unlisted: true } : {}), count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || String(a.link).localeCompare(String(b.link)));
}
