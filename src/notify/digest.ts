/**
 * Join-request digests: new requests are batched per chat into one message, never one message per
 * request. The first new request of a chat opens its digest; the digest goes out a short wait later
 * (`waitMs`, so the requests of a burst share it), and at most once every `intervalMs` per chat.
 * Requests of a chat whose digest is not due yet simply stay in the outbox (undelivered), so a
 * restart in between loses nothing; when a digest opened is the outbox's own time of its first
 * request, so it survives a restart too. The clock of the last digest per chat lives in memory, so
 * after a restart the first digest goes out once its wait is over.
 */
import type { RequestItem } from './events.js';

/** One request of a `requests.new` event; `id` is that outbox event's id. */
export interface RequestEvent extends RequestItem {
  id: number;
  chatId: bigint;
  /** When the event was written (unix seconds): the first one of a chat opens its digest. */
  createdAt?: number;
}

export interface DigestBatch {
  chatId: bigint;
  /** Newest first (date desc, user desc), the order /pending shows. */
  requests: RequestEvent[];
}

export class DigestScheduler {
  private readonly lastSent = new Map<bigint, number>();
  private nextDue: number | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly waitMs = 0,
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
    this.nextDue = undefined;
    for (const [chatId, list] of byChat) {
      const dueAt = this.dueAt(chatId, list, nowMs);
      if (dueAt > nowMs) {
        this.nextDue = Math.min(this.nextDue ?? dueAt, dueAt);
        continue;
      }
      batches.push({ chatId, requests: dedupe(list).sort(newestFirst) });
    }
    return batches;
  }

  /** After `due`: when the earliest digest it held back becomes due (ms), undefined when none was held. */
  nextDueAt(): number | undefined {
    return this.nextDue;
  }

  /** Call after the digest of `chatId` was sent. */
  markSent(chatId: bigint, nowMs: number): void {
    this.lastSent.set(chatId, nowMs);
  }

  /** Opened by its first request, sent `waitMs` later, and not before `intervalMs` after the last one. */
  private dueAt(chatId: bigint, list: readonly RequestEvent[], nowMs: number): number {
    const opened = Math.min(...list.map((r) => (r.createdAt === undefined ? nowMs : r.createdAt * 1000)));
    const last = this.lastSent.get(chatId);
    return Math.max(opened + this.waitMs, last === undefined ? 0 : last + this.intervalMs);
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

/** One line of the digest's "through which link" summary. */
export interface LinkCount {
  link: string | null;
  unlisted?: boolean;
  /** A link not identified yet: `shown` is how the bot saw it (cut), when it did. */
  unknown?: boolean;
  shown?: string;
  count: number;
}

/** Requests per link (links the userbot cannot list counted together), most first: the digest's "through which link" summary. */
export function countByLink(requests: readonly RequestEvent[]): LinkCount[] {
  const counts = new Map<string, LinkCount>();
  for (const r of requests) {
    const key = r.link ?? (r.unlisted ? '\u0000unlisted' : r.unknown ? `\u0000unknown${r.shown ?? ''}` : '\u0000username');
    const entry = counts.get(key) ?? {
      link: r.link,
      ...(r.unlisted ? { unlisted: true } : {}),
      ...(r.unknown ? { unknown: true } : {}),
      ...(r.unknown && r.shown ? { shown: r.shown } : {}),
      count: 0,
    };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || String(a.link).localeCompare(String(b.link)));
}
