/**
 * "Which chat?" for an admin of several watched chats who gave no chat argument in private: one
 * button per chat. The command waits behind a short token, as text, in SQLite (a 10 kB query does
 * not fit in callback data, and a restart must not lose the question); the press runs it again
 * for the chat picked (rerun.ts), access checked again.
 */
import { InlineKeyboard } from 'grammy';
import { z } from 'zod';
import { BUTTON_KINDS } from '../buttons.js';
import type { BotContext } from '../context.js';
import { commandOf, StoredCommandSchema } from '../rerun.js';
import { clip } from '../views/html.js';

export const PICK_VERB = 'pk';
const MAX_CHOICES = 50;

/** The question's data: the command, and the chats offered (by index in the buttons). */
export const PickSchema = z.object({ command: StoredCommandSchema, chats: z.array(z.string().regex(/^-?\d+$/)).max(MAX_CHOICES) });

export async function askForChat(ctx: BotContext): Promise<void> {
  const command = commandOf(ctx);
  const chats = ctx.adminChats.slice(0, MAX_CHOICES);
  if (!command || !ctx.from) return;
  const token = ctx.deps.buttons.put(BUTTON_KINDS.pick, { command, chats: chats.map((c) => String(c.id)) }, ctx.from.id);
  const keyboard = new InlineKeyboard();
  // Button labels are plain text (no parse mode), so titles need no escaping, only a length cap.
  chats.forEach((chat, i) => keyboard.text(clip(chat.title || chat.id.toString(), 40), ctx.deps.buttons.pack(PICK_VERB, token, i)).row());
  await ctx.reply(ctx.t('pick-chat-question'), { reply_markup: keyboard });
}
