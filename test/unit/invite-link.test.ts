import { describe, expect, it } from 'vitest';
import {
  InvalidInviteLinkError,
  canonicalInviteLink,
  parseInviteLink,
  tryParseInviteLink,
} from '../../src/domain/invite-link.js';

const HASH = 'AbCdEf0123_-xyZ';
const CANON = `https://t.me/+${HASH}`;

describe('parseInviteLink', () => {
  it.each([
    `https://t.me/+${HASH}`,
    `http://t.me/+${HASH}`,
    `t.me/+${HASH}`,
    `https://t.me/%2B${HASH}`,
    `https://t.me/joinchat/${HASH}`,
    `t.me/joinchat/${HASH}`,
    `https://telegram.me/joinchat/${HASH}`,
    `https://www.telegram.me/joinchat/${HASH}/`,
    `https://telegram.dog/+${HASH}`,
    `HTTPS://T.ME/+${HASH}`,
    `tg://join?invite=${HASH}`,
    `TG://JOIN?invite=${HASH}`,
    `+${HASH}`,
    `  https://t.me/+${HASH}?start=1  `,
  ])('%s is the canonical link', (input) => {
    expect(parseInviteLink(input)).toEqual({ link: CANON, hash: HASH });
  });

  it('keeps the hash case-sensitive (hashes are base64)', () => {
    expect(parseInviteLink('t.me/joinchat/aBc123XyZ').hash).toBe('aBc123XyZ');
    expect(parseInviteLink('t.me/joinchat/aBc123XyZ').link).not.toBe(parseInviteLink('t.me/joinchat/ABC123XYZ').link);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['https://t.me/rust_learners', /not to an invite/],
    ['https://t.me/rust_learners/42', /not to an invite/],
    ['https://example.com/+AbCdEf0123', /host example\.com/],
    ['ftp://t.me/+AbCdEf0123', /unsupported scheme/],
    ['tg://resolve?domain=durov', /not a join link/],
    ['tg://join', /hash/],
    ['https://t.me/+79991234567', /phone-number link/],
    ['+79991234567', /phone-number link/],
    ['+abc', /hash/],
    ['https://t.me/+Ab$Cd!Ef', /hash/],
    ['https://t.me/joinchat/', /not to an invite/],
    ['https://t.me/%E0%A4%A', /not to an invite|hash/],
    ['x'.repeat(1000), /too long/],
    ['"; DROP TABLE links; --', /malformed URL|host/],
  ])('refuses %j with a clear message', (input, why) => {
    let caught: unknown;
    try {
      parseInviteLink(input);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidInviteLinkError);
    const err = caught as InvalidInviteLinkError;
    expect(err.kind).toBe('InvalidInviteLink');
    expect(err.message).toMatch(why);
    expect(err.message).toMatch(/expected https:\/\/t\.me\/\+HASH/);
  });

  it('tryParseInviteLink returns undefined instead of throwing', () => {
    expect(tryParseInviteLink('nope')).toBeUndefined();
    expect(tryParseInviteLink(`+${HASH}`)?.link).toBe(CANON);
  });

  it('canonicalInviteLink round-trips through the parser', () => {
    expect(parseInviteLink(canonicalInviteLink(HASH)).link).toBe(CANON);
  });

  it('does not crash on non-string input from untyped JSON', () => {
    expect(() => parseInviteLink(42 as unknown as string)).toThrow(InvalidInviteLinkError);
  });
});
