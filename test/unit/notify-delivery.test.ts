/**
 * Issue 9, defects 8 and 9 and "a digest never lists a decided request": notifications are tracked
 * per recipient and per event in SQLite. A partial send to several recipients loses no news; a
 * refusing target keeps its events undelivered, is reported once (log + the admins who can be
 * reached) and gets the backlog once it accepts again.
 */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNotifier } from '../../src/notify/notifier.js';
import type { NotifyApi } from '../../src/notify/send.js';
import { openStore, type Store } from '../../src/store/index.js';
import { EventKind } from '../../src/sync/events.js';

const CHAT = -1001700000001n;
const LINK = 'https://t.me/+AAAAAAAAAAAA';
const A = 7100001n;
const B = 7100002n;
const GROUP = -1001999999999n;
const NOW_MS = Date.UTC(2026, 0, 1);
const NOW = NOW_MS / 1000;

class Api implements NotifyApi {
  sent: { chatId: string; text: string }[] = [];
  attempts: string[] = [];
  /** Per recipient: 'ok', 'network' (transient) or an HTTP error to answer with. */
  mode = new Map<string, 'ok' | 'network' | { error_code: number; description: string }>();
  async sendMessage(chatId: string, text: string): Promise<unknown> {
    this.attempts.push(chatId);
    const m = this.mode.get(chatId) ?? 'ok';
    if (m === 'network') throw new Error('Network request for sendMessage failed');
    if (m !== 'ok') throw Object.assign(new Error(m.description), m);
    this.sent.push({ chatId, text });
    return {};
  }
  to(chatId: bigint): string[] {
    return this.sent.filter((s) => s.chatId === String(chatId)).map((s) => s.text);
  }
}

let store: Store;
let api: Api;
let clock: number;
let logged: { level: number; msg: string }[];

function requests(n: number, firstUser: number): void {
  const rows = Array.from({ length: n }, (_, i) => ({ userId: BigInt(firstUser + i), date: NOW - i, link: LINK, about: null }));
  store.users.upsertMany(rows.map((r) => ({ id: r.userId, accessHash: null, username: null, firstName: `User${r.userId}`, lastName: '' })), NOW);
  store.requests.upsertPending(CHAT, rows, NOW);
  store.outbox.add(EventKind.RequestsNew, CHAT, { requests: rows }, NOW);
}

function notifier(extra: Partial<Parameters<typeof createNotifier>[0]> = {}) {
  const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line) as { level: number; msg: string }) });
  return createNotifier({ api, store, logger, now: () => clock, baseline: () => 0, digestIntervalMs: 0, digestWaitMs: 0, ...extra });
}

beforeEach(() => {
  store = openStore(':memory:');
  store.chats.upsert({ id: CHAT, title: 'Chat', type: 'supergroup', isOwner: true }, NOW);
  store.links.upsert(CHAT, { link: LINK, adminId: A, date: NOW - 1000 }, NOW);
  api = new Api();
  clock = NOW_MS;
  logged = [];
});
afterEach(() => store.close());

describe('per-recipient delivery', () => {
  it('a partial send to two admins loses no news: each gets exactly what they have not had', async () => {
    const n = notifier({ adminIds: [A, B] });
    requests(2, 100);
    api.mode.set(String(B), 'network');
    await n.drainOnce();
    expect(api.to(A)).toEqual([expect.stringContaining('2 new join requests')]);
    expect(api.to(B)).toEqual([]);
    requests(3, 200);
    api.mode.set(String(B), 'ok');
    clock += 60_000;
    await n.drainOnce();
    // B hears of all five, A of the three it had not heard of.
    expect(api.to(B)).toEqual([expect.stringContaining('5 new join requests')]);
    expect(api.to(A)).toEqual([expect.stringContaining('2 new join requests'), expect.stringContaining('3 new join requests')]);
    expect(store.outbox.undelivered(10)).toEqual([]);
  });

  it('a refusing target keeps its events, is reported once to the log and the reachable admins, then gets the backlog', async () => {
    const n = notifier({ notifyChatId: GROUP, adminIds: [A] });
    api.mode.set(String(GROUP), { error_code: 403, description: 'Forbidden: bot is not a member of the supergroup chat' });
    requests(2, 100);
    await n.drainOnce();
    expect(store.outbox.undelivered(10)).toHaveLength(1);
    expect(api.to(GROUP)).toEqual([]);
    const reports = api.to(A);
    expect(reports).toEqual([expect.stringMatching(/cannot send notifications to <code>-1001999999999<\/code>: Forbidden: bot is not a member/)]);
    expect(logged.filter((l) => l.level >= 50 && /cannot send notifications/.test(l.msg))).toHaveLength(1);
    // More events and drains: still kept, no second report, no hammering of the refusing chat.
    requests(1, 300);
    const attempts = api.attempts.filter((c) => c === String(GROUP)).length;
    for (let i = 0; i < 3; i++) {
      clock += 30_000;
      await n.drainOnce();
    }
    expect(api.to(A)).toHaveLength(1);
    expect(logged.filter((l) => l.level >= 50 && /cannot send notifications/.test(l.msg))).toHaveLength(1);
    expect(api.attempts.filter((c) => c === String(GROUP)).length).toBe(attempts);
    expect(store.outbox.undelivered(10)).toHaveLength(2);
    // The operator fixes it; the next try delivers everything that waited.
    api.mode.set(String(GROUP), 'ok');
    clock += 15 * 60_000;
    await n.drainOnce();
    expect(api.to(GROUP)).toEqual([expect.stringContaining('3 new join requests')]);
    expect(store.outbox.undelivered(10)).toEqual([]);
  });

  it('another 4xx is not "delivered" either', async () => {
    const n = notifier({ notifyChatId: GROUP });
    api.mode.set(String(GROUP), { error_code: 400, description: 'Bad Request: chat not found' });
    store.outbox.add(EventKind.SessionRevoked, null, { code: 'AUTH_KEY_UNREGISTERED' }, NOW);
    await n.drainOnce();
    expect(store.outbox.undelivered(10)).toHaveLength(1);
  });
});

describe('digests list only requests still pending when sent', () => {
  it('leaves out a request decided before the digest went out', async () => {
    const n = notifier({ notifyChatId: GROUP });
    requests(3, 100);
    store.requests.resolve(CHAT, 101n, 'approved', NOW, A);
    await n.drainOnce();
    expect(api.to(GROUP)).toHaveLength(1);
    expect(api.to(GROUP)[0]).toContain('2 new join requests');
    expect(api.to(GROUP)[0]).not.toContain('User101');
    expect(store.outbox.undelivered(10)).toEqual([]);
  });

  it('sends nothing when every request of the batch was decided, and acknowledges the events', async () => {
    const n = notifier({ notifyChatId: GROUP });
    requests(2, 100);
    store.requests.resolve(CHAT, 100n, 'declined', NOW, A);
    store.requests.resolve(CHAT, 101n, 'approved', NOW, A);
    await n.drainOnce();
    expect(api.sent).toEqual([]);
    expect(store.outbox.undelivered(10)).toEqual([]);
  });
});
