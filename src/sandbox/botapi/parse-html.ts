/**
 * Telegram's HTML parse mode, following tdlib's parse_html: a small fixed tag set, nesting with a
 * stack, only &lt; &gt; &amp; &quot; and numeric references decoded (any other '&' stays literal),
 * and the same error texts, so a bot that would get a 400 from Telegram gets it here.
 */
import { byteOffset, ParseEntitiesError, type BotEntity } from './entity-types.js';

const TAGS = new Set(['a', 'b', 'strong', 'i', 'em', 's', 'strike', 'del', 'u', 'ins', 'tg-spoiler', 'span', 'pre', 'code', 'blockquote', 'tg-emoji']);

interface Open {
  name: string;
  attrs: Map<string, string>;
  offset: number;
  at: number;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r';

export function parseHtml(input: string): { text: string; entities: BotEntity[] } {
  let text = '';
  const entities: BotEntity[] = [];
  const stack: Open[] = [];
  let i = 0;
  const fail = (msg: string): never => {
    throw new ParseEntitiesError(msg);
  };
  while (i < input.length) {
    const c = input[i] as string;
    if (c === '&') {
      const decoded = decodeEntity(input, i);
      if (decoded) {
        text += decoded.char;
        i = decoded.end;
        continue;
      }
    }
    if (c !== '<') {
      text += c;
      i++;
      continue;
    }
    const at = byteOffset(input, i);
    if (input[i + 1] === '/') {
      if (stack.length === 0) fail(`Unexpected end tag at byte offset ${at}`);
      let j = i + 2;
      while (j < input.length && !isSpace(input[j]) && input[j] !== '>') j++;
      const name = input.slice(i + 2, j).toLowerCase();
      while (isSpace(input[j])) j++;
      if (input[j] !== '>') fail(`Unclosed end tag at byte offset ${at}`);
      const open = stack.pop() ?? fail(`Unexpected end tag at byte offset ${at}`);
      if (name !== '' && name !== open.name) fail(`Unmatched end tag at byte offset ${at}, expected "</${open.name}>", found "</${name}>"`);
      closeEntity(open, text, entities, stack, fail);
      i = j + 1;
      continue;
    }
    let j = i + 1;
    while (j < input.length && !isSpace(input[j]) && input[j] !== '>') j++;
    if (j >= input.length) fail(`Unclosed start tag at byte offset ${at}`);
    const name = input.slice(i + 1, j).toLowerCase();
    if (!TAGS.has(name)) fail(`Unsupported start tag "${name}" at byte offset ${at}`);
    const { attrs, end } = parseAttributes(input, j, name, at, fail);
    stack.push({ name, attrs, offset: text.length, at });
    i = end + 1;
  }
  const unclosed = stack[stack.length - 1];
  if (unclosed) fail(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  return { text, entities };
}

function parseAttributes(input: string, start: number, tag: string, at: number, fail: (m: string) => never): { attrs: Map<string, string>; end: number } {
  const attrs = new Map<string, string>();
  let i = start;
  for (;;) {
    while (isSpace(input[i])) i++;
    if (i >= input.length) fail(`Unclosed start tag at byte offset ${at}`);
    if (input[i] === '>') return { attrs, end: i };
    const nameStart = i;
    while (i < input.length && !isSpace(input[i]) && input[i] !== '=' && input[i] !== '>') i++;
    const name = input.slice(nameStart, i).toLowerCase();
    if (name === '') fail(`Empty attribute name in the tag "${tag}" at byte offset ${at}`);
    while (isSpace(input[i])) i++;
    if (input[i] !== '=') {
      // Attributes without a value (e.g. <blockquote expandable>) are allowed.
      attrs.set(name, '');
      continue;
    }
    i++;
    while (isSpace(input[i])) i++;
    if (i >= input.length) fail(`Unclosed start tag at byte offset ${at}`);
    let value = '';
    const quote = input[i];
    if (quote === '"' || quote === "'") {
      i++;
      while (i < input.length && input[i] !== quote) {
        const d = input[i] === '&' ? decodeEntity(input, i) : undefined;
        if (d) {
          value += d.char;
          i = d.end;
        } else value += input[i++];
      }
      if (i >= input.length) fail(`Unclosed start tag at byte offset ${at}`);
      i++;
    } else {
      const tokenStart = i;
      while (i < input.length && /[A-Za-z0-9.\-]/.test(input[i] as string)) i++;
      value = input.slice(tokenStart, i).toLowerCase();
      if (!isSpace(input[i]) && input[i] !== '>') fail(`Unexpected end of name token at byte offset ${byteOffset(input, i)}`);
    }
    attrs.set(name, value);
  }
}

function closeEntity(open: Open, text: string, out: BotEntity[], stack: Open[], fail: (m: string) => never): void {
  const length = text.length - open.offset;
  const base = { offset: open.offset, length };
  const name = open.name;
  if (name === 'span' && open.attrs.get('class') !== 'tg-spoiler') fail(`Tag "span" must have class "tg-spoiler" at byte offset ${open.at}`);
  if (length === 0) return;
  const simple: Record<string, string> = {
    b: 'bold', strong: 'bold', i: 'italic', em: 'italic', s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough',
    u: 'underline', ins: 'underline', 'tg-spoiler': 'spoiler', span: 'spoiler',
  };
  const type = simple[name];
  if (type) {
    out.push({ type, ...base });
  } else if (name === 'a') {
    const href = open.attrs.get('href') ?? text.slice(open.offset);
    const user = /^tg:\/\/user\?id=(\d+)$/.exec(href);
    if (user) out.push({ type: 'text_mention', ...base, user: { id: Number(user[1]), is_bot: false, first_name: '' } });
    else if (isUrl(href)) out.push({ type: 'text_link', ...base, url: href });
  } else if (name === 'code') {
    const parent = stack[stack.length - 1];
    const lang = /^language-(.+)$/.exec(open.attrs.get('class') ?? '')?.[1];
    // <pre><code class="language-x"> is one pre entity with a language, not a code entity.
    if (parent?.name === 'pre' && lang) parent.attrs.set('language', lang);
    else if (parent?.name !== 'pre') out.push({ type: 'code', ...base });
  } else if (name === 'pre') {
    const language = open.attrs.get('language');
    out.push({ type: 'pre', ...base, ...(language ? { language } : {}) });
  } else if (name === 'blockquote') {
    out.push({ type: open.attrs.has('expandable') ? 'expandable_blockquote' : 'blockquote', ...base });
  } else if (name === 'tg-emoji') {
    const id = open.attrs.get('emoji-id');
    if (!id) fail(`Tag "tg-emoji" must have attribute "emoji-id" at byte offset ${open.at}`);
    out.push({ type: 'custom_emoji', ...base, custom_emoji_id: id });
  }
}

function isUrl(href: string): boolean {
  return /^(https?:\/\/|tg:\/\/|ton:\/\/)?[^\s/]+\.[^\s]+$/i.test(href) || /^tg:\/\//i.test(href);
}

/** tdlib's decode_html_entity: only four names and numeric references; anything else is literal. */
function decodeEntity(s: string, pos: number): { char: string; end: number } | undefined {
  let end = pos + 1;
  let code = 0;
  if (s[end] === '#') {
    end++;
    const hex = s[end] === 'x' || s[end] === 'X';
    if (hex) end++;
    const digits = hex ? /[0-9a-fA-F]/ : /[0-9]/;
    const begin = end;
    while (end < s.length && digits.test(s[end] as string)) end++;
    if (end === begin || end - pos >= 10) return undefined;
    code = parseInt(s.slice(begin, end), hex ? 16 : 10);
    if (code === 0 || code >= 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  } else {
    while (end < s.length && /[A-Za-z]/.test(s[end] as string)) end++;
    const names: Record<string, number> = { lt: 60, gt: 62, amp: 38, quot: 34 };
    const found = names[s.slice(pos + 1, end)];
    if (found === undefined) return undefined;
    code = found;
  }
  if (s[end] === ';') end++;
  return { char: String.fromCodePoint(code), end };
}
