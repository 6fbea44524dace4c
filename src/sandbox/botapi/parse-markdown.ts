/**
 * Telegram's MarkdownV2 parse mode, modelled on tdlib's parse_markdown_v2: every reserved character
 * outside code must be escaped, entities nest and close innermost first, and errors use Telegram's
 * wording ("Character '.' is reserved…", "Can't find end of Bold entity at byte offset N").
 * Legacy "Markdown" is handled too, since bots still use it.
 */
import { byteOffset, ParseEntitiesError, type BotEntity } from './entity-types.js';

const RESERVED = new Set(['_', '*', '[', ']', '(', ')', '~', '`', '>', '#', '+', '-', '=', '|', '{', '}', '.', '!']);

interface Open {
  kind: 'Bold' | 'Italic' | 'Underline' | 'Strikethrough' | 'Spoiler' | 'TextUrl';
  marker: string;
  offset: number;
  at: number;
}

const TYPES: Record<Open['kind'], string> = {
  Bold: 'bold', Italic: 'italic', Underline: 'underline', Strikethrough: 'strikethrough', Spoiler: 'spoiler', TextUrl: 'text_link',
};

export function parseMarkdownV2(input: string): { text: string; entities: BotEntity[] } {
  let text = '';
  const entities: BotEntity[] = [];
  const stack: Open[] = [];
  let quoteStart = -1;
  const fail = (msg: string): never => {
    throw new ParseEntitiesError(msg);
  };
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    const lineStart = i === 0 || input[i - 1] === '\n';
    if (lineStart && quoteStart >= 0 && c !== '>') {
      entities.push({ type: 'blockquote', offset: quoteStart, length: text.length - 1 - quoteStart });
      quoteStart = -1;
    }
    if (lineStart && c === '>') {
      if (quoteStart < 0) quoteStart = text.length;
      i++;
      continue;
    }
    if (c === '\\' && i + 1 < input.length && (input.codePointAt(i + 1) ?? 200) < 127) {
      text += input[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      i = parseCode(input, i, text.length, entities, (s) => (text += s), fail);
      continue;
    }
    const top = stack[stack.length - 1];
    const two = input.slice(i, i + 2);
    const marker = two === '__' || two === '||' ? two : c;
    if (top && marker === top.marker && (top.kind !== 'TextUrl')) {
      stack.pop();
      if (text.length > top.offset) entities.push({ type: TYPES[top.kind], offset: top.offset, length: text.length - top.offset });
      i += marker.length;
      continue;
    }
    if (c === ']' && top?.kind === 'TextUrl') {
      stack.pop();
      i++;
      let url = '';
      if (input[i] === '(') {
        const close = findUrlEnd(input, i + 1);
        if (close < 0) fail(`Can't find end of a url at byte offset ${byteOffset(input, i + 1)}`);
        url = input.slice(i + 1, close).replace(/\\([)\\])/g, '$1');
        i = close + 1;
      }
      if (text.length > top.offset && url) entities.push({ type: 'text_link', offset: top.offset, length: text.length - top.offset, url });
      continue;
    }
    const kind = openerKind(marker);
    if (kind) {
      stack.push({ kind, marker: kind === 'TextUrl' ? ']' : marker, offset: text.length, at: byteOffset(input, i) });
      i += marker.length;
      continue;
    }
    if (RESERVED.has(c)) fail(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
    text += c;
    i++;
  }
  const unclosed = stack[stack.length - 1];
  if (unclosed) fail(`Can't find end of ${unclosed.kind} entity at byte offset ${unclosed.at}`);
  if (quoteStart >= 0) entities.push({ type: 'blockquote', offset: quoteStart, length: text.length - quoteStart });
  return { text, entities };
}

function openerKind(marker: string): Open['kind'] | undefined {
  switch (marker) {
    case '*': return 'Bold';
    case '_': return 'Italic';
    case '__': return 'Underline';
    case '~': return 'Strikethrough';
    case '||': return 'Spoiler';
    case '[': return 'TextUrl';
    default: return undefined;
  }
}

/** `code` or ```pre```: inside, only ` and \ are escaped. Returns the index after the entity. */
function parseCode(input: string, i: number, offset: number, out: BotEntity[], emit: (s: string) => void, fail: (m: string) => never): number {
  const pre = input.startsWith('```', i);
  const open = i;
  i += pre ? 3 : 1;
  let language: string | undefined;
  if (pre) {
    // tdlib: a run of non-space characters followed by whitespace names the language.
    const lang = /^([^\s`]+)(?=\s)/.exec(input.slice(i, i + 64));
    if (lang?.[1]) {
      language = lang[1];
      i += language.length;
    }
    if (input[i] === '\r' || input[i] === '\n') i += input.startsWith('\r\n', i) ? 2 : 1;
  }
  let body = '';
  for (;;) {
    if (i >= input.length) fail(`Can't find end of ${pre ? (language ? 'PreCode' : 'Pre') : 'Code'} entity at byte offset ${byteOffset(input, open)}`);
    if (input[i] === '\\' && (input[i + 1] === '`' || input[i + 1] === '\\')) {
      body += input[i + 1];
      i += 2;
      continue;
    }
    if (pre ? input.startsWith('```', i) : input[i] === '`') break;
    body += input[i++];
  }
  emit(body);
  if (body.length > 0) out.push({ type: pre ? 'pre' : 'code', offset, length: body.length, ...(language ? { language } : {}) });
  return i + (pre ? 3 : 1);
}

function findUrlEnd(input: string, from: number): number {
  for (let i = from; i < input.length; i++) {
    if (input[i] === '\\') i++;
    else if (input[i] === ')') return i;
  }
  return -1;
}

/** Legacy Markdown (tdlib parse_markdown): *bold* _italic_ `code` ```pre``` [text](url), no nesting. */
export function parseMarkdownLegacy(input: string): { text: string; entities: BotEntity[] } {
  let text = '';
  const entities: BotEntity[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (c === '\\' && '_*`['.includes(input[i + 1] ?? 'x')) {
      text += input[i + 1];
      i += 2;
      continue;
    }
    if (!'_*`['.includes(c)) {
      text += c;
      i++;
      continue;
    }
    const pre = input.startsWith('```', i);
    const endMarker = c === '[' ? ']' : pre ? '```' : c;
    const from = i + (pre ? 3 : 1);
    const end = input.indexOf(endMarker, from);
    if (end < 0) throw new ParseEntitiesError(`Can't find end of the entity starting at byte offset ${byteOffset(input, i)}`);
    const body = input.slice(from, end);
    const offset = text.length;
    text += body;
    i = end + endMarker.length;
    if (c === '[') {
      let url = body;
      if (input[i] === '(') {
        const close = input.indexOf(')', i);
        url = input.slice(i + 1, close < 0 ? input.length : close);
        i = close < 0 ? input.length : close + 1;
      }
      if (body) entities.push({ type: 'text_link', offset, length: body.length, url });
    } else if (body) {
      entities.push({ type: c === '*' ? 'bold' : c === '_' ? 'italic' : pre ? 'pre' : 'code', offset, length: body.length });
    }
  }
  return { text, entities };
}
