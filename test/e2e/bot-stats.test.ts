import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import type { SentRecord } from '../../src/sandbox/botapi/state.js';
import { ADMIN_A, B_LINK, BIG_LINK, CHAT_A, OUTSIDER, T0, startBotWorld, textOf as rawText, type BotWorld } from './bot-harness.js';

/** A message as a person reads it, without the directional isolates around user text. */
const textOf = (r: SentRecord) => rawText(r).replace(/[\u2068\u2069]/g, '');

let w: BotWorld;
beforeAll(async () => {
  w = await startBotWorld();
  // Three decisions, observed 1 h, 2 h and 3 h after the requests were made (median 2 h).
  const chat = botApiChatIdFromChannel(CHAT_A);
  w.store.requests.resolve(chat, 9_200_010n, 'approved', T0 + 5003 + 3600, ADMIN_A);
  w.store.requests.resolve(chat, 9_200_011n, 'approved', T0 + 5003 + 7200, ADMIN_A);
  w.store.requests.resolve(chat, 9_200_012n, 'declined', T0 + 5004 + 10_800, ADMIN_A);
});
afterAll(async () => {
  await w?.stop();
});

const isPhoto = (r: SentRecord) => r.file?.kind === 'photo';

/** The uploaded bytes, checked to be a PNG; returns the IHDR size. */
function pngSize(r: SentRecord): { width: number; height: number; bytes: Buffer } {
  expect(r.file?.kind).toBe('photo');
  const stored = w.sandbox.bot.file(r.file!.file_id);
  expect(stored).toBeDefined();
  const bytes = stored!.bytes;
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), bytes };
}

describe('/stats', () => {
  it('sends the chart as a PNG photo with the summary as its caption', async () => {
    const photo = await w.say(ADMIN_A, '/stats', { match: isPhoto, timeoutMs: 20_000 });
    const { width, height, bytes } = pngSize(photo);
    expect(width).toBeGreaterThan(1000);
    expect(height).toBeGreaterThan(500);
    expect(bytes.length).toBeGreaterThan(20_000); // lines, axes and text, not a blank image
    expect(photo.file!.name).toBe('joinwatch-stats-30d.png');
    const caption = textOf(photo);
    expect(caption).toContain('Rust <Learners> & Co · last 30 days');
    expect(caption).toContain('Joins: 500 · requests: 30');
    expect(caption).toContain('Top links: Spring <ads> 500');
    expect(caption).toContain('Approval rate: 67% (2 approved, 1 declined, 0 withdrawn or declined elsewhere)');
    expect(caption).toContain('Median time to a decision: 2 h');
    expect(caption).toMatch(/Data as of .* UTC/);
  });

  it('narrows to one link and a period, arguments in any order', async () => {
    const photo = await w.say(ADMIN_A, `/stats 7 ${BIG_LINK.replace('https://t.me/+', 't.me/joinchat/')}`, { match: isPhoto, timeoutMs: 20_000 });
    pngSize(photo);
    const caption = textOf(photo);
    expect(caption).toContain(`${BIG_LINK} Spring <ads>`);
    expect(caption).toContain('last 7 days');
    expect(caption).toContain('Joins: 500 · requests: 0');
    expect(caption).not.toContain('Top links');
  });

  it('in a group, sends the chart to the admin privately and only a pointer to the group', async () => {
    const group = Number(botApiChatIdFromChannel(CHAT_A));
    const before = w.sandbox.bot.cursor;
    const photo = await w.say(ADMIN_A, '/stats 14', { chat: CHAT_A, match: isPhoto, timeoutMs: 20_000 });
    expect(photo.chat).toBe(Number(ADMIN_A));
    pngSize(photo);
    await w.sandbox.bot.waitForSent((r) => r.chat === group, { after: before, timeoutMs: 5_000 });
    const inGroup = w.sentSince(before).filter((r) => r.chat === group);
    expect(inGroup.map(textOf)).toEqual(['📬 Sent you the answer in a private message.']);
  });

  it('explains bad arguments in one line with an example', async () => {
    const tooLong = await w.say(ADMIN_A, '/stats 400');
    expect(textOf(tooLong)).toMatch(/^The period must be 1 to 365 days\. Example: \/stats /);
    const bad = await w.say(ADMIN_A, '/stats https://example.com/x');
    expect(textOf(bad)).toMatch(/not an invite link/);
    const stray = await w.say(ADMIN_A, '/stats -1001700000001 abc');
    expect(textOf(stray)).toBe('“abc” is neither a link nor a number of days. Usage: /stats [link] [days]. Example: /stats https://t.me/+AbCdEf0123 14');
  });

  it('does not show another chat’s link, nor anything to a non-admin', async () => {
    const other = await w.say(ADMIN_A, `/stats ${B_LINK}`);
    expect(textOf(other)).toContain('has not been seen in your chats yet');
    expect(other.file).toBeUndefined();
    const refused = await w.say(OUTSIDER, '/stats');
    expect(textOf(refused)).toMatch(/Only admins/);
    expect(refused.file).toBeUndefined();
  });
});
