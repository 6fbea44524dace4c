/**
 * /pending [chat] [query]: pending join requests newest first, searched over names, usernames and
 * bios; Approve / Decline per request; "approve all N" / "decline all N" (pending-bulk.ts). The
 * query cannot ride in 64 bytes of callback data, so each list message has a token in memory;
 * single decisions also carry chat and user, so they still work after the token expired.
 */
import { Composer, InlineKeyboard } from 'grammy';
import type { AdminChat, BotContext } from '../context.js';
import type { Cursor } from '../../store/index.js';
import { splitChatArg } from '../middlewares/access.js';
import { decodeInt, decodeNumber, pack, unpack } from '../views/callback-data.js';
import { bold, escapeHtml, isolate, userText } from '../views/html.js';
import { requestLine } from '../views/pending.js';
import { TokenTable } from '../views/tokens.js';
import { answerLines, commandArgs, editLinesQuietly, freshness } from './common.js';
import { decide } from './decide.js';
import { bulkFeature, type BulkOptions } from './pending-bulk.js';

export const PENDING_PAGE = 10;
const EXAMPLE = '/pending ann';

export interface PendingList {
  chatId: bigint;
  query: string;
  view: { from?: { direction: 'older' | 'newer'; cursor: Cursor }; pageNo: number };
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
      const token = lists.put({ chatId: chat.id, query: rest, view: { pageNo: 1 } });
      const page = renderPending(ctx, chat, lists, token);
      await answerLines(ctx, page.lines, page.keyboard);
    });
  });

  feature.callbackQuery(/^pp:/, async (ctx) => {
    const [token = '', dir, d, u, p] = unpack(ctx.callbackQuery.data).fields;
    const list = lists.get(token);
    const chat = list && ctx.adminChats.find((c) => c.id === list.chatId);
    const date = decodeNumber(d);
    const userId = decodeInt(u);
    const pageNo = decodeNumber(p);
    if (!list || !chat || date === undefined || userId === undefined || pageNo === undefined || (dir !== 'o' && dir !== 'n')) {
      await ctx.answerCallbackQuery({ text: 'This list has expired; send /pending again.' });
      return;
    }
    list.view = { from: { direction: dir === 'o' ? 'older' : 'newer', cursor: { date, userId } }, pageNo: Math.max(1, pageNo) };
    await ctx.answerCallbackQuery();
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
      await ctx.answerCallbackQuery({ text: 'You are not an admin of that chat.' });
      return;
    }
    const approve = verb === 'pa';
    const outcome = await decide(ctx, chat, userId, approve);
    const who = ctx.store.users.get(userId);
    const name = who ? [who.firstName, who.lastName].join(' ').trim() : userId.toString();
    const text = outcome.kind === 'done' ? `${approve ? 'Approved' : 'Declined'} ${name}` : `Not ${approve ? 'approved' : 'declined'}: ${outcome.reason}`;
    await ctx.answerCallbackQuery({ text: text.slice(0, 190), show_alert: outcome.kind !== 'done' });
    if (lists.get(token)) {
      const page = renderPending(ctx, chat, lists, token);
      await editLinesQuietly(ctx, page.lines, page.keyboard);
    }
  });

  feature.use(bulkFeature(o, lists));
  return feature;
}

export function renderPending(ctx: BotContext, chat: AdminChat, lists: PendingLists, token: string): { lines: string[]; keyboard?: InlineKeyboard } {
  const list = lists.get(token)!;
  const filter = { query: list.query || null };
  const { from, pageNo } = list.view;
  const options = from ? { limit: PENDING_PAGE, [from.direction === 'older' ? 'before' : 'after']: from.cursor } : { limit: PENDING_PAGE };
  let page = ctx.store.pending.page(chat.id, filter, options);
  if (page.rows.length === 0 && from) {
    // The last requests of this page were just decided: show the first page instead of nothing.
    list.view = { pageNo: 1 };
    page = ctx.store.pending.page(chat.id, filter, { limit: PENDING_PAGE });
  }
  const total = ctx.store.pending.count(chat.id, filter);
  const quoted = `“${isolate(escapeHtml(list.query, 100))}”`;
  const matching = list.query ? ` matching ${quoted}` : '';
  const first = (list.view.pageNo - 1) * PENDING_PAGE;
  // A search that matches nothing says so and how many are pending; "Nothing is pending." only when nothing is.
  const inAll = total === 0 && list.query ? ctx.store.pending.count(chat.id, { query: null }) : 0;
  const head = inAll > 0
    ? `No pending request matches ${quoted} in ${userText(chat.title)} (${inAll} pending in all).`
    : `${bold(`${total} pending request${total === 1 ? '' : 's'}`)}${matching} in ${userText(chat.title)}`;
  const body = page.rows.map((r, i) => requestLine({ ...r, id: r.userId }, first + i + 1));
  const empty = inAll > 0 ? [] : ['Nothing is pending.', ''];
  const lines = [head, ...(total > PENDING_PAGE ? [`Page ${list.view.pageNo}`] : []), '', ...(body.length ? [...body, ''] : empty), freshness(ctx, chat.id)];

  const keyboard = new InlineKeyboard();
  page.rows.forEach((r, i) => {
    keyboard.text(`✅ ${first + i + 1}`, pack('pa', token, chat.id, r.userId)).text(`❌ ${first + i + 1}`, pack('pd', token, chat.id, r.userId));
    if (i % 2 === 1) keyboard.row();
  });
  keyboard.row();
  if (page.newer) keyboard.text('◀ Prev', pack('pp', token, 'n', page.newer.date, page.newer.userId, list.view.pageNo - 1));
  if (page.older) keyboard.text('Next ▶', pack('pp', token, 'o', page.older.date, page.older.userId, list.view.pageNo + 1));
  if (total > 0) keyboard.row().text(`Approve all ${total}`, pack('pb', token, 'a')).text(`Decline all ${total}`, pack('pb', token, 'd'));
  return { lines, keyboard: page.rows.length > 0 ? keyboard : undefined };
}
