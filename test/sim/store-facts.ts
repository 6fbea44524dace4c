/** The store's joins and requests as plain rows, for the model check's oracle (tests may read SQL). */
import type { Store } from '../../src/store/index.js';

export interface StoredStay {
  chatId: bigint;
  link: string;
  userId: bigint;
  date: number;
  approvedBy: bigint | null;
  firstSeen: number;
  leftAt: number | null;
  leftHow: string | null;
}

export interface StoredRequest {
  chatId: bigint;
  userId: bigint;
  link: string | null;
  via: 'link' | 'username' | 'unlisted' | 'unknown';
  date: number;
  about: string | null;
  status: 'pending' | 'approved' | 'declined' | 'gone';
  decidedBy: bigint | null;
  decidedAt: number | null;
  firstSeen: number;
}

const num = (v: unknown): number => Number(v);
const optNum = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const optId = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(v as bigint));

function columns(store: Store, table: string): Set<string> {
  return new Set((store.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
}

export function storedStays(store: Store): StoredStay[] {
  const left = columns(store, 'joins').has('left_at');
  const rows = store.db
    .prepare(`SELECT l.chat_id, l.link, j.user_id, j.date, j.approved_by, j.first_seen ${left ? ', j.left_at, j.left_how' : ''}
              FROM joins j JOIN invite_links l ON l.id = j.link_id`)
    .all() as Record<string, unknown>[];
  return rows.map((r) => ({
    chatId: BigInt(r.chat_id as bigint),
    link: String(r.link),
    userId: BigInt(r.user_id as bigint),
    date: num(r.date),
    approvedBy: optId(r.approved_by),
    firstSeen: num(r.first_seen),
    leftAt: optNum(r.left_at),
    leftHow: (r.left_how as string | undefined) ?? null,
  }));
}

export function storedRequests(store: Store): StoredRequest[] {
  const via = columns(store, 'join_requests').has('via');
  const rows = store.db
    .prepare(`SELECT chat_id, user_id, link, date, about, status, decided_by, decided_at, first_seen ${via ? ', via' : ''} FROM join_requests`)
    .all() as Record<string, unknown>[];
  return rows.map((r) => ({
    chatId: BigInt(r.chat_id as bigint),
    userId: BigInt(r.user_id as bigint),
    link: (r.link as string | null) ?? null,
    via: ((r.via as string | undefined) ?? (r.link ? 'link' : 'username')) as StoredRequest['via'],
    date: num(r.date),
    about: (r.about as string | null) ?? null,
    status: r.status as StoredRequest['status'],
    decidedBy: optId(r.decided_by),
    decidedAt: optNum(r.decided_at),
    firstSeen: num(r.first_seen),
  }));
}

export interface StoredLink {
  chatId: bigint;
  link: string;
  adminId: bigint;
  goneAt: number | null;
  /** null also when the store predates the mark. */
  adminDepartedAt: number | null;
}

export function storedLinks(store: Store): StoredLink[] {
  const departed = columns(store, 'invite_links').has('admin_departed_at');
  const rows = store.db
    .prepare(`SELECT chat_id, link, admin_id, gone_at ${departed ? ', admin_departed_at' : ''} FROM invite_links`)
    .all() as Record<string, unknown>[];
  return rows.map((r) => ({
    chatId: BigInt(r.chat_id as bigint),
    link: String(r.link),
    adminId: BigInt(r.admin_id as bigint),
    goneAt: optNum(r.gone_at),
    adminDepartedAt: optNum(r.admin_departed_at),
  }));
}

/** Outbox events of a kind with their payloads (ids as decimal strings). */
export function storedEvents(store: Store, kind: string): Record<string, unknown>[] {
  return (store.db.prepare('SELECT payload FROM outbox WHERE kind = ? ORDER BY id').all(kind) as { payload: string }[]).map(
    (r) => JSON.parse(r.payload) as Record<string, unknown>,
  );
}
