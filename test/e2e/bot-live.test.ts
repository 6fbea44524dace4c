/**
 * The live path through the real grammY bot and the sandbox Bot API (no cron cycle, no sync run):
 * a request in the world is stored and notified within seconds, with buttons that decide it; joins,
 * leaves and removals arrive through chat_member and are stored as stays with their dates.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { createNotifier, type Notifier } from '../../src/notify/notifier.js';
import { World } from '../../src/sandbox/world.js';
import { ADMIN_A, BIG_LINK, BOT, CHAT_A, REQ_LINK, buttons, eventually, scenario, startBotWorld, textOf, type BotWorld } from './bot-harness.js';

const chatA = botApiChatIdFromChannel(CHAT_A);
// The digest's wait counts from the outbox's time of the first request, in whole seconds.
const WAIT_MS = 2000;
let w: BotWorld;
let notifier: Notifier;
const live: string[] = [];
let nextUser = 9_600_000n;

function person(name: string): bigint {
  const id = nextUser++;
  w.world.addUser({ id, firstName: name });
  return id;
}

beforeAll(async () => {
  const world = World.fromScenario(scenario({ joiners: 20, pending: 3 }));
  // Real time, so that the digest's short wait is measured on the clock the outbox writes.
  world.setClock(() => Math.floor(Date.now() / 1000));
  w = await startBotWorld({
    world,
    bot: {
      now: Date.now,
      onLiveUpdate: (kind, news) => {
        live.push(kind);
        if (news) notifier.poke();
      },
    },
  });
  notifier = createNotifier({ api: w.bot.api, store: w.store, logger: pino({ level: 'silent' }), notifyChatId: chatA, digestWaitMs: WAIT_MS, digestIntervalMs: 1000, intervalMs: 60_000, baseline: () => 0 });
  notifier.start();
  await notifier.drainOnce();
  // Alice has started the bot, so an outcome can be told to her privately.
  await w.say(ADMIN_A, '/start');
});

afterAll(async () => {
  await notifier?.stop();
  await w?.stop();
});

describe('a request in the world, with no cron cycle run', () => {
  it('is stored at once and reaches the admins in a digest after the short wait, with buttons that decide it', async () => {
    const ann = person('Annika');
    const after = w.server.driver.cursor;
    const asked = Date.now();
    w.world.addRequest(CHAT_A, { userId: ann, link: REQ_LINK, about: 'hello <b>' });
    // REQ_LINK is Alice's, not the bot's: the bot sees it cut, and the store matches it by its start, creator and name.
    const stored = await eventually(() => w.store.requests.pendingOf(chatA, ann));
    const storedMs = Date.now() - asked;
    expect(stored).toMatchObject({ link: REQ_LINK, via: 'link', source: 'bot', about: 'hello <b>' });
    const digest = await w.server.driver.waitForSent((r) => r.chat === Number(chatA) && textOf(r).includes('Annika'), { after, timeoutMs: WAIT_MS + 3000 });
    const sentMs = Date.now() - asked;
    expect(storedMs).toBeLessThan(2000);
    expect(sentMs).toBeGreaterThanOrEqual(WAIT_MS - 1000);
    expect(sentMs).toBeLessThan(WAIT_MS + 2000);
    expect(textOf(digest)).toMatch(/1 new join request/);
    const approve = buttons(digest).find((b) => b.text === '✅ Annika');
    expect(buttons(digest).map((b) => b.text)).toEqual(['✅ Annika', '❌ Annika']);
    expect(live).toContain('chat_join_request');

    // Alice approves from the digest: Telegram (the sandbox) approves, the join comes back as chat_member.
    const told = await w.press(ADMIN_A, digest, approve!.data, (r) => r.chat === Number(ADMIN_A));
    expect(textOf(told)).toMatch(/Approved/);
    const stay = await eventually(() => w.store.joins.ofUser(chatA, ann).find((j) => j.link === REQ_LINK));
    // Telegram names the bot as the approver of the join; the request names the admin who pressed.
    expect(stay).toMatchObject({ approvedBy: BOT, leftAt: null });
    expect(w.store.requests.latestOf(chatA, ann)).toMatchObject({ status: 'approved', decidedBy: ADMIN_A });
    // The pressed pair is gone from the digest.
    expect(await eventually(() => (buttons(w.server.driver.sent().find((r) => r.message_id === digest.message_id)!).length === 0 ? true : undefined))).toBe(true);
  });

  it('a burst shares one digest; more than 5 requests get no buttons, a link not identified is shown as the bot saw it', async () => {
    const after = w.server.driver.cursor;
    // A link Alice made after the last sync: the store does not know it yet.
    const fresh = w.world.createLink(CHAT_A, { adminId: ADMIN_A, requestNeeded: true });
    const people = Array.from({ length: 6 }, (_, i) => person(`Burst${i}`));
    for (const [i, p] of people.entries()) w.world.addRequest(CHAT_A, { userId: p, link: i === 0 ? fresh.link : null });
    const digest = await w.server.driver.waitForSent((r) => r.chat === Number(chatA) && textOf(r).includes('Burst'), { after, timeoutMs: WAIT_MS + 3000 });
    expect(textOf(digest)).toMatch(/6 new join requests/);
    expect(buttons(digest)).toEqual([]);
    expect(people.map((p) => w.store.requests.pendingOf(chatA, p)?.via)).toEqual(['unknown', ...Array(5).fill('username')]);
    const cut = `https://t.me/+${fresh.hash.slice(0, Math.ceil(fresh.hash.length / 2))}...`;
    expect(textOf(digest)).toContain(`${cut} 1`);
    expect(textOf(digest)).toContain('public username 5');
  });
});

describe('joins and leaves arrive through chat_member', () => {
  it('a join through a link, a leave, a re-join without a link and a removal are stays with their dates', async () => {
    const bea = person('Beata');
    const now = Math.floor(Date.now() / 1000);
    w.world.addJoin(CHAT_A, { userId: bea, link: BIG_LINK, date: now - 30, viaChatlist: true });
    await eventually(() => w.store.joins.ofUser(chatA, bea)[0]);
    w.world.leave(CHAT_A, bea, { date: now - 20 });
    await eventually(() => w.store.joins.ofUser(chatA, bea)[0]?.leftAt ?? undefined);
    w.world.addJoin(CHAT_A, { userId: bea, link: null, date: now - 10 });
    w.world.leave(CHAT_A, bea, { date: now - 5, kicked: true });
    const stays = await eventually(() => {
      const s = w.store.joins.ofUser(chatA, bea);
      return s.length === 2 && s[0]!.leftHow === 'kicked' ? s : undefined;
    });
    expect(stays.map((s) => [s.link, s.date, s.viaChatlist, s.leftAt, s.leftHow])).toEqual([
      [null, now - 10, false, now - 5, 'kicked'],
      [BIG_LINK, now - 30, true, now - 20, 'left'],
    ]);
    expect(live.filter((k) => k === 'chat_member').length).toBeGreaterThanOrEqual(4);
  });
});
