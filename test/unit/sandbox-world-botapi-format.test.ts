/** The sandbox's Telegram formatting rules (error texts and positions follow tdlib's own tests). */
import { describe, expect, it } from 'vitest';
import { ParseEntitiesError } from '../../src/sandbox/botapi/entity-types.js';
import { detect, formatText } from '../../src/sandbox/botapi/format.js';
import { parseHtml } from '../../src/sandbox/botapi/parse-html.js';
import { parseMarkdownV2 } from '../../src/sandbox/botapi/parse-markdown.js';

function htmlError(s: string): string {
  try {
    parseHtml(s);
  } catch (e) {
    if (e instanceof ParseEntitiesError) return e.detail;
    throw e;
  }
  return 'parsed';
}

function mdError(s: string): string {
  try {
    parseMarkdownV2(s);
  } catch (e) {
    if (e instanceof ParseEntitiesError) return e.detail;
    throw e;
  }
  return 'parsed';
}

describe('HTML parse mode', () => {
  it.each([
    ['🏟 🏟&lt;</', 'Unexpected end tag at byte offset 13'],
    ['🏟 🏟&lt;<b></b></', 'Unexpected end tag at byte offset 20'],
    ['🏟 🏟&lt;<i>a</i   ', 'Unclosed end tag at byte offset 17'],
    ['🏟 🏟&lt;<i>a</em   >', 'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"'],
    ['🏟 🏟&lt;<i    aba  =  "&lt;&gt;&quot;>', 'Unclosed start tag at byte offset 13'],
    ['<blink>x</blink>', 'Unsupported start tag "blink" at byte offset 0'],
    ['<b>open', 'Can\'t find end tag corresponding to start tag "b"'],
    ['<span>x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
  ])('%s -> %s', (input, error) => {
    expect(htmlError(input)).toBe(error);
  });

  it('decodes only the entities Telegram decodes', () => {
    expect(parseHtml('&ge;&lt;&gt;&amp;&quot;&laquo;&#12345678;&#x41;').text).toBe('&ge;<>&"&laquo;&#12345678;A');
  });

  it('gives nested entities in UTF-16 offsets, links and pre with a language', () => {
    const r = parseHtml('😀 <b>bold <i>both</i></b> <a href="https://x.org/?a=1&amp;b=2">link</a> <pre><code class="language-ts">x</code></pre>');
    expect(r.text).toBe('😀 bold both link x');
    expect(r.entities).toEqual([
      { type: 'italic', offset: 8, length: 4 },
      { type: 'bold', offset: 3, length: 9 },
      { type: 'text_link', offset: 13, length: 4, url: 'https://x.org/?a=1&b=2' },
      { type: 'pre', offset: 18, length: 1, language: 'ts' },
    ]);
  });
});

describe('MarkdownV2 parse mode', () => {
  it.each([...']()>#+-=|{}.!'].filter((c) => c !== '>'))('reserved %s must be escaped', (c) => {
    expect(mdError(`a${c}`)).toBe(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
    expect(parseMarkdownV2(`a\\${c}`).text).toBe(`a${c}`);
  });

  it.each([
    ['🏟 🏟_abacaba', "Can't find end of Italic entity at byte offset 9"],
    ['🏟 🏟_abac * asd ', "Can't find end of Bold entity at byte offset 15"],
    ['🏟 🏟_abac * asd _', "Can't find end of Italic entity at byte offset 21"],
    ['🏟 🏟`', "Can't find end of Code entity at byte offset 9"],
    ['🏟 🏟```', "Can't find end of Pre entity at byte offset 9"],
    ['🏟 🏟```a', "Can't find end of Pre entity at byte offset 9"],
    ['🏟 🏟```a ', "Can't find end of PreCode entity at byte offset 9"],
    ['🏟 🏟__🏟 🏟_', "Can't find end of Italic entity at byte offset 20"],
  ])('%s -> %s', (input, error) => {
    expect(mdError(input)).toBe(error);
  });

  it('parses nesting, links and code', () => {
    const r = parseMarkdownV2('*bold _it_* __u__ ~s~ ||sp|| [t](https://t.me/x) `c\\`d`');
    expect(r.text).toBe('bold it u s sp t c`d');
    expect(r.entities).toEqual([
      { type: 'italic', offset: 5, length: 2 },
      { type: 'bold', offset: 0, length: 7 },
      { type: 'underline', offset: 8, length: 1 },
      { type: 'strikethrough', offset: 10, length: 1 },
      { type: 'spoiler', offset: 12, length: 2 },
      { type: 'text_link', offset: 15, length: 1, url: 'https://t.me/x' },
      { type: 'code', offset: 17, length: 3 },
    ]);
  });
});

describe('what Telegram adds and checks', () => {
  it('detects commands, mentions, hashtags, urls outside code', () => {
    expect(detect('/start@joinwatch_bot hi @ann_lee #raid https://t.me/+AbC and a/b')).toEqual([
      { type: 'url', offset: 39, length: 17 },
      { type: 'bot_command', offset: 0, length: 20 },
      { type: 'mention', offset: 24, length: 8 },
      { type: 'hashtag', offset: 33, length: 5 },
    ]);
    expect(formatText('<code>/start</code>', 'HTML', undefined, 'text').entities).toEqual([{ type: 'code', offset: 0, length: 6 }]);
  });

  it('trims whitespace, counts characters not bytes, and refuses empty text', () => {
    expect(formatText('  <b> x </b>  ', 'HTML', undefined, 'text')).toEqual({ text: 'x', entities: [{ type: 'bold', offset: 0, length: 1 }] });
    expect(formatText('я'.repeat(4096), undefined, undefined, 'text').text).toHaveLength(4096);
    expect(() => formatText('😀'.repeat(4097), undefined, undefined, 'text')).toThrow('message is too long');
    expect(() => formatText('<b> </b>', 'HTML', undefined, 'text')).toThrow('message text is empty');
  });
});
