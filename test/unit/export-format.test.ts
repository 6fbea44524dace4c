import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildQuery } from '../../src/export/cli.js';
import { isoDate, writeExport } from '../../src/export/index.js';
import { openStore, type Store } from '../../src/store/index.js';

const CHAT = -1001700000001n;
const LINK = 'https://t.me/+AbCdEf0123';
const BIG_USER = 9007199254740993n; // above 2^53: must survive as text
const HEADER = 'chat_id,link,user_id,username,first_name,last_name,date,status,approved_by,about,via_chatlist,left_at,left_how';
let store: Store;

class Sink extends Writable {
  text = '';
  constructor(highWaterMark = 16) {
    super({ highWaterMark });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.text += chunk.toString('utf8');
    setImmediate(done); // a slow destination: exercises the drain path
  }
}

beforeEach(() => {
  store = openStore(':memory:');
  const t = 1767225600;
  store.chats.upsert({ id: CHAT, title: 'Rust', type: 'supergroup', isOwner: true, username: 'rust_learners' }, t);
  store.users.upsertMany([
    { id: 9000001n, accessHash: 1n, username: 'ann_lee', firstName: 'Ann, "the" Lee', lastName: 'multi\nline', },
    { id: BIG_USER, accessHash: 2n, username: null, firstName: 'Иван 😀', lastName: '' },
    { id: 9000003n, accessHash: 3n, username: null, firstName: 'Pat', lastName: '' },
    { id: 9000004n, accessHash: 4n, username: null, firstName: 'Quinn', lastName: '' },
    { id: 7000001n, accessHash: 5n, username: 'mod', firstName: 'Mod', lastName: '' },
  ], t);
  store.links.upsert(CHAT, { link: LINK, adminId: 7000001n, date: t }, t);
  store.joins.insertMany(CHAT, LINK, [
    { userId: 9000001n, date: t + 400, approvedBy: null, viaChatlist: true },
    { userId: BIG_USER, date: t + 300, approvedBy: 7000001n },
  ], t);
  store.requests.upsertPending(CHAT, [
    { userId: 9000003n, date: t + 500, about: 'hi, "there"', link: LINK },
    { userId: 9000004n, date: t + 600, about: null, link: null },
  ], t);
});
afterEach(() => store.close());

/** Runs the export, then ends the sink and waits until every chunk reached it. */
const run = async (q: Parameters<typeof writeExport>[1], format: 'csv' | 'json') => {
  const sink = new Sink();
  const n = await writeExport(store, q, format, sink);
  expect(sink.writableEnded).toBe(false); // the caller owns the stream (stdout stays open)
  sink.end();
  await finished(sink);
  return { n, text: sink.text };
};
const csv = (q: Parameters<typeof writeExport>[1]) => run(q, 'csv');

describe('writeExport', () => {
  it('writes the exact header, RFC 4180 quoting, ISO dates and 64-bit ids', async () => {
    const { n, text } = await csv({ chatId: CHAT, kind: 'link', link: LINK });
    expect(n).toBe(2);
    const lines = text.split('\n');
    expect(lines[0]).toBe(HEADER);
    expect(text).toContain(`-1001700000001,${LINK},9000001,ann_lee,"Ann, ""the"" Lee","multi\nline",2026-01-01T00:06:40Z,joined,,,true,,`);
    expect(text).toContain(`-1001700000001,${LINK},${BIG_USER},,Иван 😀,,2026-01-01T00:05:00Z,joined,7000001,,false,,`);
  });

  it('exports pending requests, public-username ones with an empty link', async () => {
    const { text } = await csv({ chatId: CHAT, kind: 'pending' });
    expect(text.trim().split('\n')).toEqual([
      HEADER,
      '-1001700000001,,9000004,,Quinn,,2026-01-01T00:10:00Z,pending,,,false,,',
      `-1001700000001,${LINK},9000003,,Pat,,2026-01-01T00:08:20Z,pending,,"hi, ""there""",false,,`,
    ]);
  });

  it('--all holds every join and every request with its outcome; gone reads as declined', async () => {
    store.requests.resolve(CHAT, 9000003n, 'approved', 1767300000, 7000001n);
    store.requests.resolve(CHAT, 9000004n, 'gone', 1767300000, null);
    const { n, text } = await csv({ chatId: CHAT, kind: 'all' });
    expect(n).toBe(4);
    expect(text).toMatch(/,9000003,,Pat,,2026-01-01T00:08:20Z,approved,7000001,/);
    expect(text).toMatch(/,9000004,,Quinn,,2026-01-01T00:10:00Z,declined,,,false/);
  });

  it('a member who left keeps their row, with when and how the stay ended (issue 8)', async () => {
    // Ann joins again through another link: her first stay ends when the second begins.
    const other = 'https://t.me/+OtherLink001';
    store.links.upsert(CHAT, { link: other, adminId: 7000001n, date: 1767225600 }, 1767225600);
    store.joins.recordListed(CHAT, other, [{ userId: 9000001n, date: 1767312000 }], 1767312100);
    const { text } = await csv({ chatId: CHAT, kind: 'all' });
    expect(text).toContain(`-1001700000001,${LINK},9000001,ann_lee,"Ann, ""the"" Lee","multi\nline",2026-01-01T00:06:40Z,joined,,,true,2026-01-02T00:00:00Z,unseen`);
    expect(text).toContain(`-1001700000001,${other},9000001,ann_lee,"Ann, ""the"" Lee","multi\nline",2026-01-02T00:00:00Z,joined,,,false,,`);
  });

  it('writes a JSON array of the same objects, ids as strings', async () => {
    const { text } = await run({ chatId: CHAT, kind: 'link', link: LINK }, 'json');
    const parsed = JSON.parse(text) as Record<string, unknown>[];
    expect(parsed).toHaveLength(2);
    expect(Object.keys(parsed[0]!).join(',')).toBe(HEADER);
    expect(parsed[1]).toMatchObject({ user_id: BIG_USER.toString(), approved_by: '7000001', via_chatlist: false, about: null });
  });

  it('an empty export is the header alone (CSV) or [] (JSON)', async () => {
    const empty = -1001700000999n;
    store.chats.upsert({ id: empty, title: 'Empty', type: 'channel', isOwner: true });
    expect((await csv({ chatId: empty, kind: 'all' })).text).toBe(`${HEADER}\n`);
    expect(JSON.parse((await run({ chatId: empty, kind: 'pending' }, 'json')).text)).toEqual([]);
  });

  it('isoDate is second-precision UTC', () => {
    expect(isoDate(1767225600)).toBe('2026-01-01T00:00:00Z');
  });
});

describe('export command arguments', () => {
  it('normalises the link, resolves @username, and refuses ambiguity with one clear line', () => {
    expect(buildQuery(store, { chat: '@rust_learners', link: 't.me/joinchat/AbCdEf0123' })).toEqual({ chatId: CHAT, kind: 'link', link: LINK });
    expect(buildQuery(store, { chat: String(CHAT), pending: true })).toEqual({ chatId: CHAT, kind: 'pending' });
    expect(() => buildQuery(store, { chat: String(CHAT), pending: true, all: true })).toThrow(/exactly one of/);
    expect(() => buildQuery(store, { chat: '@nobody', all: true })).toThrow(/not in the database/);
    expect(() => buildQuery(store, { chat: String(CHAT), link: 'https://example.com/x' })).toThrow(/not an invite link/);
    expect(() => buildQuery(store, { chat: String(CHAT), link: '+ZzZzZz999' })).toThrow(/not a known link/);
    expect(() => buildQuery(store, { chat: 'DROP TABLE', all: true })).toThrow(/expects a -100/);
  });
});
