/**
 * The notifier through the REAL grammY Api (with auto-retry, as the bot has it) against the
 * sandbox Bot API: what reaches the chat is what Telegram would show, parsed from our HTML.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { Api } from 'grammy';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { createNotifier } from '../../src/notify/notifier.js';
import { startSandbox } from '../../src/sandbox/sandbox.js';
import { World } from '../../src/sandbox/world.js';
import { openStore, type Store } from '../../src/store/index.js';
import { EventKind } from '../../src/sync/events.js';
import { ADMIN_A, BIG_LINK, CHAT_A, HOSTILE_NAME, OUTSIDER, T0, fillStoreFromWorld, scenario } from './bot-harness.js';

const GROUP = botApiChatIdFromChannel(CHAT_A);
const NOW_MS = (T0 + 10_000) * 1000;

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let store: Store;
let world: World;

function api(maxDelaySeconds = 5): Api {
  const a = new Api(sandbox.botToken, { apiRoot: sandbox.botApiRoot });
  a.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds }));
  return a;
}

function notifier(a: Api) {
  return createNotifier({ api: a, store, logger: pino({ level: 'silent' }), notifyChatId: GROUP, now: () => NOW_MS, baseline: () => 0 });
}

const inGroup = () => sandbox.bot.sent(0).filter((r) => r.chat === Number(GROUP));
/** The message as a person reads it, without the directional isolates around user text. */
const plain = (text: string | undefined) => (text ?? '').replace(/[\u2068\u2069]/g, '');

beforeAll(async () => {
  world = World.fromScenario(scenario({ joiners: 20, pending: 12 }));
  world.setClock(() => T0 + 10_000);
  sandbox = await startSandbox({ world, mtproto: false });
});
afterAll(async () => {
  await sandbox?.stop();
});
afterEach(() => store?.close());

describe('notifier → grammY → sandbox Bot API', () => {
  it('sends one digest for many requests, hostile names rendered as text, and empties the outbox', async () => {
    store = openStore(':memory:');
    fillStoreFromWorld(store, world);
    const requests = Array.from({ length: 12 }, (_, i) => ({ userId: String(9_200_000 + i), date: T0 + 5000 + Math.floor(i / 3), link: i % 2 === 0 ? BIG_LINK : null, about: null }));
    store.outbox.add(EventKind.RequestsNew, GROUP, { requests: requests.slice(0, 6) }, T0);
    store.outbox.add(EventKind.RequestsNew, GROUP, { requests: requests.slice(6) }, T0);
    const before = inGroup().length;
    const report = await notifier(api()).drainOnce();
    expect(report).toMatchObject({ messages: 1, delivered: 2 });
    const sent = inGroup().slice(before);
    expect(sent).toHaveLength(1);
    const text = plain(sent[0]!.text);
    expect(text).toContain('12 new join requests in Rust <Learners> & Co');
    expect(text).toContain(HOSTILE_NAME);
    expect(text).toContain('… and 2 more');
    // Each name is a mention of the user (tg://user links become text_mention entities).
    const mentioned = (sent[0]!.entities ?? []).flatMap((e) => ('user' in e && e.user ? [(e.user as { id: number }).id] : []));
    expect(mentioned).toHaveLength(10);
    expect(mentioned).toContain(9_200_002);
    expect(store.outbox.undelivered(10)).toEqual([]);
  });

  it('rides out a short 429 through auto-retry', async () => {
    store = openStore(':memory:');
    fillStoreFromWorld(store, world);
    store.outbox.add(EventKind.LinkNearLimit, GROUP, { link: BIG_LINK, title: 'Spring <ads>', adminId: '7000001', usage: 950, usageLimit: 1000, expireDate: null }, T0);
    sandbox.bot.tooManyRequests({ method: 'sendMessage', count: 1, retryAfter: 1 });
    const before = inGroup().length;
    const report = await notifier(api()).drainOnce();
    expect(report.failure).toBeUndefined();
    const sent = inGroup().slice(before);
    expect(sent).toHaveLength(1);
    expect(plain(sent[0]!.text)).toContain('Link Spring <ads> (https://t.me/+BigLink500aa) is near its usage limit: 950 / 1,000 joined.');
    expect(store.outbox.undelivered(10)).toEqual([]);
  });

  it('keeps the event when the Bot API refuses with a long 429, and sends it on the next drain', async () => {
    store = openStore(':memory:');
    fillStoreFromWorld(store, world);
    store.outbox.add(EventKind.SessionRevoked, null, { code: 'AUTH_KEY_UNREGISTERED' }, T0);
    sandbox.bot.tooManyRequests({ method: 'sendMessage', count: 1, retryAfter: 30 });
    const n = notifier(api(1)); // auto-retry waits at most 1 s: a 30 s retry_after surfaces as an error
    const before = inGroup().length;
    const first = await n.drainOnce();
    expect(first.failure?.retryAfterSeconds).toBe(30);
    expect(inGroup().length).toBe(before);
    expect(store.outbox.undelivered(10)).toHaveLength(1);
    const second = await n.drainOnce();
    expect(second.failure).toBeUndefined();
    expect(inGroup().slice(before).map((r) => plain(r.text))).toEqual([expect.stringContaining('session was revoked (AUTH_KEY_UNREGISTERED)')]);
    expect(store.outbox.undelivered(10)).toEqual([]);
  });

  it('alerts on a raid of new joins on one link', async () => {
    store = openStore(':memory:');
    fillStoreFromWorld(store, world);
    const nowUnix = NOW_MS / 1000;
    const joins = Array.from({ length: 30 }, (_, i) => ({ userId: String(9_500_000 + i), date: nowUnix - 240 + i * 5, approvedBy: null }));
    store.outbox.add(EventKind.JoinsNew, GROUP, { link: BIG_LINK, backfill: false, count: 30, joins, oldest: nowUnix - 240, newest: nowUnix }, T0);
    const before = inGroup().length;
    await notifier(api()).drainOnce();
    const sent = inGroup().slice(before);
    expect(sent).toHaveLength(1);
    expect(plain(sent[0]!.text)).toMatch(/Possible raid in Rust <Learners> & Co\n30 joins within \d+ min through Spring <ads>/);
  });

  it('a refusing target (a person who never started the bot) keeps every event, is reported once, and gets the backlog once it accepts', async () => {
    store = openStore(':memory:');
    fillStoreFromWorld(store, world);
    sandbox.bot.message({ from: ADMIN_A, text: '/start' }); // the admin who can be reached
    let clock = NOW_MS;
    const n = createNotifier({ api: api(), store, logger: pino({ level: 'silent' }), notifyChatId: OUTSIDER, adminIds: [ADMIN_A], now: () => clock, baseline: () => 0 });
    const toAdmin = () => sandbox.bot.sent(0).filter((r) => r.chat === Number(ADMIN_A)).map((r) => plain(r.text));
    const toTarget = () => sandbox.bot.sent(0).filter((r) => r.chat === Number(OUTSIDER)).map((r) => plain(r.text));
    // Start-up: the check finds the refusal and says so, before any event waited.
    expect(await n.checkTargets()).toEqual([expect.stringContaining("bot can't initiate conversation with a user")]);
    expect(toAdmin()).toEqual([expect.stringMatching(/cannot send notifications to 7100003: Forbidden: bot can't initiate conversation/)]);
    store.outbox.add(EventKind.RequestsNew, GROUP, { requests: [{ userId: '9200003', date: T0 + 5001, link: null, about: null }] }, T0);
    store.outbox.add(EventKind.SessionRevoked, null, { code: 'AUTH_KEY_UNREGISTERED' }, T0);
    for (let i = 0; i < 3; i++) {
      clock += 11 * 60_000;
      await n.drainOnce();
    }
    expect(toTarget()).toEqual([]);
    expect(store.outbox.undelivered(10)).toHaveLength(2);
    expect(toAdmin()).toHaveLength(1); // said once
    // The person starts the bot: the next try delivers what waited.
    sandbox.bot.message({ from: OUTSIDER, text: '/start' });
    clock += 11 * 60_000;
    await n.drainOnce();
    expect(toTarget()).toEqual([expect.stringContaining('1 new join request'), expect.stringContaining('session was revoked')]);
    expect(store.outbox.undelivered(10)).toEqual([]);
  });
});
