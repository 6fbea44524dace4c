/**
 * Bot API message entities and the error a formatting parser raises. Offsets and lengths are in
 * UTF-16 code units (what Telegram sends); error positions are UTF-8 byte offsets (what Telegram
 * says in "can't parse entities: … at byte offset N").
 */
export interface BotEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  user?: { id: number; is_bot: boolean; first_name: string };
  custom_emoji_id?: string;
}

export class ParseEntitiesError extends Error {
  constructor(readonly detail: string) {
    super(`can't parse entities: ${detail}`);
    this.name = 'ParseEntitiesError';
  }
}

/** UTF-8 byte offset of UTF-16 index `i` in `s`. */
export function byteOffset(s: string, i: number): number {
  return Buffer.byteLength(s.slice(0, i), 'utf8');
}

/** Sorted like Telegram returns them: by offset, then the longer (outer) entity first. */
export function sortEntities(list: BotEntity[]): BotEntity[] {
  return list.sort((a, b) => a.offset - b.offset || b.length - a.length);
}
