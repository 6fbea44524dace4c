/**
 * Issue 12: every bot command answers in Russian for a `ru` user (their Telegram app's
 * language_code, as the sandbox sends it), /language overrides it per person and survives a
 * restart, a group's admin sets the language of the notifications sent there, and a private
 * notification goes out in its admin's language. Real grammY against the sandbox Bot API.
 * "In Russian" is checked strictly: with the people's own names, titles, bios and links taken
 * out, no English word may be left beyond a few names of things (joinwatch, Telegram, UTC, …).
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCommandMenus } from '../../src/bot/commands.js';
import { createBot } from '../../src/bot/create-bot.js';
import type { SyncTrigger } from '../../src/bot/context.js';
import { runBot, type RunningBot } from '../../src/bot/run-bot.js';
import { textsFor } from '../../src/bot/i18n/texts.js';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { createNotifier } from '../../src/notify/notifier.js';
import type { SentRecord } from '../../src/sandbox/botapi/state.js';
import { EventKind } from '../../src/sync/events.js';
import { ADMIN_A, ADMIN_B, BIG_LINK, CHAT_A, NO_INVITE, OUTSIDER, REQ_LINK, SELF, T0, buttons, scenario, startBotWorld, textOf, type BotWorld } from './bot-harness.js';

const GROUP = botApiChatIdFromChannel(CHAT_A);
const ru = textsFor('ru');
const en = textsFor('en');

/** The harness's world, with the Russian-speaking people's Telegram apps in Russian. */
function russianScenario(): Record<string, unknown> {
  const s = scenario({ joiners: 60, pending: 30 });
  for (const u of [s.self, ...(s.users as unknown[])] as { id: number; language_code?: string }[]) {
    if ([ADMIN_A, OUTSIDER, SELF].includes(BigInt(u.id))) u.language_code = 'ru';
  }
  return s;
}

const SCENARIO = russianScenario();
/** What people wrote themselves (names, titles, bios, links): taken out before looking for English. */
const PEOPLES_TEXT: string[] = (() => {
  const out: string[] = [];
  const s = SCENARIO as { self: Record<string, unknown>; users: Record<string, unknown>[]; chats: Record<string, unknown>[] };
  for (const u of [s.self, ...s.users]) out.push(...['first_name', 'last_name', 'username'].map((k) => u[k]).filter((v): v is string => typeof v === 'string'));
  for (const c of s.chats) {
    out.push(String(c.title));
    for (const l of c.links as Record<string, unknown>[]) out.push(String(l.title), String(l.link));
    for (const r of c.requests as Record<string, unknown>[]) if (typeof r.about === 'string') out.push(r.about);
  }
  return out.sort((a, b) => b.length - a.length);
})();
/** Names of things, the same in Russian, the /export keywords a person types, and the help's example search (/pending ann). */
const NAMES_OF_THINGS = new Set(['joinwatch', 'Telegram', 'UTC', 'id', 'username', 'CSV', 'English', 'en', 'ru', 'pending', 'all', 'login', 'doctor', 'export', 'HASH', 'joinchat', 'invite', 'FloodWait', 'ann']);

/** The text as a person reads it (no directional isolates around user text). */
const plain = (t: string) => t.replace(/[\u2068\u2069]/g, '');

/** English words left once people's own text, what they typed (in «»), examples, links, commands and codes are out. */
function englishLeft(text: string, typed = ''): string[] {
  let t = plain(text);
  for (const word of typed.split(/\s+/).filter((x) => x.length > 1)) t = t.split(word).join(' ');
  for (const own of PEOPLES_TEXT) t = t.split(own).join(' ');
  t = t.replace(/«[^»]*»|Пример: .*$|(https?|tg):\/\/\S*|t\.me\b\S*|\/[a-z_]+(@\w+)?|@\w+|\b[A-Z][A-Z0-9_]{2,}\b/gm, ' ');
  return (t.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !NAMES_OF_THINGS.has(w));
}

/** `typed`: what the person sent, which an answer may quote back. */
function expectRussian(r: SentRecord | string, typed = ''): void {
  const text = typeof r === 'string' ? r : textOf(r);
  expect(text, text).toMatch(/[а-яё]/i);
  expect(englishLeft(text, typed), `English left in: ${text}`).toEqual([]);
  // A button that is a mark and a person's name (a digest's Approve / Decline) carries no text of ours.
  if (typeof r !== 'string') for (const b of buttons(r)) if (!/^[✅❌] [^\d]/u.test(b.text)) expect(englishLeft(b.text), b.text).toEqual([]);
}

const trigger: SyncTrigger = {
  async syncNow() {
    return { ok: true, summary: 'Rust: ok', figures: { outcome: 'ok', links: 2, pagedLinks: 1, newJoins: 3, newRequests: 1, approved: 0, declined: 0, calls: 5 } };
  },
};

let w: BotWorld;
/** The bot answering now: the harness's, or the one started on the same database after a restart. */
let current: { bot: BotWorld['bot']; running: RunningBot };
beforeAll(async () => {
  w = await startBotWorld({ scenario: SCENARIO, bot: { syncTrigger: trigger, bulkRatePerSecond: 1000 } });
  current = { bot: w.bot, running: w.running };
});
afterAll(async () => {
  if (current && current.running !== w.running) await current.running.stop();
  await w?.stop();
});

/** Sends `text`, waits for the bot's answer (and anything it sends right after), returns them all. */
async function answers(from: bigint, text: string, o: { chat?: bigint; settleMs?: number } = {}): Promise<SentRecord[]> {
  const after = w.server.driver.cursor;
  await w.say(from, text, o.chat === undefined ? {} : { chat: o.chat });
  await new Promise((r) => setTimeout(r, o.settleMs ?? 150));
  return w.sentSince(after);
}

async function press(from: bigint, message: SentRecord, label: (text: string) => boolean): Promise<SentRecord> {
  const button = buttons(message).find((b) => label(b.text));
  expect(button, buttons(message).map((b) => b.text).join(' | ')).toBeDefined();
  const after = w.server.driver.cursor;
  const id = w.server.driver.press({ from, messageId: message.message_id, data: button!.data });
  const next = await w.server.driver.waitForSent(() => true, { after, timeoutMs: 10_000 });
  // The press is acknowledged before the work (a toast such as "Одобряю: …").
  const toast = w.server.driver.answer(id)?.text;
  if (toast && message.chat !== undefined && from === ADMIN_A) expectRussian(toast);
  return next;
}

describe('a Russian-speaking admin (Telegram app in ru)', () => {
  it.each([
    ['/start', 'Ваши чаты'],
    ['/help', 'Команды'],
    ['/links', 'пригласительные ссылки в'],
    [`/joiners ${BIG_LINK}`, 'Вступившие 1–20'],
    ['/pending', 'заявок на вступление'],
    ['/pending Req1', 'по запросу «Req1»'],
    ['/pending zzzz', 'нет заявок по запросу'],
    ['/whois 9100001', 'Кто это:'],
    ['/whois @nobody_here', 'никого с таким username'],
    ['/whois', 'Кого?'],
    ['/joiners abc', 'не пригласительная ссылка'],
    ['/joiners https://t.me/+NeverSeen12', 'пока не видели'],
    ['/stats foo', 'не ссылка и не число дней'],
    ['/stats 999', 'от 1 до 365 дней'],
    ['/export', 'Что выгрузить'],
    ['/export pending all', 'что-то одно'],
    ['/language', 'Язык: Русский'],
    ['/language xx', 'Я говорю на языках'],
    [`/pending ${'x'.repeat(400)}`, 'Слишком длинно'],
    ['hello', 'Не понял'],
  ])('%s answers in Russian', async (command, words) => {
    const [answer] = await answers(ADMIN_A, command);
    expect(answer).toBeDefined();
    expect(plain(textOf(answer!))).toContain(words);
    expectRussian(answer!, command);
  });

  it('/links: Russian figures, dates and plurals', async () => {
    const [answer] = await answers(ADMIN_A, '/links');
    const text = textOf(answer!);
    expect(text).toMatch(/^2 пригласительные ссылки в /);
    expect(text).toContain('вступили: 60 / 1\u00a0000');
    expect(text).toContain('15 заявок');
    expect(text).toMatch(/последнее вступление \d\d\.\d\d\.2026 \d\d:\d\d/);
    expect(text).toMatch(/Данные на \d\d:\d\d UTC, только что\.$/);
  });

  it('/links: a link whose creator is no longer an admin says so in Russian', async () => {
    const chat = botApiChatIdFromChannel(CHAT_A);
    w.store.links.setAdminDeparted(chat, REQ_LINK, true, T0 + 7200);
    try {
      const [answer] = await answers(ADMIN_A, '/links');
      expect(textOf(answer!)).toMatch(/автор ссылки больше не администратор \(01\.01\.2026 02:00\)/);
      expectRussian(answer!);
    } finally {
      w.store.links.setAdminDeparted(chat, REQ_LINK, false);
    }
  });

  it('/joiners pages in Russian, buttons too', async () => {
    const [first] = await answers(ADMIN_A, `/joiners ${BIG_LINK}`);
    expectRussian(first!);
    const second = await press(ADMIN_A, first!, (t) => t === 'Дальше ▶');
    expect(textOf(second)).toContain('Вступившие 21–40');
    expectRussian(second);
  });

  it('/pending: approve one, then decline all matching with the question and the report in Russian', async () => {
    const [list] = await answers(ADMIN_A, '/pending');
    expectRussian(list!);
    expect(buttons(list!).map((b) => b.text)).toContain('Одобрить все (30)');
    const approved = await press(ADMIN_A, list!, (t) => t.startsWith('✅ 1. '));
    expect(textOf(approved)).toMatch(/^✅ Одобрено: /);
    expectRussian(approved);

    const [search] = await answers(ADMIN_A, '/pending Req2');
    const question = await press(ADMIN_A, search!, (t) => t.startsWith('Отклонить все'));
    expect(plain(textOf(question))).toMatch(/^Отклонить (все \d+ заявки|все \d+ заявок|\d+ заявку) по запросу «Req2» в .*\? Отменить это будет нельзя\.$/);
    expectRussian(question);
    const after = w.server.driver.cursor;
    await press(ADMIN_A, question, (t) => t.startsWith('❌ Да, отклонить'));
    const report = await w.server.driver.waitForSent((r) => r.message_id === question.message_id && /^Готово/.test(textOf(r)), { after, timeoutMs: 10_000 });
    expect(plain(textOf(report))).toMatch(/^Готово: отклонено \d+ из \d+ по запросу «Req2»\.$/);
    expectRussian(report);
  });

  it('/stats and /export: captions in Russian', async () => {
    const [stats] = await answers(ADMIN_A, '/stats', { settleMs: 1500 });
    expect(stats!.caption).toMatch(/^📊 .* · последние 30 дней/);
    expect(stats!.caption).toContain('Вступлений:');
    expectRussian(stats!);
    const [csv] = await answers(ADMIN_A, '/export pending', { settleMs: 500 });
    expect(csv!.caption).toContain('· заявки');
    expectRussian(csv!);
  });

  it('/sync: started and done in Russian, with the figures', async () => {
    const sent = await answers(ADMIN_A, '/sync', { settleMs: 500 });
    expect(sent.map(textOf).join('\n')).toContain('Синхронизирую');
    const done = sent.find((r) => /завершена/.test(textOf(r)));
    expect(textOf(done!)).toContain('готово: 2 ссылки (прочитано: 1), вступлений +3, заявок +1');
    for (const r of sent) expectRussian(r);
  });

  it('in a group: the pointer in Russian; an admin of several chats is asked which one, in Russian', async () => {
    const inGroup = await answers(ADMIN_A, '/links', { chat: CHAT_A });
    const pointer = inGroup.find((r) => r.chat === Number(GROUP));
    expect(textOf(pointer!)).toBe(ru.t('route-pointer'));
    const [ask] = await answers(SELF, '/links');
    expect(textOf(ask!)).toBe(ru.t('pick-chat-question'));
  });

  it('a Russian-speaking outsider is refused in Russian', async () => {
    const [refusal] = await answers(OUTSIDER, '/links');
    expect(textOf(refusal!)).toBe(ru.t('access-not-admin'));
    const [group] = await answers(OUTSIDER, '/language ru', { chat: CHAT_A });
    expect(textOf(group!)).toBe(ru.t('language-group-admins-only'));
  });
});

describe('the command menu', () => {
  it('is set in Russian too, for Telegram apps in Russian', async () => {
    await registerCommandMenus(current.bot.api);
    const menu = (lang: string) => w.server.driver.commands({ type: 'all_private_chats' }, lang) as { command: string; description: string }[];
    expect(menu('').find((c) => c.command === 'pending')?.description).toBe(en.t('command-pending'));
    expect(menu('ru').find((c) => c.command === 'pending')?.description).toBe(ru.t('command-pending'));
    expect(menu('ru').map((c) => c.command)).toContain('language');
    for (const c of menu('ru')) expectRussian(c.description);
  });
});

describe('/language', () => {
  it('overrides the app language per person, in SQLite: it survives a restart, and "app" goes back', async () => {
    expect(textOf((await answers(ADMIN_B, '/links'))[0]!)).toMatch(/^1 invite link of /);
    expect(textOf((await answers(ADMIN_B, '/language ru'))[0]!)).toBe(ru.t('language-set'));
    expect(w.store.settings.language(ADMIN_B)?.chosen).toBe('ru');

    // A new bot process on the same database (the first one stops polling first).
    await current.running.stop();
    const bot = createBot({
      token: w.server.token, apiRoot: w.server.root, store: w.store, logger: pino({ level: 'silent' }), adminIds: [],
      watchChats: w.world.chats().map((c) => ({ kind: 'id' as const, chatId: botApiChatIdFromChannel(c.id) })), now: () => (T0 + 10_000) * 1000,
    });
    current = { bot, running: runBot(bot, { timeoutSeconds: 1 }) };
    const [links] = await answers(ADMIN_B, '/links');
    expect(textOf(links!)).toMatch(/^1 пригласительная ссылка в /);
    const [menu] = await answers(ADMIN_B, '/language');
    expect(textOf(menu!)).toBe(ru.t('language-current', { language: 'Русский' }));
    const back = await press(ADMIN_B, menu!, (t) => t === ru.t('language-button-app'));
    expect(textOf(back)).toBe(en.t('language-set-app', { language: 'English' }));
    expect(textOf((await answers(ADMIN_B, '/links'))[0]!)).toMatch(/^1 invite link of /);
  });

  it('an admin of a group sets the language of the notifications sent there; the digest comes in it', async () => {
    // NO_INVITE is an admin of chat A whose Telegram app is in English.
    const [menu] = await answers(NO_INVITE, '/language', { chat: CHAT_A });
    expect(textOf(menu!)).toBe(en.t('language-current-group', { language: 'English' }));
    const done = await press(NO_INVITE, menu!, (t) => t === 'Русский');
    expect(textOf(done)).toBe(ru.t('language-set-group'));
    expect(w.store.settings.language(GROUP)?.chosen).toBe('ru');

    w.store.outbox.add(EventKind.RequestsNew, GROUP, { requests: [2, 3, 4].map((i) => ({ userId: String(9_200_000 + i), date: T0 + 5000, link: BIG_LINK, about: null })) }, T0);
    w.store.outbox.add(EventKind.LinkNearLimit, GROUP, { link: BIG_LINK, title: 'Spring <ads>', adminId: '7000001', usage: 950, usageLimit: 1000, expireDate: null }, T0);
    const after = w.server.driver.cursor;
    const notifier = createNotifier({ api: current.bot.api, store: w.store, logger: pino({ level: 'silent' }), notifyChatId: GROUP, now: () => (T0 + 10_000) * 1000, baseline: () => 0 });
    await notifier.drainOnce();
    const sent = w.sentSince(after).filter((r) => r.chat === Number(GROUP));
    expect(sent.map(textOf).join('\n')).toContain('новые заявки на вступление');
    expect(sent.map(textOf).join('\n')).toContain('почти исчерпала лимит: вступили 950 из 1\u00a0000');
    for (const r of sent) expectRussian(r);
  });

  it('a private notification goes out in the language of the admin it goes to', async () => {
    w.store.outbox.add(EventKind.SyncFailed, GROUP, { kind: 'FloodWait', code: 'FLOOD_WAIT_3600', link: BIG_LINK }, T0);
    const after = w.server.driver.cursor;
    // ADMIN_A's app is in Russian (seen when they wrote to the bot); ADMIN_B went back to English.
    const notifier = createNotifier({ api: current.bot.api, store: w.store, logger: pino({ level: 'silent' }), adminIds: [ADMIN_A, ADMIN_B], now: () => (T0 + 10_000) * 1000, baseline: () => 0 });
    await notifier.drainOnce();
    const toA = w.sentSince(after).filter((r) => r.chat === Number(ADMIN_A)).map(textOf).join('\n');
    const toB = w.sentSince(after).filter((r) => r.chat === Number(ADMIN_B)).map(textOf).join('\n');
    expect(toA).toContain('Синхронизация не удалась: FloodWait FLOOD_WAIT_3600 на ссылке https://t.me/+BigLink500aa');
    expectRussian(toA);
    expect(toB).toContain('Sync failed: FloodWait FLOOD_WAIT_3600 on https://t.me/+BigLink500aa');
  });
});
