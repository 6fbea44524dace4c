import type { Database as Db } from 'better-sqlite3';
import { num, optId, str, unixNow, type RawRow } from './row.js';

export interface OutboxEvent {
  id: number; // local row id: delivery order
  kind: string;
  chatId: bigint | null;
  /** The payload as stored in JSON: bigints were written as decimal strings. */
  payload: unknown;
  createdAt: number;
}

export interface OutboxRepo {
  /** Queues an event; call it inside the transaction that writes the rows causing it. */
  add(kind: string, chatId: bigint | null, payload: unknown, now?: number): number;
  undelivered(limit: number): OutboxEvent[];
  markDelivered(ids: readonly number[], now?: number): void;
  /** Deletes events delivered before `before` (unix seconds); returns how many. */
  purgeDelivered(before: number): number;
}

/** JSON cannot hold bigint: ids become decimal strings, the documented boundary form. */
export function toJson(payload: unknown): string {
  // Fast path for the common flat event ({ userId: 1n, date: 2 }): a replacer function makes
  // JSON.stringify several times slower, and this runs once per joiner written.
  if (isFlatRecord(payload)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(payload)) {
      const value = payload[key];
      copy[key] = typeof value === 'bigint' ? value.toString() : value;
    }
    return JSON.stringify(copy);
  }
  return JSON.stringify(payload ?? null, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
}

function isFlatRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) {
    return false;
  }
  return Object.values(value).every((v) => v === null || typeof v !== 'object');
}

export function createOutboxRepo(db: Db): OutboxRepo {
  const add = db.prepare('INSERT INTO outbox (kind, chat_id, payload, created_at) VALUES (?, ?, ?, ?)');
  const undelivered = db.prepare(
    'SELECT id, kind, chat_id, payload, created_at FROM outbox WHERE delivered_at IS NULL ORDER BY id LIMIT ?',
  );
  const mark = db.prepare('UPDATE outbox SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL');
  const purge = db.prepare('DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?');
  const markMany = db.transaction((ids: readonly number[], now: number) => {
    for (const eventId of ids) mark.run(now, eventId);
  });
  return {
    add: (kind, chatId, payload, now = unixNow()) =>
      num(add.run(kind, chatId, toJson(payload), now).lastInsertRowid),
    undelivered: (limit) =>
      (undelivered.all(limit) as RawRow[]).map((r) => ({
        id: num(r.id),
        kind: str(r.kind),
        chatId: optId(r.chat_id),
        payload: JSON.parse(str(r.payload)) as unknown,
        createdAt: num(r.created_at),
      })),
    markDelivered: (ids, now = unixNow()) => markMany(ids, now),
    purgeDelivered: (before) => purge.run(before).changes,
  };
}
