import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import type { SyncTrigger } from '../../src/bot/context.js';
import { registerCommandMenus } from '../../src/bot/commands.js';
import { openStore, type Store } from '../../src/store/index.js';
import { World } from '../../src/sandbox/world.js';
import { privateChatView, userView } from '../../src/sandbox/botapi/views.js';
import { ADMIN_A, ADMIN_B, CHAT_A, CHAT_B, OUTSIDER, REQ_LINK, SELF, buttons, fillStoreFromWorld, scenario, startBotWorld, textOf, T0, type BotWorld } from './bot-harness.js';

const plain = (t: string) => t.replace(/[\u2068\u2069]/g, '');
const syncCalls: bigint[] = [];
const trigger: SyncTrigger = {
  async syncNow(chatId) {
    syncCalls.push(chatId);
    return { ok: true, summary: 'links: 2 (0 new)\njoins: +3 <new>' };
  },
};

let w: BotWorld;
beforeAll(async () => {
  w = await startBotWorld({ bot: { syncTrigger: trigger } });
});
afterAll(async () => {
  await w?.stop();
});

describe('/start and /help', () => {
  it('tells an admin what the bot does, their chats and freshness', async () => {
    const raw = textOf(await w.say(ADMIN_A, '/start'));
    const r = plain(raw);
    // The @username is bare (no isolates around it), so Telegram makes it a mention and it copies into /links @rust_learners.
    expect(raw).toContain(' @rust_learners — ');
    expect(raw).not.toMatch(/@[\u2068\u2069]/);
    expect(r).toMatch(/^joinwatch shows chat admins who joined/);
    expect(r).toContain('Rust <Learners> & Co -1001700000001 @rust_learners — Data as of 02:46 UTC, just now.');
    expect(r).not.toContain('Secret B');
    expect(r).toContain('/joiners <link>');
  });
  it('tells a non-admin what the bot is and nothing else', async () => {
    const r = textOf(await w.say(OUTSIDER, '/help'));
    expect(r).toContain('You are not an admin of any chat joinwatch watches');
    expect(r).not.toContain('Rust');
  });
  it('lists no chats in a group', async () => {
    const r = textOf(await w.say(ADMIN_A, '/start', { chat: CHAT_A }));
    expect(r).toContain('Send me /start in private');
    expect(r).not.toContain('-1001700000001');
  });
});

describe('/links', () => {
  it('shows every link with creator, joined / limit, pending, last activity', async () => {
    const r = plain(textOf(await w.say(ADMIN_A, '/links')));
    expect(r).toMatch(/^2 invite links of Rust <Learners> & Co/);
    expect(r).toContain('• https://t.me/+BigLink500aa Spring <ads>');
    expect(r).toMatch(/by Moderator @mod_account · 500 \/ 1,000 joined · 0 pending · last join 2026-01-01 00:02/);
    expect(r).toMatch(/https:\/\/t\.me\/\+ReqLinkAaaa1 Approval\n {3}by Alice Admin @alice_admin · 0 joined · 15 pending/);
    // Its newest activity is a request, and nobody joined through it: not a "last join".
    expect(r).toMatch(/ReqLinkAaaa1 Approval\n {3}by Alice Admin @alice_admin · 0 joined · 15 pending · last request 2026-01-01 01:23\n/);
    expect(r).toMatch(/Data as of/);
    // Which live sources work: the sync has not read this chat's admin log; the bot is an admin here.
    expect(r).toContain('Live: admin log not read yet; no pending count pushed yet; bot updates on.');
  });
  it('says which live sources work: the admin log followed, Telegram pushes seen', async () => {
    const chatId = botApiChatIdFromChannel(CHAT_A);
    w.store.chatLive.logRead(chatId, 7n, 1767225600);
    w.store.chatLive.markPushed(chatId, 1767225600);
    const r = plain(textOf(await w.say(ADMIN_A, '/links')));
    expect(r).toContain('Live: admin log followed; Telegram pushes pending counts (last 2026-01-01 00:00); bot updates on.');
  });
  it('says when a link\'s creator is no longer an admin, and stops saying it once they are again', async () => {
    const chat = botApiChatIdFromChannel(CHAT_A);
    w.store.links.setAdminDeparted(chat, REQ_LINK, true, T0 + 7200);
    try {
      const r = plain(textOf(await w.say(ADMIN_A, '/links')));
      expect(r).toMatch(/ReqLinkAaaa1 Approval\n {3}by Alice Admin @alice_admin · 0 joined · 15 pending · admin departed 2026-01-01 02:00 · last request/);
      // The other link, whose creator is still an admin, says nothing of it.
      expect(r.match(/admin departed/g)).toHaveLength(1);
    } finally {
      w.store.links.setAdminDeparted(chat, REQ_LINK, false);
    }
    expect(plain(textOf(await w.say(ADMIN_A, '/links')))).not.toContain('admin departed');
  });
  it('shows why links of other admins are invisible when the userbot is not the owner', async () => {
    w.store.chats.setNote(botApiChatIdFromChannel(CHAT_A), 'invisible_links', 'Links of other admins are invisible: the account is not the owner.');
    const r = textOf(await w.say(ADMIN_A, '/links'));
    expect(r).toContain('⚠️ Links of other admins are invisible: the account is not the owner.');
    w.store.chats.setNote(botApiChatIdFromChannel(CHAT_A), 'invisible_links', null);
  });
});

describe('chat picking in private', () => {
  it('asks an admin of several chats which one, then answers for the pick', async () => {
    const ask = await w.say(SELF, '/links');
    expect(textOf(ask)).toMatch(/^Which chat\?/);
    expect(buttons(ask).map((b) => b.text)).toEqual(['Rust <Learners> & Co', 'Secret B']);
    const answer = await w.press(SELF, ask, buttons(ask)[1]!.data, (r) => r.message_id !== ask.message_id);
    expect(plain(textOf(answer))).toMatch(/^1 invite link of Secret B/);
  });
  it('takes the chat as an argument too', async () => {
    const r = plain(textOf(await w.say(SELF, `/links ${botApiChatIdFromChannel(CHAT_B)}`)));
    expect(r).toMatch(/^1 invite link of Secret B/);
    const byName = plain(textOf(await w.say(SELF, '/pending @rust_learners Req2')));
    expect(byName).toMatch(/pending requests? matching “Req2” in Rust/);
  });
});

describe('/whois', () => {
  it('shows joins and requests of a user in the asker’s chats', async () => {
    const r = plain(textOf(await w.say(ADMIN_A, '/whois @joiner_0')));
    expect(r).toContain('Who is Joiner0 J @joiner_0 (id 9100000)');
    expect(r).toContain('• Rust <Learners> & Co: joined 2026-01-01 00:01 via https://t.me/+BigLink500aa (Spring <ads>) · approved by Alice Admin');
    const byId = plain(textOf(await w.say(ADMIN_A, '/whois 9200004')));
    expect(byId).toMatch(/requested 2026-01-01 01:2\d via https:\/\/t\.me\/\+ReqLinkAaaa1 · pending · bio “I love <Rust> & Ann”/);
  });
  it('works as a reply to a forwarded message, and explains hidden forwards', async () => {
    const admin = w.world.user(ADMIN_A)!;
    const forwardedFrom = w.world.user(9_100_001n)!;
    const state = w.server.state;
    const send = async (forward_origin: unknown) => {
      const after = w.server.driver.cursor;
      const original = { message_id: state.nextMessageId(), chat: privateChatView(admin), date: T0, text: 'hi', forward_origin };
      // The update a Telegram client produces when the admin replies "/whois" to a forwarded message.
      state.updates.push('message', {
        message_id: state.nextMessageId(), from: userView(admin), chat: privateChatView(admin), date: T0 + 1, text: '/whois',
        entities: [{ type: 'bot_command', offset: 0, length: 6 }], reply_to_message: original,
      });
      return textOf(await w.server.driver.waitForSent(() => true, { after }));
    };
    const shown = plain(await send({ type: 'user', date: T0, sender_user: userView(forwardedFrom) }));
    expect(shown).toContain('Who is Joiner1 J (id 9100001)');
    expect(shown).toContain('via folder');
    expect(await send({ type: 'hidden_user', date: T0, sender_user_name: 'Someone' })).toMatch(/hides their account in forwards/);
  });
  it('answers unknown users and bad input with one line and an example', async () => {
    const nobody = textOf(await w.say(ADMIN_A, '/whois @nobody_here'));
    expect(nobody).toMatch(/^No one with that username.*Example: \/whois @ann_lee/);
    expect(nobody).toMatch(/as far as the last sync saw \(Data as of [^()]*, just now\)\. Example/);
    expect(nobody).not.toContain('.).');
    expect(textOf(await w.say(ADMIN_A, '/whois <script>'))).toMatch(/^Not a @username or id\. Example/);
    expect(textOf(await w.say(ADMIN_A, '/whois'))).toMatch(/^Whom\? Example/);
    // Ids past SQLite's 64-bit INTEGER used to reach the store and end in "something went wrong".
    for (const huge of ['99999999999999999999', '9223372036854775808']) {
      expect(textOf(await w.say(ADMIN_A, `/whois ${huge}`))).toMatch(/^That is not a user id\. Example/);
    }
  });
});

describe('/whois freshness over several chats', () => {
  it('is that of the stalest chat the answer draws on, not of the first one', async () => {
    const later = T0 + 10_000 + 7200;
    const b = await startBotWorld({ bot: { now: () => later * 1000 } });
    try {
      const run = b.store.runs.start(botApiChatIdFromChannel(CHAT_A), later - 30);
      b.store.runs.finish(run, { calls: 1, rowsAdded: 0, outcome: 'ok' }, later);
      const r = plain(textOf(await b.say(SELF, '/whois 9100000')));
      expect(r).toContain('Rust <Learners> & Co: joined');
      expect(r).toMatch(/Data as of 02:46 UTC, 2 h ago\.$/); // chat B's last sync, two hours old
    } finally {
      await b.stop();
    }
  });
});

describe('/sync', () => {
  it('runs the trigger at most once a minute per chat and reports', async () => {
    const started = await w.say(ADMIN_A, '/sync');
    expect(plain(textOf(started))).toBe('Syncing Rust <Learners> & Co…');
    const done = await w.server.driver.waitForSent((r) => /^Sync of/.test(plain(textOf(r))), { after: started.seq });
    expect(plain(textOf(done))).toContain('Sync of Rust <Learners> & Co done.\nlinks: 2 (0 new)\njoins: +3 <new>');
    expect(syncCalls).toEqual([botApiChatIdFromChannel(CHAT_A)]);
    const again = await w.say(ADMIN_A, '/sync');
    expect(textOf(again)).toMatch(/less than a minute ago; try again in \d+ s/);
    expect(syncCalls).toHaveLength(1);
  });
});

describe('every update gets an answer', () => {
  it('unknown text in private gets a pointer to /help', async () => {
    expect(textOf(await w.say(ADMIN_B, 'hello?'))).toMatch(/\/help/);
    expect(textOf(await w.say(ADMIN_B, '/frobnicate'))).toMatch(/\/help/);
  });
  it('command menus are registered, data commands scoped to chat administrators', async () => {
    await registerCommandMenus(w.bot.api);
    const admins = w.server.driver.commands({ type: 'all_chat_administrators' }).map((c) => c.command);
    expect(admins).toEqual(expect.arrayContaining(['joiners', 'pending', 'links', 'whois', 'sync']));
    expect(admins).not.toContain('start');
    expect(w.server.driver.commands({ type: 'all_private_chats' }).map((c) => c.command)).toContain('start');
  });
});

describe('error boundary', () => {
  it('an internal error is logged with the update id and the admin is told', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const world = World.fromScenario(scenario({ joiners: 5, pending: 2 }));
    world.setClock(() => T0 + 10_000);
    const real = openStore(':memory:');
    fillStoreFromWorld(real, world);
    // A store whose link summary query breaks, as a corrupted database would.
    const broken: Store = { ...real, links: { ...real.links, summaries: () => { throw new Error('disk I/O error'); } } };
    const b = await startBotWorld({ world, store: broken, fill: 'none', bot: { logger: pino({ level: 'error' }, sink) } });
    try {
      const r = await b.say(ADMIN_A, '/links');
      expect(textOf(r)).toBe('Something went wrong, it has been logged.');
      const logged = lines.map((l) => JSON.parse(l) as { msg: string; update_id: number; err: { message: string } }).find((l) => l.msg === 'update failed');
      expect(logged?.err.message).toBe('disk I/O error');
      expect(typeof logged?.update_id).toBe('number');
      expect(lines.join('')).not.toContain(b.server.token);
    } finally {
      await b.stop();
    }
  });
});

describe('long answers', () => {
  it('/links with 150 links arrives split into valid messages under 4096 characters', async () => {
    const chatId = botApiChatIdFromChannel(CHAT_A);
    for (let i = 0; i < 150; i++) {
      w.store.links.upsert(chatId, { link: `https://t.me/+Many${String(i).padStart(4, '0')}LinksXyZ`, adminId: SELF, date: T0 + i, title: `<${'&'.repeat(20)}> ${i} \u202E` }, T0 + 9000);
    }
    const before = w.server.driver.cursor;
    const last = await w.say(ADMIN_A, '/links', { match: (r) => /Data as of/.test(textOf(r)) });
    const parts = w.sentSince(before).filter((r) => r.chat === Number(ADMIN_A) && r.seq <= last.seq);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(textOf(p).length).toBeLessThanOrEqual(4096);
    const all = parts.map((p) => plain(textOf(p))).join('\n');
    expect(all).toMatch(/^152 invite links of Rust <Learners> & Co/);
    for (let i = 0; i < 150; i++) expect(all).toContain(`https://t.me/+Many${String(i).padStart(4, '0')}LinksXyZ <${'&'.repeat(20)}> ${i}`);
  });
});

describe('a link whose joiners the userbot cannot list', () => {
  it('/links and /joiners agree on its joined count, Telegram\'s usage', async () => {
    const chatId = botApiChatIdFromChannel(CHAT_A);
    const link = 'https://t.me/+OtherAdmin4242';
    w.store.links.upsert(chatId, { link, adminId: ADMIN_A, date: T0 + 20, title: 'Hidden', usage: 40, usageLimit: 100 }, T0 + 9000);
    w.store.links.updateSyncState(chatId, link, { visible: false });
    const before = w.server.driver.cursor;
    const last = await w.say(ADMIN_A, '/links', { match: (r) => /Data as of/.test(textOf(r)) });
    const links = w.sentSince(before).filter((r) => r.chat === Number(ADMIN_A) && r.seq <= last.seq).map((r) => plain(textOf(r))).join('\n');
    expect(links).toMatch(/OtherAdmin4242 Hidden\n {3}by Alice Admin @alice_admin · 40 \/ 100 joined · 0 pending · joiners not visible to the userbot\n/);
    const joiners = plain(textOf(await w.say(ADMIN_A, `/joiners ${link}`)));
    expect(joiners).toContain('40 / 100 joined · 0 pending · joiners not visible to the userbot');
    // …and its empty page says why instead of claiming that nobody joined.
    expect(joiners).not.toContain('Nobody has joined');
    expect(joiners).toContain('The userbot may not list who joined through this link');
  });
});
