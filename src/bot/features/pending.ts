/**
 * /pending [chat] [query]: pending join requests newest first, searched over names, usernames and
 * bios; Approve / Decline per request; "approve all N" / "decline all N" (pending-bulk.ts). The
 * query cannot ride in 64 bytes of callback data, so each list message has a token in memory.
 * A page is one message (fitted-page.ts) and every ✅/❌ names its person and carries their user
 * id, so a press decides the person next to it, whatever was redrawn meanwhile. A press is
 * acknowledged at once; the outcome is the first line of the redrawn list.
 */
import { Composer, InlineKeyboard } from 'grammy';
import type { AdminChat, BotContext } from '../context.js';
import { splitChatArg } from '../middlewares/access.js';
import { decodeInt, decodeNumber, pack, unpack } from '../views/callback-data.js';
import type { Texts } from '../i18n/texts.js';
import { escapeHtml, isolate, userText } from '../views/html.js';
import { requestLine } from '../views/pending.js';
import { TokenTable } from '../views/tokens.js';
import { buttonName, displayName } from '../views/user.js';
import { commandArgs, editLinesQuietly, freshness } from './common.js';
import { decide, type DecisionOutcome } from './decide.js';
import { fitPage, type PagePosition } from './fitted-page.js';
import { bulkFeature, type BulkOptions } from './pending-bulk.js';

export const PENDING_PAGE = 10;
const EXAMPLE = '/pending ann';

export interface PendingList {
  chatId: bigint;
  query: string;
  view: PagePosition;
  /** "approve all" / "decline all" of this list: the open question's token, then 'started'. */
  bulk?: { approve: boolean; job: string | 'started' };
}
export type PendingLists = TokenTable<PendingList>;

export function pendingFeature(o: BulkOptions): Composer<BotContext> {
  const lists: PendingLists = new TokenTable<PendingList>(2000, 60 * 60_000, o.now);
  const feature = new Composer<BotContext>();

  feature.command('pending', async (ctx) => {
    const args = await commandArgs(ctx, EXAMPLE);
    if (args === undefined) return;
    const { chatArg, rest } = splitChatArg(ctx, args);
    await ctx.withChat(chatArg, async (chat) => {
      const token = lists.put({ chatId: chat.id, query: rest, view: { index: 1 } });
      const page = renderPending(ctx, chat, lists, token);
      await ctx.answer(page.lines.join('\n'), page.keyboard ? { reply_markup: page.keyboard } : undefined);
    });
  });

  feature.callbackQuery(/^pp:/, async (ctx) => {
    const [token = '', dir, d, u, i] = unpack(ctx.callbackQuery.data).fields;
    const list = lists.get(token);
    const chat = list && ctx.adminChats.find((c) => c.id === list.chatId);
    const date = decodeNumber(d);
    const userId = decodeInt(u);
    const index = decodeNumber(i);
    if (!list || !chat || date === undefined || userId === undefined || index === undefined || (dir !== 'o' && dir !== 'n')) {
      await ctx.answerCallbackQuery({ text: ctx.t('pending-list-expired') });
      return;
    }
    await ctx.answerCallbackQuery();
    list.view = { from: { direction: dir === 'o' ? 'older' : 'newer', cursor: { date, userId } }, index: Math.max(1, index) };
    const page = renderPending(ctx, chat, lists, token);
    await editLinesQuietly(ctx, page.lines, page.keyboard);
  });

  feature.callbackQuery(/^p[ad]:/, async (ctx) => {
    const { verb, fields } = unpack(ctx.callbackQuery.data);
    const [token = '', chatText, userText_] = fields;
    const chatId = decodeInt(chatText);
    const userId = decodeInt(userText_);
    const chat = ctx.adminChats.find((c) => c.id === chatId);
    if (!chat || userId === undefined) {
      await ctx.answerCallbackQuery({ text: ctx.t('pending-not-admin') });
      return;
    }
    const approve = verb === 'pa';
    const name = personName(ctx, userId);
    // Telegram expires late answers: acknowledge first, decide after (a 429 may take a while).
    await ctx.answerCallbackQuery({ text: ctx.t(approve ? 'pending-approving' : 'pending-declining', { name }).slice(0, 190) });
    const outcome = await decide(ctx, chat, userId, approve);
    const status = outcomeLine(ctx.texts, outcome, approve, name);
    if (lists.get(token)) {
      const page = renderPending(ctx, chat, lists, token, status);
      await editLinesQuietly(ctx, page.lines, page.keyboard);
    } else {
      // A digest's buttons (or an expired list): the decided person's pair goes, the outcome is told privately.
      if (outcome.kind !== 'refused' && outcome.kind !== 'forbidden') await dropButtonsOf(ctx, chatText ?? '', userText_ ?? '');
      await ctx.answer(status);
    }
  });

  feature.use(bulkFeature(o, lists));
  return feature;
}

/** Removes the buttons about one person (chat and user as packed) from the pressed message; quietly, it is cosmetic. */
async function dropButtonsOf(ctx: BotContext, chat: string, user: string): Promise<void> {
  const rows = ctx.callbackQuery?.message?.reply_markup?.inline_keyboard;
  if (!rows) return;
  const about = `:${chat}:${user}`;
  const kept = rows.filter((row) => !row.some((b) => 'callback_data' in b && b.callback_data.endsWith(about)));
  if (kept.length === rows.length) return;
  await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: kept } }).catch((error: unknown) => ctx.logger.debug({ err: error }, 'could not update the buttons'));
}

function personName(ctx: BotContext, userId: bigint): string {
  const who = ctx.store.users.get(userId);
  return displayName(ctx.texts, who ? { ...who, id: userId } : { id: userId });
}

/** The first line of the redrawn list: what the press did. */
function outcomeLine(tx: Texts, outcome: DecisionOutcome, approve: boolean, name: string): string {
  const who = userText(name);
  if (outcome.kind === 'done') return tx.t(approve ? 'pending-approved' : 'pending-declined', { name: who });
  return tx.t(approve ? 'pending-not-approved' : 'pending-not-declined', { name: who, reason: escapeHtml(tx.phrase(outcome.reason), 200) });
}

export function renderPending(ctx: BotContext, chat: AdminChat, lists: PendingLists, token: string, status?: string): { lines: string[]; keyboard?: InlineKeyboard } {
  const list = lists.get(token)!;
  const filter = { query: list.query || null };
  const pageOf = (view: PagePosition) =>
    ctx.store.pending.page(chat.id, filter, view.from ? { limit: PENDING_PAGE, [view.from.direction === 'older' ? 'before' : 'after']: view.from.cursor } : { limit: PENDING_PAGE });
  let page = pageOf(list.view);
  if (page.rows.length === 0 && list.view.from) {
    // The last requests of this page were just decided: show the first page instead of nothing.
    list.view = { index: 1 };
    page = pageOf(list.view);
  }
  const total = ctx.store.pending.count(chat.id, filter);
  const query = isolate(escapeHtml(list.query, 100));
  const where = userText(chat.title);
  // A search that matches nothing says so and how many are pending; "Nothing is pending." only when nothing is.
  const inAll = total === 0 && list.query ? ctx.store.pending.count(chat.id, { query: null }) : 0;
  const head = inAll > 0
    ? ctx.t('pending-no-match', { query, chat: where, all: inAll })
    : ctx.t(list.query ? 'pending-head-matching' : 'pending-head', { count: total, query, chat: where });
  const fitted = fitPage(page, list.view, (rows, first) => {
    const body = rows.map((r, i) => requestLine(ctx.texts, { ...r, id: r.userId }, first + i));
    const range = total > rows.length && rows.length > 0 ? [ctx.t('pending-range', { first, last: first + rows.length - 1, total })] : [];
    const empty = inAll > 0 ? [] : [ctx.t('pending-nothing'), ''];
    return [...(status ? [status, ''] : []), head, ...range, '', ...(body.length ? [...body, ''] : empty), freshness(ctx, chat.id)];
  });

  const keyboard = new InlineKeyboard();
  fitted.rows.forEach((r, i) => {
    const label = `${fitted.firstIndex + i}. ${buttonName(ctx.texts, { ...r, id: r.userId })}`;
    keyboard.text(`✅ ${label}`, pack('pa', token, chat.id, r.userId)).text(`❌ ${label}`, pack('pd', token, chat.id, r.userId)).row();
  });
  if (fitted.newer) keyboard.text(ctx.t('button-prev'), pack('pp', token, 'n', fitted.newer.cursor.date, fitted.newer.cursor.userId, fitted.newer.index));
  if (fitted.older) keyboard.text(ctx.t('button-next'), pack('pp', token, 'o', fitted.older.cursor.date, fitted.older.cursor.userId, fitted.older.index));
  if (total > 0) keyboard.row().text(ctx.t('pending-approve-all', { count: total }), pack('pb', token, 'a')).text(ctx.t('pending-decline-all', { count: total }), pack('pb', token, 'd'));
  return { lines: fitted.lines, keyboard: fitted.rows.length > 0 ? keyboard : undefined };
}
