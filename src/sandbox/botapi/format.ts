/**
 * What Telegram does to a message text before storing it: apply the parse mode (or take explicit
 * entities), trim surrounding whitespace, enforce the length limit, and add the entities it detects
 * by itself (bot commands, mentions, hashtags, URLs, e-mails), which is what a bot reads back.
 */
import { ParseEntitiesError, sortEntities, type BotEntity } from './entity-types.js';
import { parseHtml } from './parse-html.js';
import { parseMarkdownLegacy, parseMarkdownV2 } from './parse-markdown.js';
import { BotApiError } from './errors.js';

export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

export function formatText(
  raw: unknown,
  parseMode: unknown,
  explicit: unknown,
  kind: 'text' | 'caption',
): { text: string; entities: BotEntity[] } {
  if (raw === undefined || raw === null || raw === '') {
    if (kind === 'caption') return { text: '', entities: [] };
    throw new BotApiError(400, 'Bad Request: message text is empty');
  }
  if (typeof raw !== 'string') throw new BotApiError(400, `Bad Request: field "${kind}" must be of type String`);
  let parsed: { text: string; entities: BotEntity[] };
  try {
    parsed = parse(raw, parseMode, explicit);
  } catch (e) {
    if (e instanceof ParseEntitiesError) throw new BotApiError(400, `Bad Request: ${e.message}`);
    throw e;
  }
  const { text, entities } = trim(parsed.text, parsed.entities);
  if (text.length === 0 && kind === 'text') throw new BotApiError(400, 'Bad Request: message text is empty');
  const limit = kind === 'text' ? TEXT_LIMIT : CAPTION_LIMIT;
  if ([...text].length > limit) {
    throw new BotApiError(400, kind === 'text' ? 'Bad Request: message is too long' : 'Bad Request: message caption is too long');
  }
  return { text, entities: sortEntities([...entities, ...detect(text, entities)]) };
}

function parse(raw: string, parseMode: unknown, explicit: unknown): { text: string; entities: BotEntity[] } {
  if (explicit !== undefined && explicit !== null) {
    const list = typeof explicit === 'string' ? (JSON.parse(explicit) as unknown) : explicit;
    if (!Array.isArray(list)) throw new BotApiError(400, "Bad Request: can't parse entities JSON object");
    return { text: raw, entities: list as BotEntity[] };
  }
  const mode = typeof parseMode === 'string' ? parseMode.toLowerCase() : '';
  if (mode === '') return { text: raw, entities: [] };
  if (mode === 'html') return parseHtml(raw);
  if (mode === 'markdownv2') return parseMarkdownV2(raw);
  if (mode === 'markdown') return parseMarkdownLegacy(raw);
  throw new BotApiError(400, `Bad Request: unsupported parse_mode "${String(parseMode)}"`);
}

/** Telegram strips leading and trailing whitespace; entities shift and shrink with it. */
function trim(text: string, entities: BotEntity[]): { text: string; entities: BotEntity[] } {
  const start = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const end = start + trimmed.length;
  const out: BotEntity[] = [];
  for (const e of entities) {
    const from = Math.max(e.offset, start);
    const to = Math.min(e.offset + e.length, end);
    if (to > from) out.push({ ...e, offset: from - start, length: to - from });
  }
  return { text: trimmed, entities: out };
}

const DETECTORS: [string, RegExp][] = [
  ['url', /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/gi],
  ['email', /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g],
  ['bot_command', /(?<![\w/])\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{5,32})?(?![\w/])/g],
  ['mention', /(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\w@])/g],
  ['hashtag', /(?<![\w#])#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*/gu],
];

/** Auto-detected entities, outside code, pre and links (Telegram does not look inside those). */
export function detect(text: string, existing: BotEntity[] = []): BotEntity[] {
  const blocked = existing.filter((e) => ['code', 'pre', 'text_link', 'url', 'email'].includes(e.type));
  const found: BotEntity[] = [];
  const overlaps = (a: number, b: number, list: BotEntity[]): boolean => list.some((e) => a < e.offset + e.length && e.offset < b);
  for (const [type, re] of DETECTORS) {
    for (const m of text.matchAll(re)) {
      const offset = m.index ?? 0;
      const end = offset + m[0].length;
      if (overlaps(offset, end, blocked) || overlaps(offset, end, found)) continue;
      found.push({ type, offset, length: m[0].length });
    }
  }
  return found;
}
