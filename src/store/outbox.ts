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
  /** Events not yet delivered to every recipient, oldest first. */
  undelivered(limit: number): OutboxEvent[];
  /** Events not yet delivered to `recipient` (a chat id as decimal text), oldest first. */
  undeliveredFor(recipient: string, limit: number): OutboxEvent[];
  /** Records that `recipient` got these events (a message carrying them reached it, or they need none). */
  markDeliveredTo(recipient: string, ids: readonly number[], now?: number): void;
  /** Marks delivered (to everyone) the events among `ids` that each of `recipients` got. */
  completeFor(recipients: readonly string[], ids: readonly number[], now?: number): void;
  /**
   * Marks delivered every waiting event each of `recipients` got: what a crash between the delivery
   * marks and `completeFor` left waiting for ever. Returns how many. Scans only waiting events.
   */
  completeAll(recipients: readonly string[], now?: number): number;
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

function toEvent(r: RawRow): OutboxEvent {
  return { id: num(r.id), kind: str(r.kind), chatId: optId(r.chat_id), payload: JSON.parse(str(r.payload)) as unknown, createdAt: num(r.created_at) };
}

export function createOutboxRepo(db: Db): OutboxRepo {
  const add = db.prepare('INSERT INTO outbox (kind, chat_id, payload, created_at) VALUES (?, ?, ?, ?)');
  const undelivered = db.prepare(
    'SELECT id, kind, chat_id, payload, created_at FROM outbox WHERE delivered_at IS NULL ORDER BY id LIMIT ?',
  );
  const mark = db.prepare('UPDATE outbox SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL');
  const purge = db.prepare('DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?');
  const undeliveredFor = db.prepare(`SELECT o.id, o.kind, o.chat_id, o.payload, o.created_at FROM outbox o
    WHERE o.delivered_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM outbox_deliveries d WHERE d.recipient = ? AND d.event_id = o.id)
    ORDER BY o.id LIMIT ?`);
  const deliverTo = db.prepare('INSERT OR IGNORE INTO outbox_deliveries (event_id, recipient, delivered_at) VALUES (?, ?, ?)');
  const receivedBy = db.prepare('SELECT count(*) FROM outbox_deliveries WHERE event_id = ? AND recipient IN (SELECT value FROM json_each(?))').pluck();
  const markTo = db.transaction((recipient: string, ids: readonly number[], now: number) => {
    for (const eventId of ids) deliverTo.run(eventId, recipient, now);
  });
  const completeAll = db.prepare(`UPDATE outbox SET delivered_at = @now WHERE delivered_at IS NULL AND
    (SELECT count(*) FROM outbox_deliveries d WHERE d.event_id = outbox.id AND d.recipient IN (SELECT value FROM json_each(@recipients))) >= @n`);
  const complete = db.transaction((recipients: readonly string[], ids: readonly number[], now: number) => {
    const list = JSON.stringify(recipients);
    for (const eventId of ids) if (num(receivedBy.get(eventId, list)) >= recipients.length) mark.run(now, eventId);
  });
  const markMany = db.transaction((ids: readonly number[], now: number) => {
    for (const eventId of ids) mark.run(now, eventId);
  });
  return {
    add: (kind, chatId, payload, now = unixNow()) =>
      num(add.run(kind, chatId, toJson(payload), now).lastInsertRowid),
    undelivered: (limit) => (undelivered.all(limit) as RawRow[]).map(toEvent),
    undeliveredFor: (recipient, limit) => (undeliveredFor.all(recipient, limit) as RawRow[]).map(toEvent),
    markDeliveredTo: (recipient, ids, now = unixNow()) => markTo(recipient, ids, now),
    completeFor: (recipients, ids, now = unixNow()) => complete(recipients, ids, now),
    completeAll: (recipients, now = unixNow()) =>
      recipients.length === 0 ? 0 : completeAll.run({ now, recipients: JSON.stringify(recipients), n: new Set(recipients).size }).changes,
    markDelivered: (ids, now = unixNow()) => markMany(ids, now),
    purgeDelivered: (before) => purge.run(before).changes,
  };
}
