import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentRecord } from '../../src/sandbox/botapi/state.js';
import { ADMIN_A, ADMIN_B, B_LINK, BIG_LINK, HOSTILE_NAME, OUTSIDER, startBotWorld, textOf as rawText, type BotWorld } from './bot-harness.js';

/** A message as a person reads it, without the directional isolates around user text. */
const textOf = (r: SentRecord) => rawText(r).replace(/[\u2068\u2069]/g, '');

const HEADER = 'chat_id,link,user_id,username,first_name,last_name,date,status,approved_by,about,via_chatlist,left_at,left_how';

let w: BotWorld;
beforeAll(async () => {
  w = await startBotWorld();
});
afterAll(async () => {
  await w?.stop();
});

const isDocument = (r: SentRecord) => r.file?.kind === 'document';

function csvOf(r: SentRecord): string[] {
  expect(r.file?.kind).toBe('document');
  const stored = w.sandbox.bot.file(r.file!.file_id);
  expect(stored).toBeDefined();
  return stored!.bytes.toString('utf8').split(/\r?\n/).filter((line) => line !== '');
}

describe('/export', () => {
  it('sends a link’s joiners as a CSV document with the exact header', async () => {
    const doc = await w.say(ADMIN_A, `/export ${BIG_LINK}`, { match: isDocument, timeoutMs: 20_000 });
    expect(doc.file!.name).toMatch(/^joinwatch-rust_learners-link-BigLink500aa-\d{8}-\d{4}\.csv$/);
    const lines = csvOf(doc);
    expect(lines[0]).toBe(HEADER);
    expect(lines).toHaveLength(501);
    expect(lines.slice(1).every((l) => l.startsWith(`-1001700000001,${BIG_LINK},`))).toBe(true);
    expect(lines.slice(1).every((l) => /,2026-01-01T\d\d:\d\d:\d\dZ,joined,/.test(l))).toBe(true);
    // The hostile name is one RFC 4180 field, not a broken row.
    const hostile = lines.find((l) => l.includes('<b>Ann</b>'));
    expect(hostile).toContain(HOSTILE_NAME);
    expect(textOf(doc)).toContain('Rust <Learners> & Co · https://t.me/+BigLink500aa');
  });

  it('exports the pending requests and everything', async () => {
    const pending = csvOf(await w.say(ADMIN_A, '/export pending', { match: isDocument, timeoutMs: 20_000 }));
    expect(pending[0]).toBe(HEADER);
    expect(pending).toHaveLength(31);
    expect(pending.slice(1).every((l) => l.includes(',pending,'))).toBe(true);
    const all = csvOf(await w.say(ADMIN_A, '/export all', { match: isDocument, timeoutMs: 20_000 }));
    expect(all[0]).toBe(HEADER);
    expect(all).toHaveLength(531);
  });

  it('answers bad arguments, other chats and non-admins with one line and no file', async () => {
    expect(textOf(await w.say(ADMIN_A, '/export'))).toMatch(/^What should I export: a link, pending or all\? Example:/);
    expect(textOf(await w.say(ADMIN_A, '/export -1001700000001 foo'))).toMatch(/^“foo” is not a link, pending or all\. Usage: \/export <link \| pending \| all>\. Example: \/export https:/);
    expect(textOf(await w.say(ADMIN_A, '/export pending all'))).toMatch(/^Export one thing at a time/);
    const other = await w.say(ADMIN_A, `/export ${B_LINK}`);
    expect(textOf(other)).toContain('has not been seen in your chats yet');
    expect(other.file).toBeUndefined();
    expect(textOf(await w.say(ADMIN_B, `/export ${BIG_LINK}`))).toContain('has not been seen in your chats yet');
    const refused = await w.say(OUTSIDER, '/export all');
    expect(textOf(refused)).toMatch(/Only admins/);
    expect(refused.file).toBeUndefined();
  });
});
