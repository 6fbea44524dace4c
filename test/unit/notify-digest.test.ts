import { describe, expect, it } from 'vitest';
import { DigestScheduler, countByLink, type RequestEvent } from '../../src/notify/digest.js';
import { parseEvent } from '../../src/notify/events.js';
import { digestMessage, type Names } from '../../src/notify/messages.js';
import { textsFor } from '../../src/bot/i18n/texts.js';

const en = textsFor('en');

const A = -1001700000001n;
const B = -1001700000002n;
const LINK = 'https://t.me/+AAAAAAAAAAAA';

function req(id: number, chatId: bigint, userId: bigint, date: number, link: string | null = LINK): RequestEvent {
  return { id, chatId, link, userId, date, about: null };
}

const names: Names = {
  chat: (id) => (id === A ? 'Chat <A> & co' : 'B'),
  user: (id) => ({ name: id === 7n ? '<b>evil</b> \u202Ename' : `User ${id}`, username: id === 8n ? 'user_8' : null }),
  linkTitle: () => 'Spring promo',
};

describe('DigestScheduler', () => {
  it('batches every request of a chat into one digest, newest first', () => {
    const s = new DigestScheduler(300_000);
    const batches = s.due([req(1, A, 1n, 100), req(2, A, 2n, 300), req(3, B, 3n, 200), req(4, A, 3n, 300)], 0);
    expect(batches.map((b) => [b.chatId, b.requests.map((r) => r.id)])).toEqual([
      [A, [4, 2, 1]],
      [B, [3]],
    ]);
  });

  it('holds a chat back until its interval passed since the last digest', () => {
    const s = new DigestScheduler(300_000);
    s.markSent(A, 1_000_000);
    expect(s.due([req(1, A, 1n, 100), req(2, B, 2n, 100)], 1_100_000).map((b) => b.chatId)).toEqual([B]);
    expect(s.due([req(1, A, 1n, 100)], 1_300_000).map((b) => b.chatId)).toEqual([A]);
  });

  it('a digest is opened by its first request and sent a short wait later; the interval still caps how often', () => {
    const s = new DigestScheduler(300_000, 10_000);
    const at = (r: RequestEvent, createdAt: number): RequestEvent => ({ ...r, createdAt });
    // Opened at 1000 s: held until 1010 s, and the drain is told when.
    expect(s.due([at(req(1, A, 1n, 100), 1000)], 1_005_000)).toEqual([]);
    expect(s.nextDueAt()).toBe(1_010_000);
    // A second request of the burst joins the same digest; sent once the first one's wait is over.
    const batch = s.due([at(req(1, A, 1n, 100), 1000), at(req(2, A, 2n, 101), 1008)], 1_010_000);
    expect(batch.map((b) => b.requests.map((r) => r.id))).toEqual([[2, 1]]);
    expect(s.nextDueAt()).toBeUndefined();
    s.markSent(A, 1_010_000);
    // The next request, a minute later: its wait is over long before the interval is.
    expect(s.due([at(req(3, A, 3n, 200), 1070)], 1_090_000)).toEqual([]);
    expect(s.nextDueAt()).toBe(1_310_000);
    expect(s.due([at(req(3, A, 3n, 200), 1070)], 1_310_000)).toHaveLength(1);
  });

  it('collapses the same request read twice', () => {
    const s = new DigestScheduler(1);
    expect(s.due([req(1, A, 1n, 100), req(2, A, 1n, 100)], 0)[0]!.requests).toHaveLength(1);
  });

  it('counts requests per link, most first, the public username as null', () => {
    expect(countByLink([req(1, A, 1n, 1, null), req(2, A, 2n, 1), req(3, A, 3n, 1)])).toEqual([
      { link: LINK, count: 2 },
      { link: null, count: 1 },
    ]);
  });
});

describe('requests through links the userbot cannot list (issue 8)', () => {
  it('are read so from the sync\'s event (via: unlisted)', () => {
    const e = parseEvent({ id: 1, kind: 'requests.new', chatId: A, createdAt: 0, payload: { requests: [
      { userId: '4', date: 1, link: null, via: 'unlisted', about: null },
      { userId: '5', date: 2, link: null, via: 'username', about: null },
    ] } });
    expect(e.type === 'requests' && e.requests.map((r) => r.unlisted ?? false)).toEqual([true, false]);
  });

  it('are counted apart from the public username and never called it', () => {
    const hidden = { ...req(4, A, 4n, 1, null), unlisted: true };
    expect(countByLink([req(1, A, 1n, 1, null), hidden, { ...hidden, id: 5, userId: 5n }])).toEqual([
      { link: null, unlisted: true, count: 2 },
      { link: null, count: 1 },
    ]);
    const text = digestMessage(en, A, [hidden], names).join('\n');
    expect(text).toContain('Through: links the userbot cannot list 1');
    expect(text).not.toContain('public username');
  });
});

describe('digestMessage', () => {
  it('is one message for 250 requests, lists 10, escapes hostile names', () => {
    const requests = Array.from({ length: 250 }, (_, i) => req(i, A, BigInt(i + 1), 1_767_225_600 - i));
    requests.unshift(req(999, A, 7n, 1_767_230_000));
    const parts = digestMessage(en, A, requests, names);
    expect(parts).toHaveLength(1);
    const text = parts[0]!;
    expect(text).toContain('251 new join requests');
    expect(text).toContain('Chat &lt;A&gt; &amp; co');
    expect(text).toContain('&lt;b&gt;evil&lt;/b&gt;');
    expect(text).not.toContain('<b>evil');
    expect(text).toContain('… and 241 more');
    expect(text.match(/^• /gm)).toHaveLength(10);
    expect(text).toContain('/pending');
    expect(text.length).toBeLessThan(4096);
  });
});
