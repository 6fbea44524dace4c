/**
 * A position in a newest-first list ordered by (date desc, user_id desc), as Telegram pages
 * importers. Exclusive: a page "before" a cursor starts with the next older row.
 */
export interface Cursor {
  date: number;
  userId: bigint;
}

/** Compact text form for callback data ("1767225600.123456789"), well under Telegram's 64 bytes. */
export function encodeCursor(cursor: Cursor): string {
  return `${cursor.date}.${cursor.userId}`;
}

/** Undefined for anything that is not a cursor we wrote: callback data is user-controlled input. */
export function decodeCursor(text: string): Cursor | undefined {
  const match = /^(\d{1,12})\.(-?\d{1,20})$/.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  const userId = BigInt(match[2]);
  if (userId > 9223372036854775807n || userId < -9223372036854775808n) return undefined;
  return { date: Number(match[1]), userId };
}
