/**
 * /links [chat]: every known link of the chat with title, creator, joined / limit, pending,
 * expiry or revoked, last activity; and, when the userbot is not the chat's owner, the note saying
 * which links it cannot see and why.
 */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { INVISIBLE_LINKS_NOTE } from '../../store/index.js';
import { userText } from '../views/html.js';
import { invisibleLinksNote, joinedCount, linkEntry } from '../views/links.js';
import { answerLines, commandArgs, freshness } from './common.js';
import { liveSourcesOf } from '../../domain/live-sources.js';
import { liveSourcesLine } from '../views/live-sources.js';

/** Is the bot an admin of the chat (it gets chat_member and chat_join_request there)? Unknown: false. */
async function botIsAdmin(ctx: BotContext, chatId: bigint): Promise<boolean> {
  try {
    const me = await ctx.api.getChatMember(chatId.toString(), ctx.me.id);
    return me.status === 'administrator' || me.status === 'creator';
  } catch {
    return false;
  }
}

export function linksFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command('links', async (ctx) => {
    const args = await commandArgs(ctx, '/links -1001234567890');
    if (args === undefined) return;
    await ctx.withChat(args.split(/\s+/)[0] || undefined, async (chat) => {
      const links = ctx.store.links.summaries(chat.id);
      const now = ctx.deps.now();
      const creators = new Map<bigint, { id: bigint; firstName?: string; lastName?: string; username?: string | null }>();
      const creatorOf = (id: bigint) => {
        if (!creators.has(id)) creators.set(id, { ...ctx.store.users.get(id), id });
        return creators.get(id)!;
      };
      const lines = [ctx.t('links-title', { count: links.length, chat: userText(chat.title) }), ''];
      for (const link of links) lines.push(...linkEntry(ctx.texts, { ...link, joined: joinedCount(link) }, creatorOf(link.adminId), now));
      if (links.length === 0) lines.push(ctx.t('links-none'));
      const note = ctx.store.chats.notes(chat.id).find((n) => n.kind === INVISIBLE_LINKS_NOTE);
      if (note) lines.push('', `⚠️ ${invisibleLinksNote(ctx.texts, note.text)}`);
      lines.push('', liveSourcesLine(ctx.texts, liveSourcesOf(ctx.store.chatLive.get(chat.id)), await botIsAdmin(ctx, chat.id)));
      lines.push(freshness(ctx, chat.id));
      await answerLines(ctx, lines);
    });
  });
  return feature;
}
