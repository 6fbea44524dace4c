import { describe, expect, it } from 'vitest';
import { formatCycle } from '../../src/sync/run-once.js';
import { emptyRequestsReport, type ChatReport, type CycleReport } from '../../src/sync/report.js';

const chat = (over: Partial<ChatReport>): ChatReport => ({
  chatRef: '-1001700000001', chatId: -1001700000001n, title: 'Rust Learners', outcome: 'ok', calls: 0, rowsAdded: 0,
  links: [], requests: emptyRequestsReport(), invisibleLinks: false, ...over,
});
const cycle = (chats: ChatReport[]): CycleReport => ({
  chats, calls: chats.reduce((n, c) => n + c.calls, 0), sessionRevoked: false, budgetExhausted: false, startedAt: 100, finishedAt: 102,
});

describe('sync --once output', () => {
  it('one line per paged or deferred link, a count of the quiet ones, singular where it is one', () => {
    const text = formatCycle(cycle([chat({
      calls: 5, rowsAdded: 3,
      links: [
        { link: 'https://t.me/+AbCdEf0123', title: 'Spring ads', action: 'backfill', newJoins: 1, left: 0, pages: 1 },
        { link: 'https://t.me/+Listed0001', title: null, action: 'reconcile', newJoins: 0, left: 3, pages: 2 },
        { link: 'https://t.me/+Flood00001', title: null, action: 'deferred', newJoins: 0, left: 0, pages: 0, note: 'FLOOD_WAIT_3600: next try after 3600s' },
        { link: 'https://t.me/+Quiet00001', title: null, action: 'skipped', newJoins: 0, left: 0, pages: 0 },
      ],
      requests: { pages: 2, newRequests: 2, approved: 1, declined: 0, gone: 0, complete: true },
    })]));
    expect(text).toBe([
      'Rust Learners (-1001700000001): ok',
      '  https://t.me/+AbCdEf0123 "Spring ads": backfill, 1 new join in 1 page',
      '  https://t.me/+Listed0001: reconcile, 0 new joins, 3 left in 2 pages',
      '  https://t.me/+Flood00001: deferred (FLOOD_WAIT_3600: next try after 3600s)',
      '  1 of 4 links: nothing new',
      '  requests: 2 new, 1 approved, 0 declined, 0 gone (2 pages)',
      '  5 calls, 3 rows added',
      '5 Telegram calls in 2 s',
      '',
    ].join('\n'));
  });

  it('a chat that failed says why in words and what to do, without empty counters', () => {
    const failed = chat({ chatRef: '12345', chatId: null, title: null, outcome: 'failed', error: 'PeerInvalid (NOT_A_CHANNEL_ID)', failure: { kind: 'PeerInvalid', code: 'NOT_A_CHANNEL_ID' } });
    expect(formatCycle(cycle([failed]))).toBe(
      "12345: failed — the account cannot find this chat (NOT_A_CHANNEL_ID): use the -100… id of a chat it is in, or the chat's @username\n0 Telegram calls in 2 s\n",
    );
  });
});
