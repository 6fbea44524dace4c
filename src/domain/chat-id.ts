/**
 * Chat ids cross three forms: MTProto's positive channel id (1700000001), the Bot API's
 * marked form (-1001700000001), and user ids (positive, private chats). joinwatch stores the
 * Bot API form everywhere (one documented form), and converts only at the MTProto boundary.
 * Everything is bigint: ids exceed 2^53.
 */
const CHANNEL_MARK = 1_000_000_000_000n; // -100… prefix: botApiId = -(MARK + channelId)

export function botApiChatIdFromChannel(channelId: bigint): bigint {
  if (channelId <= 0n) throw new RangeError(`channel id must be positive, got ${channelId}`);
  return -(CHANNEL_MARK + channelId);
}

export function channelIdFromBotApiChatId(chatId: bigint): bigint {
  if (!isChannelChatId(chatId)) throw new RangeError(`not a -100… supergroup/channel id: ${chatId}`);
  return -chatId - CHANNEL_MARK;
}

export function isChannelChatId(chatId: bigint): boolean {
  return chatId < -CHANNEL_MARK;
}

/** Parses a decimal id typed by a person or read from config; undefined when it is not a 64-bit integer. */
export function parseId(text: string): bigint | undefined {
  const trimmed = text.trim();
  if (!/^-?\d{1,20}$/.test(trimmed)) return undefined;
  const id = BigInt(trimmed);
  // Telegram ids are signed 64-bit (SQLite INTEGER): a larger number is a typo, not an id.
  return id >= -(2n ** 63n) && id < 2n ** 63n ? id : undefined;
}
