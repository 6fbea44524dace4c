/**
 * /joiners <link>: who joined through a link, newest first, 20 a page. Prev/Next buttons carry the
 * keyset cursor itself (date and user id in base 36), so paging costs one index range scan at any
 * depth and survives a bot restart; the link travels as its hash (or a token when it is too long).
 */
import { Composer, InlineKeyboard } from 'grammy';
import type { AdminChat, BotContext } from '../context.js';
import type { Cursor, LinkRow } from '../../store/index.js';
import { canonicalInviteLink } from '../../domain/invite-link.js';
import { requireSomeChat } from '../middlewares/access.js';
import { decodeInt, decodeNumber, pack, unpack } from '../views/callback-data.js';
import { joinerLine } from '../views/joiners.js';
import { joinedCount, linkHeader, type LinkView } from '../views/links.js';
import { TokenTable } from '../views/tokens.js';
import { answerLines, commandArgs, editLinesQuietly, freshness } from './common.js';
import { lookupLink } from './link-lookup.js';

export const PAGE_SIZE = 20;
const VERB = 'jn';
const EXAMPLE = '/joiners https://t.me/+AbCdEf0123';
const MAX_HASH_IN_BUTTON = 24;

type Direction = 'older' | 'newer';
interface PageRequest {
  chat: AdminChat;
  link: LinkRow;
  from?: { direction: Direction; cursor: Cursor };
  pageNo: number;
}

export function joinersFeature(): Composer<BotContext> {
  const longLinks = new TokenTable<string>(5000, 24 * 3600_000);
  const feature = new Composer<BotContext>();

  feature.command('joiners', async (ctx) => {
    const args = await commandArgs(ctx, EXAMPLE);
    if (args === undefined || !(await requireSomeChat(ctx))) return;
    if (args === '') {
      await ctx.reply(`Which link? Example: ${EXAMPLE} (see /links for the list).`);
      return;
    }
    const found = lookupLink(ctx, args.split(/\s+/)[0] ?? '', EXAMPLE);
    if (!found.ok) {
      await ctx.reply(found.message, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
      return;
    }
    const page = renderPage(ctx, { chat: found.chat, link: found.link, pageNo: 1 }, longLinks);
    await answerLines(ctx, page.lines, page.keyboard);
  });

  feature.callbackQuery(new RegExp(`^${VERB}:`), async (ctx) => {
    const request = decodePress(ctx, ctx.callbackQuery.data, longLinks);
    if (!request) {
      await ctx.answerCallbackQuery({ text: 'This list is no longer available to you; send /joiners again.' });
      return;
    }
    await ctx.answerCallbackQuery();
    const page = renderPage(ctx, request, longLinks);
    await editLinesQuietly(ctx, page.lines, page.keyboard);
  });
  return feature;
}

function renderPage(ctx: BotContext, req: PageRequest, longLinks: TokenTable<string>): { lines: string[]; keyboard?: InlineKeyboard } {
  const { chat, link } = req;
  const options = req.from ? { limit: PAGE_SIZE, [req.from.direction === 'older' ? 'before' : 'after']: req.from.cursor } : { limit: PAGE_SIZE };
  const page = ctx.store.joiners.page(chat.id, link.link, options);
  const now = ctx.deps.now();
  const creator = ctx.store.users.get(link.adminId);
  const header = linkHeader(toLinkView(ctx, link), creator ? { ...creator, id: link.adminId } : { id: link.adminId }, now);
  const names = (id: bigint) => {
    const u = ctx.store.users.get(id);
    return u ? { ...u, id } : undefined;
  };
  const first = (req.pageNo - 1) * PAGE_SIZE;
  const rows = page.rows.map((r, i) => joinerLine({ ...r, id: r.userId }, first + i + 1, names));
  const body = rows.length > 0 ? rows : [emptyPage(link, req.pageNo)];
  const lines = [...header, `Page ${req.pageNo}`, '', ...body, '', freshness(ctx, chat.id)];

  const ref = linkRef(link.link, longLinks);
  const keyboard = new InlineKeyboard();
  if (page.newer) keyboard.text('◀ Prev', pack(VERB, ref, 'n', page.newer.date, page.newer.userId, req.pageNo - 1));
  if (page.older) keyboard.text('Next ▶', pack(VERB, ref, 'o', page.older.date, page.older.userId, req.pageNo + 1));
  return { lines, keyboard: page.newer || page.older ? keyboard : undefined };
}

function emptyPage(link: LinkRow, pageNo: number): string {
  if (pageNo > 1) return 'No more joiners here.';
  if (!link.visible) return "The userbot may not list who joined through this link: another admin created it and the userbot's account does not own the chat.";
  return 'Nobody has joined through this link yet (as far as the last sync saw).';
}

export function toLinkView(ctx: BotContext, link: LinkRow): LinkView {
  return {
    ...link,
    joined: joinedCount(link),
    pending: ctx.store.requests.pendingCount(link.chatId, link.link),
  };
}

function linkRef(link: string, longLinks: TokenTable<string>): string {
  const hash = link.slice('https://t.me/+'.length);
  return hash.length <= MAX_HASH_IN_BUTTON ? hash : `~${longLinks.put(link)}`;
}

/** Callback data is user-controlled: every field is validated, and access is checked again. */
function decodePress(ctx: BotContext, data: string, longLinks: TokenTable<string>): PageRequest | undefined {
  const [ref = '', dir, dateText, userText, pageText] = unpack(data).fields;
  const linkText = ref.startsWith('~') ? longLinks.get(ref.slice(1)) : canonicalInviteLink(ref);
  const date = decodeNumber(dateText);
  const userId = decodeInt(userText);
  const pageNo = decodeNumber(pageText);
  if (!linkText || date === undefined || userId === undefined || pageNo === undefined || (dir !== 'o' && dir !== 'n')) return undefined;
  for (const chat of ctx.adminChats) {
    const link = ctx.store.links.get(chat.id, linkText);
    if (link) return { chat, link, pageNo: Math.max(1, pageNo), from: { direction: dir === 'o' ? 'older' : 'newer', cursor: { date, userId } } };
  }
  return undefined;
}
