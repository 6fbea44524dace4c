/**
 * /joiners <link>: who joined through a link, newest first, up to 20 a page and never more than one
 * message holds (fitted-page.ts). Prev/Next buttons carry the keyset cursor itself (date and user id
 * in base 36) and the number of the row next to it, so paging costs one index range scan at any
 * depth, survives a bot restart, and Next continues exactly after the last row shown; the link
 * travels as its hash (or a token when it is too long).
 */
import { Composer, InlineKeyboard } from 'grammy';
import type { AdminChat, BotContext } from '../context.js';
import type { LinkRow } from '../../store/index.js';
import { canonicalInviteLink } from '../../domain/invite-link.js';
import { requireSomeChat } from '../middlewares/access.js';
import { z } from 'zod';
import { BUTTON_KINDS } from '../buttons.js';
import { decodeInt, decodeNumber, unpack } from '../views/callback-data.js';
import { joinerLine } from '../views/joiners.js';
import { joinedCount, linkHeader, type LinkView } from '../views/links.js';
import { commandArgs, editLinesQuietly, freshness } from './common.js';
import { fitPage, type PagePosition } from './fitted-page.js';
import { lookupLink } from './link-lookup.js';

export const PAGE_SIZE = 20;
const VERB = 'jn';
const EXAMPLE = '/joiners https://t.me/+AbCdEf0123';
const MAX_HASH_IN_BUTTON = 24;

interface PageRequest {
  chat: AdminChat;
  link: LinkRow;
  at: PagePosition;
}

const LongLinkSchema = z.object({ link: z.string().max(300) });

export function joinersFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command('joiners', async (ctx) => {
    const args = await commandArgs(ctx, EXAMPLE);
    if (args === undefined || !(await requireSomeChat(ctx))) return;
    if (args === '') {
      await ctx.reply(ctx.t('joiners-which-link', { example: EXAMPLE }));
      return;
    }
    const found = lookupLink(ctx, args.split(/\s+/)[0] ?? '', EXAMPLE);
    if (!found.ok) {
      await ctx.reply(found.message, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
      return;
    }
    const page = renderPage(ctx, { chat: found.chat, link: found.link, at: { index: 1 } });
    await ctx.answer(page.lines.join('\n'), page.keyboard ? { reply_markup: page.keyboard } : undefined);
  });

  feature.callbackQuery(new RegExp(`^${VERB}:`), async (ctx) => {
    const request = decodePress(ctx, ctx.callbackQuery.data);
    if (!request) {
      await ctx.answerCallbackQuery({ text: ctx.t('joiners-list-gone') });
      return;
    }
    await ctx.answerCallbackQuery();
    const page = renderPage(ctx, request);
    await editLinesQuietly(ctx, page.lines, page.keyboard);
  });
  return feature;
}

function renderPage(ctx: BotContext, req: PageRequest): { lines: string[]; keyboard?: InlineKeyboard } {
  const { chat, link, at } = req;
  const options = at.from ? { limit: PAGE_SIZE, [at.from.direction === 'older' ? 'before' : 'after']: at.from.cursor } : { limit: PAGE_SIZE };
  const page = ctx.store.joiners.page(chat.id, link.link, options);
  const now = ctx.deps.now();
  const creator = ctx.store.users.get(link.adminId);
  const header = linkHeader(ctx.texts, toLinkView(ctx, link), creator ? { ...creator, id: link.adminId } : { id: link.adminId }, now);
  const names = (id: bigint) => {
    const u = ctx.store.users.get(id);
    return u ? { ...u, id } : undefined;
  };
  const fitted = fitPage(page, at, (rows, first) => {
    const body = rows.length > 0 ? rows.map((r, i) => joinerLine(ctx.texts, { ...r, id: r.userId }, first + i, names)) : [emptyPage(ctx, link, at.from !== undefined)];
    const range = rows.length > 0 ? [ctx.t('joiners-range', { first, last: first + rows.length - 1 })] : [];
    return [...header, ...range, '', ...body, '', freshness(ctx, chat.id)];
  });

  const ref = fitted.newer || fitted.older ? linkRef(ctx, link.link) : '';
  const keyboard = new InlineKeyboard();
  const pack = ctx.deps.buttons.pack.bind(ctx.deps.buttons);
  if (fitted.newer) keyboard.text(ctx.t('button-prev'), pack(VERB, ref, 'n', fitted.newer.cursor.date, fitted.newer.cursor.userId, fitted.newer.index));
  if (fitted.older) keyboard.text(ctx.t('button-next'), pack(VERB, ref, 'o', fitted.older.cursor.date, fitted.older.cursor.userId, fitted.older.index));
  return { lines: fitted.lines, keyboard: fitted.newer || fitted.older ? keyboard : undefined };
}

function emptyPage(ctx: BotContext, link: LinkRow, paged: boolean): string {
  if (paged) return ctx.t('joiners-no-more');
  if (!link.visible) return ctx.t('joiners-invisible');
  return ctx.t('joiners-none');
}

export function toLinkView(ctx: BotContext, link: LinkRow): LinkView {
  return {
    ...link,
    joined: joinedCount(link),
    pending: ctx.store.requests.pendingCount(link.chatId, link.link),
  };
}

function linkRef(ctx: BotContext, link: string): string {
  const hash = link.slice('https://t.me/+'.length);
  return hash.length <= MAX_HASH_IN_BUTTON ? hash : `~${ctx.deps.buttons.put(BUTTON_KINDS.link, { link })}`;
}

/** Callback data is signed, yet every field is validated, and access is checked again. */
function decodePress(ctx: BotContext, data: string): PageRequest | undefined {
  const [ref = '', dir, dateText, userText, indexText] = unpack(data).fields;
  const linkText = ref.startsWith('~') ? ctx.deps.buttons.get(BUTTON_KINDS.link, ref.slice(1), LongLinkSchema)?.payload.link : canonicalInviteLink(ref);
  const date = decodeNumber(dateText);
  const userId = decodeInt(userText);
  const index = decodeNumber(indexText);
  if (!linkText || date === undefined || userId === undefined || index === undefined || (dir !== 'o' && dir !== 'n')) return undefined;
  for (const chat of ctx.adminChats) {
    const link = ctx.store.links.get(chat.id, linkText);
    if (link) return { chat, link, at: { index: Math.max(1, index), from: { direction: dir === 'o' ? 'older' : 'newer', cursor: { date, userId } } } };
  }
  return undefined;
}
