/**
 * The happy path end to end with nothing filled by hand: the REAL sync engine pulls the world
 * through real GramJS and the sandbox MTProto server into the store, and the REAL grammY bot
 * answers from that store through the sandbox Bot API; an approve through the bot is seen by the
 * next /sync.
 */
import type { TelegramClient } from 'telegram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncTrigger } from '../../src/bot/context.js';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { World } from '../../src/sandbox/world.js';
import { SyncEngine } from '../../src/sync/engine.js';
import { createTelegramClient } from '../../src/telegram/client.js';
import { GramJsInviteSource } from '../../src/telegram/invite-source.js';
import { ADMIN_A, BIG_LINK, BOT, CHAT_A, CHAT_B, REQ_LINK, T0, buttons, scenario, startBotWorld, textOf, type BotWorld } from './bot-harness.js';

const plain = (t: string) => t.replace(/[\u2068\u2069]/g, '');
const chatA = botApiChatIdFromChannel(CHAT_A);
let w: BotWorld;
let client: TelegramClient;
let engine: SyncEngine;

beforeAll(async () => {
  const world = World.fromScenario(scenario({ joiners: 120, pending: 12 }));
  world.setClock(() => T0 + 10_000);
  // app.ts hands the engine to the bot as its SyncTrigger; here it is bound once the sandbox is up.
  const trigger: SyncTrigger = { syncNow: (chatId) => engine.syncNow(chatId) };
  w = await startBotWorld({ world, fill: 'none', mtproto: true, bot: { syncTrigger: trigger } });
  client = createTelegramClient({ apiId: w.sandbox.apiId, apiHash: w.sandbox.apiHash, session: w.sandbox.session, server: w.sandbox.mtproto });
  await client.connect();
  engine = new SyncEngine({ store: w.store, source: new GramJsInviteSource(client), now: () => T0 + 10_000 });
  const report = await engine.runCycle([chatA, botApiChatIdFromChannel(CHAT_B)]);
  expect(report.chats.map((c) => c.outcome)).toEqual(['ok', 'ok']);
});

afterAll(async () => {
  await client?.destroy();
  await w?.stop();
});

describe('bot over a store filled by a real sync', () => {
  it('/links shows what the sync stored', async () => {
    const r = plain(textOf(await w.say(ADMIN_A, '/links')));
    expect(r).toMatch(/^2 invite links of Rust <Learners> & Co/);
    expect(r).toMatch(/by Moderator @mod_account · 120 \/ 1,000 joined · 0 pending/);
    expect(r).toMatch(/ReqLinkAaaa1 Approval\n {3}by Alice Admin @alice_admin · 0 joined · 6 pending/);
  });

  it('/joiners pages all 120 synced joiners', async () => {
    let page = await w.say(ADMIN_A, `/joiners ${BIG_LINK}`);
    const first = page.message_id;
    let seen = (textOf(page).match(/^\d+\. /gm) ?? []).length;
    for (let next = buttons(page).find((b) => b.text === 'Next ▶'); next; next = buttons(page).find((b) => b.text === 'Next ▶')) {
      page = await w.press(ADMIN_A, page, next.data, (r) => r.message_id === first);
      seen += (textOf(page).match(/^\d+\. /gm) ?? []).length;
    }
    expect(seen).toBe(120);
    expect(textOf(page)).toMatch(/^120\. /m);
  });

  it('/pending ann → approve → world and store change, and the next /sync sees the join', async () => {
    const list = await w.say(ADMIN_A, '/pending Annabel');
    expect(plain(textOf(list))).toMatch(/^1 pending request matching “Annabel”/);
    await w.press(ADMIN_A, list, buttons(list).find((b) => b.text.startsWith('✅ 1. '))!.data);
    expect(w.world.pendingRequest(CHAT_A, 9_200_000n)).toBeUndefined();
    expect(w.store.whois(9_200_000n, [chatA]).requests[0]).toMatchObject({ status: 'approved', decidedBy: ADMIN_A });

    const started = await w.say(ADMIN_A, '/sync');
    const done = await w.server.driver.waitForSent((r) => /^Sync of/.test(plain(textOf(r))), { after: started.seq, timeoutMs: 20_000 });
    expect(plain(textOf(done))).toMatch(/^Sync of Rust <Learners> & Co done\./);
    const joins = w.store.whois(9_200_000n, [chatA]).joins;
    expect(joins).toHaveLength(1);
    expect(joins[0]).toMatchObject({ link: REQ_LINK, approvedBy: BOT });
    const whois = plain(textOf(await w.say(ADMIN_A, '/whois 9200000')));
    expect(whois).toMatch(/joined .* via https:\/\/t\.me\/\+ReqLinkAaaa1 \(Approval\) · approved by Joinwatch/);
    expect(whois).toMatch(/· approved by Alice Admin on /);
  });
});
