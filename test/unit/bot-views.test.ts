import { describe, expect, it } from 'vitest';
import { ButtonBook } from '../../src/bot/buttons.js';
import { decodeInt, decodeNumber, encodeInt, unpack } from '../../src/bot/views/callback-data.js';
import { openStore } from '../../src/store/index.js';
import { atUsername, clip, escapeHtml, userText } from '../../src/bot/views/html.js';
import { joinerLine } from '../../src/bot/views/joiners.js';
import { invisibleLinksNote, joinedCount, linkHeader } from '../../src/bot/views/links.js';
import { NOT_OWNER_NOTE } from '../../src/sync/link-discovery.js';
import { requestLine } from '../../src/bot/views/pending.js';
import { MESSAGE_LIMIT, splitMessage } from '../../src/bot/views/split.js';
import { renderedLength } from '../../src/bot/views/rendered.js';
import { formatAgo, freshnessLine } from '../../src/bot/views/time.js';
import { mention, personLine } from '../../src/bot/views/user.js';
import { textsFor } from '../../src/bot/i18n/texts.js';

const en = textsFor('en');

/** What Telegram's HTML parser insists on: only our tags, every `<` and `&` escaped otherwise. */
function assertValidTelegramHtml(html: string): void {
  const stripped = html.replace(/<\/?(b|i|code|a)( href="[^"<>]*")?>/g, '');
  expect(stripped).not.toMatch(/[<>]/);
  expect(stripped).not.toMatch(/&(?!(amp|lt|gt|quot);)/);
}

const HOSTILE = '<b>Ann</b> & *bold* _it_ \u202Eevil\u202C </a><script>';

describe('escapeHtml', () => {
  it('escapes the characters Telegram HTML cares about', () => {
    expect(escapeHtml('a<b>&"c"')).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
  });
  it('keeps hostile names inert and the markup valid', () => {
    const html = `<b>${userText(HOSTILE)}</b>`;
    assertValidTelegramHtml(html);
    expect(html).toContain('&lt;b&gt;Ann&lt;/b&gt; &amp; *bold* _it_');
  });
  it('removes control characters and repairs lone surrogates', () => {
    expect(escapeHtml('a\u0000b\nc')).toBe('a b c');
    expect(escapeHtml('x\uD800y')).toBe('x\uFFFDy');
  });
  it('clips at code points, never halving an emoji', () => {
    const clipped = clip('😀'.repeat(10), 5);
    expect(Array.from(clipped)).toHaveLength(5);
    expect(clipped.endsWith('…')).toBe(true);
    expect(clipped).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
  it('isolates RTL text so it cannot reorder the rest of the line', () => {
    expect(userText('\u202Eabc')).toBe('\u2068\u202Eabc\u2069');
  });
});

describe('views', () => {
  const person = { id: 9007199254740993n, firstName: HOSTILE, lastName: 'Lee', username: 'ann_lee' };
  it('a joiner line has mention, username, date, approver and folder marks', () => {
    const line = joinerLine(en, { ...person, date: 1767226000, approvedBy: 7000001n, viaChatlist: true }, 3, () => ({ id: 7000001n, firstName: 'Mod' }));
    assertValidTelegramHtml(line);
    expect(line).toContain('tg://user?id=9007199254740993');
    expect(line).toContain('@ann_lee');
    expect(line).toContain('2026-01-01 00:06');
    expect(line).toContain('approved by <a href="tg://user?id=7000001">\u2068Mod\u2069</a>');
    expect(line).toContain('via folder');
    expect(line.startsWith('3. ')).toBe(true);
  });
  it('a request line escapes the bio and names the public-username path', () => {
    const line = requestLine(en, { ...person, date: 1767227000, link: null, about: '<i>hi</i> & bye' }, 1);
    assertValidTelegramHtml(line);
    expect(line).toContain('via the public username');
    expect(line).toContain('&lt;i&gt;hi&lt;/i&gt; &amp; bye');
  });
  it('a request through a link the userbot cannot list never claims the public username (issue 8)', () => {
    expect(requestLine(en, { ...person, date: 1767227000, link: null, via: 'unlisted', about: null }, 1)).toContain('via a link the userbot cannot list');
    expect(requestLine(en, { ...person, date: 1767227000, link: null, via: 'unknown', about: null }, 1)).toContain('link not known yet');
  });
  it('a joiner who left says when and how (issue 8)', () => {
    const names = () => undefined;
    expect(joinerLine(en, { ...person, date: 1767226000, approvedBy: null, viaChatlist: false, leftAt: 1767312400, leftHow: 'unseen' }, 1, names)).toContain('gone by 2026-01-02 00:06');
    expect(joinerLine(en, { ...person, date: 1767226000, approvedBy: null, viaChatlist: false, leftAt: 1767312400, leftHow: 'kicked' }, 1, names)).toContain('removed 2026-01-02');
    expect(joinerLine(en, { ...person, date: 1767226000, approvedBy: null, viaChatlist: false, leftAt: null, leftHow: null }, 1, names)).not.toMatch(/left|removed|gone/);
  });
  it('a link counts its members now, and says how many left', () => {
    const view = { link: 'https://t.me/+AbCdEf0123', title: null, adminId: 1n, date: 1767225600, expireDate: null, usageLimit: null, revoked: false, permanent: false, pending: 0 };
    expect(joinedCount({ usage: 40, membersStored: 42 })).toBe(42);
    const [, , counts] = linkHeader(en, { ...view, joined: 40, joinsStored: 55, membersStored: 40 }, { id: 1n }, 1767225800_000);
    expect(counts).toContain('40 joined · 15 left');
  });
  it('a link header shows title, creator, joined / limit, pending, state', () => {
    const lines = linkHeader(
      en,
      { link: 'https://t.me/+AbCdEf0123', title: 'Spring <ads>', adminId: 1n, date: 1767225600, expireDate: 1767225700, usageLimit: 100, revoked: false, permanent: false, joined: 42, pending: 3 },
      { id: 1n, firstName: 'Owner' },
      1767225800_000,
    );
    const text = lines.join('\n');
    assertValidTelegramHtml(text);
    expect(text).toContain('Spring &lt;ads&gt;');
    expect(text).toContain('42 / 100 joined');
    expect(text).toContain('3 pending');
    expect(text).toContain('expired 2026-01-01 00:01');
  });
  it('a user without a name still has a visible mention', () => {
    expect(mention(en, { id: 5n, firstName: '', lastName: null })).toContain('user 5');
  });
});

describe('freshness', () => {
  const now = Date.parse('2026-01-01T14:08:00Z');
  it('says the time and how long ago', () => {
    expect(freshnessLine(en, now / 1000 - 180, now)).toBe('Data as of 14:05 UTC, 3 min ago.');
  });
  it('adds the day when it is not today', () => {
    expect(freshnessLine(en, now / 1000 - 2 * 86400, now)).toBe('Data as of 2025-12-30 14:08 UTC, 2 days ago.');
  });
  it('says when nothing was synced', () => {
    expect(freshnessLine(en, undefined, now)).toMatch(/no sync/);
    expect(formatAgo(en, now / 1000 - 10, now)).toBe('just now');
  });
});

describe('splitMessage', () => {
  it('keeps every part under 4096 and loses no line', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `${i}. <b>${'x'.repeat(i % 90)}</b>`);
    const parts = splitMessage(lines);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(renderedLength(part)).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(parts.join('\n').split('\n')).toEqual(lines);
  });
  it('measures what Telegram renders: 2,000 escaped ampersands are 2,000 characters, one part', () => {
    const lines = Array.from({ length: 40 }, () => `<b>${'&amp;&lt;'.repeat(45)}</b>`);
    const parts = splitMessage(lines);
    expect(parts).toHaveLength(1);
    expect(renderedLength(parts[0]!)).toBe(40 * 90 + 39);
  });
  it('cuts a single oversized line without leaving broken markup', () => {
    const [part] = splitMessage([`<b>${'&amp;'.repeat(5000)}</b>`]);
    expect(renderedLength(part!)).toBeLessThanOrEqual(MESSAGE_LIMIT);
    assertValidTelegramHtml(part!);
  });
});

describe('callback data', () => {
  it('round-trips 64-bit ids and negative chat ids in base 36', () => {
    for (const n of [0n, 1n, -1001700000001n, 9223372036854775807n, 2n ** 53n + 1n]) expect(decodeInt(encodeInt(n))).toBe(n);
    expect(decodeNumber(encodeInt(1767225600))).toBe(1767225600);
  });
  it('rejects what we did not write', () => {
    expect(decodeInt('ZZ')).toBeUndefined();
    expect(decodeInt('1'.repeat(40))).toBeUndefined();
    expect(decodeInt(undefined)).toBeUndefined();
  });
  it('refuses to build data over 64 bytes and stays under it, signature included, for the widest real button', () => {
    const store = openStore(':memory:');
    const book = new ButtonBook(store, Date.now);
    const widest = book.pack('jn', 'A'.repeat(24), 'o', 2 ** 31, 9223372036854775807n, 99999);
    expect(Buffer.byteLength(widest)).toBeLessThanOrEqual(64);
    expect(unpack(widest).fields).toEqual(['A'.repeat(24), 'o', encodeInt(2 ** 31), encodeInt(9223372036854775807n), encodeInt(99999)]);
    expect(() => book.pack('x', 'y'.repeat(70))).toThrow(RangeError);
    store.close();
  });

  it('is signed: any change, or data this bot did not sign, fails the check; another process on the same database agrees', () => {
    const store = openStore(':memory:');
    const book = new ButtonBook(store, Date.now);
    const data = book.pack('pa', 'tok', -1001700000001n, 9200000n);
    expect(book.verify(data)).toBe(true);
    expect(new ButtonBook(store, Date.now).verify(data)).toBe(true); // the key is in the database
    const fields = data.split(':');
    for (let i = 0; i < fields.length; i++) {
      const changed = [...fields];
      changed[i] = `${changed[i]}x`;
      expect(book.verify(changed.join(':')), `field ${i}`).toBe(false);
    }
    expect(book.verify('pa:tok:-ckb1:5g2k')).toBe(false);
    expect(book.verify('')).toBe(false);
    const other = openStore(':memory:');
    expect(new ButtonBook(other, Date.now).verify(data)).toBe(false);
    other.close();
    store.close();
  });
});

describe('usernames', () => {
  it('are never wrapped in isolates (Telegram would make no mention of them), names still are', () => {
    expect(atUsername('community_two')).toBe('@community_two');
    const line = personLine(en, { id: 1n, firstName: 'Ann', username: 'ann_lee' });
    expect(line).toContain(' @ann_lee');
    expect(line).toContain('\u2068Ann\u2069');
  });
});

describe('the invisible-links note the sync stores', () => {
  it('is shown in the reader\'s language for both shapes the sync writes, anything else escaped as is', () => {
    const ru = textsFor('ru');
    expect(invisibleLinksNote(en, NOT_OWNER_NOTE)).toBe(NOT_OWNER_NOTE);
    expect(invisibleLinksNote(ru, NOT_OWNER_NOTE)).toMatch(/^аккаунт не владелец чата/);
    expect(invisibleLinksNote(ru, 'links of admin 7100001 cannot be listed (CHAT_ADMIN_REQUIRED)')).toBe('ссылки администратора 7100001 получить нельзя (CHAT_ADMIN_REQUIRED)');
    expect(invisibleLinksNote(ru, 'something <new>')).toBe('something &lt;new&gt;');
  });
});
