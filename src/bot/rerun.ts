/**
 * A command that waits behind a button and runs when it is pressed: the "Which chat?" question
 * (the command runs again for the chat picked) and an anonymous admin's command (it runs again as
 * the admin who pressed, who is then checked like anyone else). The command's text is stored with
 * the button (SQLite, so a restart keeps it); the press hands a new message update with that text,
 * from the presser, to the bot's own middleware. Nothing is trusted from the first time round:
 * access, arguments and rights are checked again, as for a command typed now.
 */
import { z } from 'zod';
import type { Update } from 'grammy/types';
import type { BotContext } from './context.js';

export const StoredCommandSchema = z.object({
  text: z.string().min(1).max(4096),
  chat: z.object({ id: z.number().int(), type: z.enum(['private', 'group', 'supergroup']), title: z.string().optional() }),
  messageId: z.number().int(),
});
export type StoredCommand = z.infer<typeof StoredCommandSchema>;

/** The command of the message being handled, to store behind a button. */
export function commandOf(ctx: BotContext): StoredCommand | undefined {
  const msg = ctx.msg;
  const chat = ctx.chat;
  if (!msg?.text || !chat || (chat.type !== 'private' && chat.type !== 'group' && chat.type !== 'supergroup')) return undefined;
  return { text: msg.text, chat: { id: chat.id, type: chat.type, ...('title' in chat && chat.title ? { title: chat.title } : {}) }, messageId: msg.message_id };
}

/**
 * Runs `command` again as a message from the person who pressed (`ctx.from`), after this update
 * (the bot handles one chat's and one user's updates in order). `pickedChat`: the chat the
 * "Which chat?" answer named, which `ctx.withChat` then uses.
 */
export function rerun(ctx: BotContext, command: StoredCommand, o: { pickedChat?: bigint } = {}): void {
  const from = ctx.from;
  if (!from) return;
  const chat = command.chat.type === 'private' ? { id: from.id, type: 'private' as const, first_name: from.first_name } : { id: command.chat.id, type: command.chat.type, title: command.chat.title ?? '' };
  const length = /^\/\S+/.exec(command.text)?.[0].length ?? 0;
  const update = {
    update_id: ctx.update.update_id,
    message: {
      message_id: command.messageId,
      date: Math.floor(ctx.deps.now() / 1000),
      chat,
      from,
      text: command.text,
      ...(length > 0 ? { entities: [{ type: 'bot_command' as const, offset: 0, length }] } : {}),
    },
  } as Update;
  if (o.pickedChat !== undefined) ctx.deps.pickedChats.set(update, o.pickedChat);
  ctx.deps.dispatch(update);
}

/** The chat a "Which chat?" press picked for this update, if it is such a re-run. */
export function pickedChatOf(ctx: BotContext): bigint | undefined {
  return ctx.deps.pickedChats.get(ctx.update);
}
