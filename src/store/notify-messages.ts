/**
 * Notifications in progress, per recipient (migration NNN_restart): a message is written here
 * before its first part is sent, each part is recorded as it goes out, and the events it carries
 * are marked delivered in the same transaction that completes it. After a crash the notifier
 * finishes what is here (only the parts not sent yet) before planning anything new: "sent" and
 * "marked" can no longer fall apart. A part whose send began but never came back (the process
 * died meanwhile) is the one thing sent again: Telegram offers no way to ask what was sent.
 * A message of which nothing went out is discarded instead, and its events planned afresh.
 */
import type { Database as Db } from 'better-sqlite3';
import { toJson } from './outbox.js';
import { num, optId, optNum, str, unixNow, type RawRow } from './row.js';

export interface NotifyMessage {
  id: number;
  recipient: string;
  key: string;
  chatId: bigint | null;
  parts: string[];
  eventIds: number[];
  /** What completing it records in the notifier's memory (opaque here: notify/ reads it). */
  effects: unknown[];
  /** Buttons under the last part (Telegram's reply_markup as JSON, opaque here), or null. */
  keyboard: unknown;
  /** Parts Telegram accepted, in order: the next one to send is `parts[sentParts]`. */
  sentParts: number;
  /** The send of `parts[sentParts]` began and its outcome was never recorded. */
  inFlight: boolean;
  /** Telegram's message id of each part sent (null when its answer carried none). */
  messageIds: (number | null)[];
  /** Parts sent again after a restart because their first send's outcome was unknown. */
  repeated: number;
  createdAt: number;
  completedAt: number | null;
}

export interface NewNotifyMessage {
  recipient: string;
  key: string;
  chatId: bigint | null;
  parts: readonly string[];
  eventIds: readonly number[];
  effects: readonly unknown[];
  keyboard?: unknown;
}

export interface NotifyMessagesRepo {
  /** Messages of `recipient` not completed yet, oldest first (what a restart must finish). */
  open(recipient: string): NotifyMessage[];
  create(m: NewNotifyMessage, now?: number): NotifyMessage;
  /** The send of the next part begins (a crash from here on leaves its outcome unknown). */
  sending(id: number): void;
  /** A restart found the next part's send begun and never recorded: it is sent again (counted). */
  repeating(id: number): void;
  /** The next part was sent (Telegram answered with `messageId`). */
  partSent(id: number, messageId: number | null): void;
  /** The send of the next part failed with an answer: it was not delivered. */
  notSent(id: number): void;
  /** Completes the message and runs `andThen` (marking its events delivered) in one transaction. */
  complete(id: number, andThen: () => void, now?: number): void;
  /** Drops a message of which nothing was sent, nor may have been (its events are planned again). */
  discard(id: number): void;
  get(id: number): NotifyMessage | undefined;
  /** Completed messages, oldest first (what reached whom: the fault suite and operators read it). */
  completed(o?: { recipient?: string; limit?: number }): NotifyMessage[];
  /** Deletes messages completed before `before` (unix seconds); returns how many. */
  purgeCompleted(before: number): number;
}

function toMessage(r: RawRow): NotifyMessage {
  return {
    id: num(r.id),
    recipient: str(r.recipient),
    key: str(r.key),
    chatId: optId(r.chat_id),
    parts: JSON.parse(str(r.parts)) as string[],
    eventIds: JSON.parse(str(r.event_ids)) as number[],
    effects: JSON.parse(str(r.effects)) as unknown[],
    keyboard: r.keyboard == null ? null : (JSON.parse(str(r.keyboard)) as unknown),
    sentParts: num(r.sent_parts),
    inFlight: num(r.in_flight) !== 0,
    messageIds: JSON.parse(str(r.message_ids)) as (number | null)[],
    repeated: num(r.repeated),
    createdAt: num(r.created_at),
    completedAt: optNum(r.completed_at),
  };
}

export function createNotifyMessagesRepo(db: Db): NotifyMessagesRepo {
  const open = db.prepare('SELECT * FROM notify_messages WHERE recipient = ? AND completed_at IS NULL ORDER BY id');
  const insert = db.prepare('INSERT INTO notify_messages (recipient, key, chat_id, parts, event_ids, effects, keyboard, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  // Never one whose first send may have reached Telegram before a crash (repeated > 0): it is finished as planned.
  const discard = db.prepare('DELETE FROM notify_messages WHERE id = ? AND sent_parts = 0 AND in_flight = 0 AND repeated = 0 AND completed_at IS NULL');
  const get = db.prepare('SELECT * FROM notify_messages WHERE id = ?');
  const sending = db.prepare('UPDATE notify_messages SET in_flight = 1 WHERE id = ?');
  const sent = db.prepare(`UPDATE notify_messages SET sent_parts = sent_parts + 1, in_flight = 0,
    message_ids = json_insert(message_ids, '$[#]', ?) WHERE id = ?`);
  const notSent = db.prepare('UPDATE notify_messages SET in_flight = 0 WHERE id = ?');
  const repeat = db.prepare('UPDATE notify_messages SET repeated = repeated + 1 WHERE id = ?');
  const complete = db.prepare('UPDATE notify_messages SET completed_at = ? WHERE id = ? AND completed_at IS NULL');
  const completedAll = db.prepare('SELECT * FROM notify_messages WHERE completed_at IS NOT NULL ORDER BY id LIMIT ?');
  const completedFor = db.prepare('SELECT * FROM notify_messages WHERE completed_at IS NOT NULL AND recipient = ? ORDER BY id LIMIT ?');
  const purge = db.prepare('DELETE FROM notify_messages WHERE completed_at IS NOT NULL AND completed_at < ?');
  const completeTx = db.transaction((id: number, andThen: () => void, now: number) => {
    if (complete.run(now, id).changes > 0) andThen();
  });
  return {
    open: (recipient) => (open.all(recipient) as RawRow[]).map(toMessage),
    create: (m, now = unixNow()) => {
      const id = num(insert.run(m.recipient, m.key, m.chatId, JSON.stringify(m.parts), JSON.stringify(m.eventIds), toJson(m.effects), m.keyboard == null ? null : JSON.stringify(m.keyboard), now).lastInsertRowid);
      return toMessage(get.get(id) as RawRow);
    },
    sending: (id) => void sending.run(id),
    repeating: (id) => void repeat.run(id),
    partSent: (id, messageId) => void sent.run(messageId, id),
    notSent: (id) => void notSent.run(id),
    complete: (id, andThen, now = unixNow()) => completeTx(id, andThen, now),
    discard: (id) => void discard.run(id),
    get: (id) => {
      const r = get.get(id) as RawRow | undefined;
      return r && toMessage(r);
    },
    completed: (o = {}) => ((o.recipient === undefined ? completedAll.all(o.limit ?? 1_000_000) : completedFor.all(o.recipient, o.limit ?? 1_000_000)) as RawRow[]).map(toMessage),
    purgeCompleted: (before) => purge.run(before).changes,
  };
}
