/**
 * One export line in the shape of issue 4 (issue 8 added left_at and left_how at the end): exactly these columns, ids as decimal text (64-bit safe),
 * the chat in its `-100…` form, dates ISO-8601 UTC without milliseconds, booleans `true`/`false`,
 * empty for "none". JSON uses the same objects (ids as strings, nulls for "none").
 */
import type { ExportRow } from '../store/index.js';

export const EXPORT_COLUMNS = [
  'chat_id',
  'link',
  'user_id',
  'username',
  'first_name',
  'last_name',
  'date',
  'status',
  'approved_by',
  'about',
  'via_chatlist',
  // Joins only: when the stay ended, and how ('left', 'kicked', or 'unseen': a listing no longer showed them).
  'left_at',
  'left_how',
] as const;

export type ExportStatus = 'joined' | 'pending' | 'approved' | 'declined';

export interface ExportRecord {
  chat_id: string;
  link: string | null;
  user_id: string;
  username: string | null;
  first_name: string;
  last_name: string;
  date: string;
  status: ExportStatus;
  approved_by: string | null;
  about: string | null;
  via_chatlist: boolean;
  left_at: string | null;
  left_how: 'left' | 'kicked' | 'unseen' | null;
}

/** `2026-01-01T00:00:00Z`: ISO-8601 UTC to the second, as the example. */
export function isoDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The store's 'gone' (a request through the public username that left the list: Telegram leaves
 * no trace of an approval there) is exported as 'declined' — "declined or withdrawn" — because the
 * export's status vocabulary has four words.
 */
export function exportStatus(status: ExportRow['status']): ExportStatus {
  return status === 'gone' ? 'declined' : status;
}

export function toRecord(r: ExportRow): ExportRecord {
  return {
    chat_id: r.chatId.toString(),
    link: r.link,
    user_id: r.userId.toString(),
    username: r.username,
    first_name: r.firstName,
    last_name: r.lastName,
    date: isoDate(r.date),
    status: exportStatus(r.status),
    approved_by: r.status === 'joined' || r.status === 'approved' ? (r.approvedBy?.toString() ?? null) : null,
    about: r.about,
    via_chatlist: r.viaChatlist,
    left_at: r.leftAt === null ? null : isoDate(r.leftAt),
    left_how: r.leftHow,
  };
}

/** The CSV cells of a record: empty text for none, `true`/`false` for booleans. */
export function toCells(rec: ExportRecord): string[] {
  return EXPORT_COLUMNS.map((c) => {
    const v = rec[c];
    if (v === null) return '';
    return typeof v === 'boolean' ? String(v) : v;
  });
}
