/**
 * Issue 10's digest folded onto issue 11's restart-proof notifier: a digest opened by a live
 * request before a restart is sent after it at its due time, exactly once; its Approve / Decline
 * buttons decide the request after a restart (the presser's right checked fresh), and forged data
 * is refused. Real grammY against the sandbox Bot API; a restart is a new bot and a new notifier
 * (nothing kept in memory) on the same database.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { createNotifier, type Notifier } from '../../src/notify/notifier.js';
import type { SentRecord } from '../../src/sandbox/botapi/state.js';
import { World } from '../../src/sandbox/world.js';
import { openStore } from '../../src/store/index.js';
import { ADMIN_A, CHAT_A, NO_INVITE, REQ_LINK, buttons, eventually, scenario, startBotWorld, textOf, type BotWorld } from './bot-harness.js';

const chatA = botApiChatIdFromChannel(CHAT_A);
// Long enough that the restart happens well inside it, on a busy machine too.
const WAIT_MS = 3000;
let w: BotWorld;
let notifier: Notifier | undefined;
let nextUser = 9_700_000n;

function person(name: string): bigint {
  const id = nextUser++;
  w.world.addUser({ id, firstName: name });
  return id;
}

function startNotifier(): Notifier {
  const n = createNotifier({ api: w.bot.api, store: w.store, logger: pino({ level: 'silent' }), notifyChatId: chatA, digestWaitMs: WAIT_MS, digestIntervalMs: 1000, intervalMs: 60_000, baseline: () => 0 });
  n.start();
  return n;
}

/** The process stops (notifier and bot) and a new one starts on the same database. */
async function restart(): Promise<void> {
  await notifier?.stop();
  await w.restart();
  notifier = startNotifier();
}

const isDigestAbout = (name: string) => (r: SentRecord) => r.chat === Number(chatA) && textOf(r).includes(name) && /new join request/.test(textOf(r));
const digestsAbout = (name: string, after: number): SentRecord[] => w.sentSince(after).filter(isDigestAbout(name));

beforeAll(async () => {
  const world = World.fromScenario(scenario({ joiners: 5, pending: 2 }));
  // Real time: the digest's wait is measured on the clock the outbox writes.
  world.setClock(() => Math.floor(Date.now() / 1000));
  w = await startBotWorld({
    world,
    store: openStore(join(mkdtempSync(join(tmpdir(), 'jw-live-restart-')), 'joinwatch.db')),
    bot: { now: Date.now, onLiveUpdate: (_kind, news) => news && notifier?.poke() },
  });
  notifier = startNotifier();
  await notifier.drainOnce();
  // Alice has started the bot, so an outcome can be told to her privately.
  await w.say(ADMIN_A, '/start');
});

afterAll(async () => {
  await notifier?.stop();
  await w?.stop();
});

describe('a live digest across restarts', () => {
  let digest: SentRecord;
  let rita: bigint;

  it('a digest opened before a restart is sent after it at its due time, once', async () => {
    rita = person('Rita');
    const after = w.server.driver.cursor;
    const asked = Date.now();
    w.world.addRequest(CHAT_A, { userId: rita, link: REQ_LINK });
    await eventually(() => w.store.requests.pendingOf(chatA, rita));
    // The process stops inside the wait, before the digest went out.
    await restart();
    expect(Date.now() - asked).toBeLessThan(WAIT_MS - 500);
    expect(digestsAbout('Rita', after)).toEqual([]);
    digest = await w.server.driver.waitForSent(isDigestAbout('Rita'), { after, timeoutMs: WAIT_MS + 4000 });
    const sentMs = Date.now() - asked;
    // Due at the outbox's time of the request (whole seconds) + the wait: not a whole interval later.
    expect(sentMs).toBeGreaterThanOrEqual(WAIT_MS - 1000);
    expect(sentMs).toBeLessThan(WAIT_MS + 3000);
    expect(buttons(digest).map((b) => b.text)).toEqual(['✅ Rita', '❌ Rita']);
    // Once: another restart and drain send nothing more about her.
    await restart();
    await notifier!.drainOnce();
    expect(digestsAbout('Rita', after)).toHaveLength(1);
    expect(w.store.notifyMessages.completed().filter((m) => m.key.startsWith('digest:') && m.parts.some((p) => p.includes('Rita')))).toHaveLength(1);
  });

  it("a digest's button pressed after a restart decides the request, the right checked fresh; forged data never acts", async () => {
    await restart();
    const approve = buttons(digest).find((b) => b.text === '✅ Rita')!;
    // Changed by hand (another person's id, the signature kept): refused before any feature runs.
    const [verb, token, chat, , sig] = approve.data.split(':');
    const forged = w.server.driver.press({ from: ADMIN_A, messageId: digest.message_id, data: [verb, token, chat, (nextUser + 5n).toString(36), sig].join(':'), forged: true });
    await expect.poll(() => w.server.driver.answer(forged)).toBeDefined();
    expect(w.server.driver.answer(forged)?.text).toMatch(/changed or is not from this bot/);
    // An admin of the chat without the "Invite users" right may not decide (told privately why).
    await w.say(NO_INVITE, '/start');
    const refused = await w.press(NO_INVITE, digest, approve.data, (r) => r.chat === Number(NO_INVITE));
    expect(textOf(refused)).toMatch(/was not approved: .*"Invite users"/);
    expect(w.store.requests.pendingOf(chatA, rita)).toBeDefined();

    await restart();
    const told = await w.press(ADMIN_A, digest, approve.data, (r) => r.chat === Number(ADMIN_A) && textOf(r).includes('Rita'));
    expect(textOf(told)).toMatch(/Approved/);
    await eventually(() => (w.store.requests.latestOf(chatA, rita)?.status === 'approved' ? true : undefined));
    expect(w.store.requests.latestOf(chatA, rita)).toMatchObject({ status: 'approved', decidedBy: ADMIN_A });
  });
});
