/**
 * The Bot API carries chat and user ids as JSON numbers; Telegram guarantees they fit in 52 bits,
 * so the conversion from our bigint ids is exact. It is checked anyway: a silently rounded id
 * would address the wrong chat.
 */
export function toApiId(id: bigint): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n)) throw new RangeError(`id ${id} does not fit a Bot API number`);
  return n;
}
