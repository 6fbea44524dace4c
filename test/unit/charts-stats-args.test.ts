import { describe, expect, it } from 'vitest';
import { exportFileName, parseExportArgs } from '../../src/bot/features/export.js';
import { formatDuration, mergeDays, parseStatsArgs } from '../../src/bot/features/stats.js';
import { isChatRef } from '../../src/bot/features/common.js';
import { textsFor } from '../../src/bot/i18n/texts.js';

const en = textsFor('en');

describe('/stats arguments', () => {
  it('takes a link, a period and a chat in any order', () => {
    expect(parseStatsArgs(en, '')).toEqual({ days: 30 });
    expect(parseStatsArgs(en, '14 https://t.me/+AbCdEf0123')).toEqual({ days: 14, link: 'https://t.me/+AbCdEf0123' });
    expect(parseStatsArgs(en, '+AbCdEf0123 7d -1001700000001')).toEqual({ days: 7, link: '+AbCdEf0123', chat: '-1001700000001' });
    expect(parseStatsArgs(en, '@rust_learners')).toEqual({ days: 30, chat: '@rust_learners' });
  });

  it('refuses bad periods and doubled arguments with a sentence', () => {
    expect(parseStatsArgs(en, '0')).toMatch(/1 to 365 days/);
    expect(parseStatsArgs(en, '366')).toMatch(/1 to 365 days/);
    expect(parseStatsArgs(en, '99999999999999999999')).toMatch(/1 to 365 days/);
    expect(parseStatsArgs(en, '7 14')).toMatch(/once/);
    expect(parseStatsArgs(en, '+AAAA1111 +BBBB2222')).toMatch(/one link/);
    // A stray word is not sent to the link parser ("host abc is not t.me"): it gets the usage line.
    expect(parseStatsArgs(en, '-1001700000001 abc')).toBe('“abc” is neither a link nor a number of days. Usage: /stats [link] [days].');
    expect(parseStatsArgs(en, 'https://example.com/x')).toEqual({ days: 30, link: 'https://example.com/x' });
  });

  it('merges the store’s per-day lists', () => {
    expect(mergeDays([{ day: '2026-01-01', count: 3 }], [{ day: '2026-01-01', requested: 2 }, { day: '2026-01-02', requested: 1 }])).toEqual([
      { day: '2026-01-01', joins: 3, requests: 2 },
      { day: '2026-01-02', joins: 0, requests: 1 },
    ]);
  });

  it('formats decision times as people say them', () => {
    expect(formatDuration(en, 42)).toBe('42 s');
    expect(formatDuration(en, 720)).toBe('12 min');
    expect(formatDuration(en, 7200)).toBe('2 h');
    expect(formatDuration(en, 3 * 3600 + 20 * 60)).toBe('3 h 20 min');
    expect(formatDuration(en, 60 * 3600)).toBe('2.5 days');
  });
});

describe('/export arguments and file name', () => {
  it('parses link | pending | all, with an optional chat', () => {
    expect(parseExportArgs(en, 'pending')).toEqual({ kind: 'pending' });
    expect(parseExportArgs(en, 'ALL @rust_learners')).toEqual({ kind: 'all', chat: '@rust_learners' });
    expect(parseExportArgs(en, 't.me/joinchat/AbCdEf0123')).toEqual({ kind: 'link', link: 't.me/joinchat/AbCdEf0123' });
    expect(parseExportArgs(en, '')).toMatch(/What should I export/);
    expect(parseExportArgs(en, 'pending all')).toMatch(/one thing at a time/);
    expect(parseExportArgs(en, '-1001700000001 foo')).toBe('“foo” is not a link, pending or all. Usage: /export <link | pending | all>.');
    expect(parseExportArgs(en, '+AbCdEf0123')).toEqual({ kind: 'link', link: '+AbCdEf0123' });
  });

  it('names the file after the chat, the subject and the time, safe for any file system', () => {
    const now = Date.UTC(2026, 0, 1, 14, 5);
    expect(exportFileName({ id: -1001700000001n, title: 'x' }, 'link', 'https://t.me/+AbCd_-12', now)).toBe('joinwatch-1700000001-link-AbCd_-12-20260101-1405.csv');
    expect(exportFileName({ id: -1001700000001n, title: 'x', username: 'rust_learners' }, 'pending', undefined, now)).toBe('joinwatch-rust_learners-pending-20260101-1405.csv');
  });
});

describe('chat references among /stats and /export arguments', () => {
  it('are @usernames and negative ids, never links or periods', () => {
    expect(['@rust_learners', '-1001700000001', '-5'].map(isChatRef)).toEqual([true, true, true]);
    expect(['14', '7d', '+AbCdEf0123', 'https://t.me/+AbCdEf0123', 'pending', '-x'].map(isChatRef)).toEqual([false, false, false, false, false, false]);
  });
});
