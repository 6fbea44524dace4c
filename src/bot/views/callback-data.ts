/**
 * Callback data is limited to 64 bytes. Buttons carry a short verb and a few compact fields:
 * integers (ids, dates, cursors) in base 36, separated by `:`, and a signature as the last field
 * (src/bot/buttons.ts: forged or changed data is refused before any feature sees it). Anything
 * bigger (a search query, the ids behind "approve all") stays in SQLite behind a short token.
 */
export const CALLBACK_LIMIT = 64;

export function encodeInt(value: bigint | number): string {
  const n = typeof value === 'number' ? BigInt(Math.trunc(value)) : value;
  return n < 0n ? `-${(-n).toString(36)}` : n.toString(36);
}

/** Parses a base-36 integer written by `encodeInt`; undefined for anything else. */
export function decodeInt(text: string | undefined): bigint | undefined {
  if (text === undefined || !/^-?[0-9a-z]{1,14}$/.test(text)) return undefined;
  const negative = text.startsWith('-');
  let n = 0n;
  for (const ch of negative ? text.slice(1) : text) n = n * 36n + BigInt(parseInt(ch, 36));
  return negative ? -n : n;
}

export function decodeNumber(text: string | undefined): number | undefined {
  const n = decodeInt(text);
  if (n === undefined || n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) return undefined;
  return Number(n);
}

/** Joins a verb and fields, unsigned (ButtonBook.pack signs it and checks the 64 bytes). */
export function joinFields(verb: string, ...fields: (string | bigint | number)[]): string {
  return [verb, ...fields.map((f) => (typeof f === 'string' ? f : encodeInt(f)))].join(':');
}

/**
 * Splits signed callback data into verb and fields; the signature (the last field, checked by
 * the signed-buttons middleware before any feature runs) is left out. The caller validates each field.
 */
export function unpack(data: string): { verb: string; fields: string[] } {
  const [verb = '', ...rest] = data.split(':');
  return { verb, fields: rest.slice(0, -1) };
}
