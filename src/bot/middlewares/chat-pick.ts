/**
 * "Which chat?" for an admin of several watched chats who gave no chat argument in private: one
 * button per chat. The command's continuation waits behind a short token (callback data cannot
 * hold a 10 kB query) and runs after the press, with the access check repeated for the press.
 */
import { InlineKeyboard } from 'grammy';
import type { AdminChat, BotContext } from '../context.js';
import { pack } from '../views/callback-data.js';
import { clip } from '../views/html.js';
import { TokenTable } from '../views/tokens.js';

export const PICK_VERB = 'pk';

export interface PendingPick {
  readonly userId: number;
  readonly chats: readonly AdminChat[];
  readonly run: (chat: AdminChat) => Promise<void>;
}

export type ChatPicks = TokenTable<PendingPick>;

export function createChatPicks(now?: () => number): ChatPicks {
  return new TokenTable<PendingPick>(1000, 15 * 60_000, now);
}

export async function askForChat(ctx: BotContext, picks: ChatPicks, run: (chat: AdminChat) => Promise<void>): Promise<void> {
  const userId = ctx.from?.id ?? 0;
  const chats = ctx.adminChats.slice(0, 50);
  const token = picks.put({ userId, chats, run });
  const keyboard = new InlineKeyboard();
  // Button labels are plain text (no parse mode), so titles need no escaping, only a length cap.
  chats.forEach((chat, i) => keyboard.text(clip(chat.title || chat.id.toString(), 40), pack(PICK_VERB, token, i)).row());
  await ctx.reply(ctx.t('pick-chat-question'), { reply_markup: keyboard });
}
