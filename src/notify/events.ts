/**
 * The outbox events the notifier reads (written by the sync, kinds in src/sync/events.ts), parsed
 * once from their JSON payloads; ids arrive as decimal strings (JSON has no bigint). An event the
 * notifier has no message for, or cannot read, becomes `other`: acknowledged, never retried
 * forever, never a crash.
 */
import type { OutboxEvent } from '../store/index.js';
import { EventKind } from '../sync/events.js';

export interface JoinItem {
  userId: bigint;
  date: number;
  /** The admin who approved the request this join came from: a decision, not a raid. */
  approvedBy: bigint | null;
}

export interface RequestItem {
  userId: bigint;
  date: number;
  link: string | null;
  /** Without a link: through the public username, or 'unlisted' (a link the userbot cannot list). */
  unlisted?: boolean;
  /** Without a link: through a link not identified yet (seen live, cut: `shown` is what the bot saw). */
  unknown?: boolean;
  shown?: string;
  about: string | null;
}

export type NotifyEvent =
  /** `newest`: the newest join date of the page (backfill pages carry only their date range). */
  | { type: 'joins'; id: number; chatId: bigint; link: string; backfill: boolean; joins: JoinItem[]; newest: number | null }
  /** `createdAt`: when the event was written (unix seconds). */
  | { type: 'requests'; id: number; chatId: bigint; createdAt: number; requests: RequestItem[] }
  | { type: 'link_near_limit'; id: number; chatId: bigint; link: string; title: string | null; usage: number; usageLimit: number }
  | { type: 'link_expiring'; id: number; chatId: bigint; link: string; title: string | null; expireDate: number }
  /** `error`: one line naming the failure, for throttling repeats; `what`/`link`/`chat` word it per language. */
  | { type: 'sync_failed'; id: number; chatId: bigint | null; error: string; what: string | null; link: string | null; chat: string | null }
  | { type: 'session_revoked'; id: number; error: string }
  | { type: 'other'; id: number; kind: string };

type Payload = Record<string, unknown>;

export function parseEvent(event: OutboxEvent): NotifyEvent {
  const p: Payload = typeof event.payload === 'object' && event.payload !== null ? (event.payload as Payload) : {};
  const chatId = event.chatId ?? undefined;
  const id = event.id;
  const parsed = parseKnown(event.kind, id, chatId, p, event.createdAt);
  return parsed ?? { type: 'other', id, kind: event.kind };
}

function parseKnown(kind: string, id: number, chatId: bigint | undefined, p: Payload, createdAt: number): NotifyEvent | undefined {
  switch (kind) {
    case EventKind.JoinsNew: {
      const link = textOf(p.link);
      if (chatId === undefined || link === undefined) return undefined;
      const joins = arrayOf(p.joins).flatMap((j) => {
        const userId = bigintOf(j.userId);
        const date = numberOf(j.date);
        return userId === undefined || date === undefined ? [] : [{ userId, date, approvedBy: bigintOf(j.approvedBy) ?? null }];
      });
      return { type: 'joins', id, chatId, link, backfill: p.backfill === true, joins, newest: numberOf(p.newest) ?? null };
    }
    case EventKind.RequestsNew: {
      if (chatId === undefined) return undefined;
      const requests = arrayOf(p.requests).flatMap((r) => {
        const userId = bigintOf(r.userId);
        const date = numberOf(r.date);
        if (userId === undefined || date === undefined) return [];
        const link = textOf(r.link) ?? null;
        const unknown = link === null && r.via === 'unknown';
        const shown = unknown ? textOf(r.shown)?.slice(0, 100) : undefined;
        return [{ userId, date, link, ...(r.via === 'unlisted' ? { unlisted: true } : {}), ...(unknown ? { unknown: true } : {}), ...(shown ? { shown } : {}), about: textOf(r.about) ?? null }];
      });
      return { type: 'requests', id, chatId, createdAt, requests };
    }
    case EventKind.LinkNearLimit: {
      const link = textOf(p.link);
      const usage = numberOf(p.usage);
      const usageLimit = numberOf(p.usageLimit);
      if (chatId === undefined || link === undefined || usage === undefined || usageLimit === undefined) return undefined;
      return { type: 'link_near_limit', id, chatId, link, title: textOf(p.title) ?? null, usage, usageLimit };
    }
    case EventKind.LinkExpiring: {
      const link = textOf(p.link);
      const expireDate = numberOf(p.expireDate);
      if (chatId === undefined || link === undefined || expireDate === undefined) return undefined;
      return { type: 'link_expiring', id, chatId, link, title: textOf(p.title) ?? null, expireDate };
    }
    case EventKind.SyncFailed: {
      const what = [textOf(p.kind), textOf(p.code)].filter(Boolean).join(' ') || null;
      const link = textOf(p.link) ?? null;
      const chat = link === null && chatId === undefined ? (textOf(p.chat) ?? null) : null;
      return { type: 'sync_failed', id, chatId: chatId ?? null, error: [what ?? '?', link ?? '', chat ?? ''].join('|'), what, link, chat };
    }
    case EventKind.SessionRevoked:
      return { type: 'session_revoked', id, error: textOf(p.code) ?? textOf(p.kind) ?? 'SESSION_REVOKED' };
    default:
      return undefined;
  }
}

function arrayOf(v: unknown): Payload[] {
  return Array.isArray(v) ? v.filter((x): x is Payload => typeof x === 'object' && x !== null) : [];
}

function bigintOf(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d{1,20}$/.test(v)) return BigInt(v);
  return undefined;
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,15}$/.test(v)) return Number(v);
  return undefined;
}

function textOf(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
