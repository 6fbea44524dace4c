/** Small helpers every feature uses: argument limits, freshness, sending a list of lines. */
import type { InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.js';
import { parseId } from '../../domain/chat-id.js';
import { splitMessage } from '../views/split.js';
import { freshnessLine } from '../views/time.js';

/** Longest argument text we accept; Telegram allows 4096, nobody types a 300-character query. */
export const MAX_ARGS = 300;

/**
 * The command's argument text, or undefined after telling the user it is too long. Every bad input
 * gets one line with an example, never silence.
 */
export async function commandArgs(ctx: BotContext, example: string): Promise<string | undefined> {
  const raw = typeof ctx.match === 'string' ? ctx.match : '';
  if (raw.length > MAX_ARGS) {
    await ctx.reply(ctx.t('args-too-long', { length: raw.length, max: MAX_ARGS, example }));
    return undefined;
  }
  return raw.trim();
}

/**
 * `commandArgs` run through a parser that returns either the arguments or a sentence saying what
 * is wrong with them; the sentence is sent with the example, and undefined returned.
 */
export async function parsedArgs<T extends object>(ctx: BotContext, example: string, parse: (text: string) => T | string): Promise<T | undefined> {
  const raw = await commandArgs(ctx, example);
  if (raw === undefined) return undefined;
  const parsed = parse(raw);
  if (typeof parsed !== 'string') return parsed;
  await ctx.reply(ctx.t('args-problem', { problem: parsed, example }));
  return undefined;
}

/** An argument that names a chat rather than a link or a number: `@username` or a negative (`-100…`) id. */
export function isChatRef(token: string): boolean {
  return token.startsWith('@') || (parseId(token) ?? 0n) < 0n;
}

/**
 * An argument someone meant as a link (`+HASH`, `t.me/…`, `https://…`, `tg://…`), as opposed to a stray
 * word such as `abc`: only these are worth THE normaliser's "not an invite link" reason; a stray word
 * gets the command's usage line instead.
 */
export function looksLikeLink(token: string): boolean {
  return token.startsWith('+') || /[./:]/.test(token);
}

/** Unix seconds of the chat's last finished sync, if any. */
export function lastSyncAt(ctx: BotContext, chatId: bigint): number | undefined {
  return ctx.store.runs.lastFinished(chatId)?.finishedAt ?? undefined;
}

export function freshness(ctx: BotContext, chatId: bigint): string {
  return `<i>${freshnessLine(ctx.texts, lastSyncAt(ctx, chatId), ctx.deps.now())}</i>`;
}

/**
 * Sends an answer made of self-contained HTML lines, split under 4096 characters; the keyboard goes
 * on the last part (buttons belong to the end of the list).
 */
export async function answerLines(ctx: BotContext, lines: readonly string[], keyboard?: InlineKeyboard): Promise<void> {
  const parts = splitMessage(lines);
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    await ctx.answer(part, last && keyboard ? { reply_markup: keyboard } : undefined);
  }
}

/** Edits the message a button belongs to; a long page falls back to its first 4096 characters. */
export async function editLines(ctx: BotContext, lines: readonly string[], keyboard?: InlineKeyboard): Promise<void> {
  const [first = ''] = splitMessage(lines);
  await ctx.editMessageText(first, {
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    ...(keyboard ? { reply_markup: keyboard } : {}),
  });
}

/** Edits, ignoring Telegram's "message is not modified" (a double press of the same button). */
export async function editLinesQuietly(ctx: BotContext, lines: readonly string[], keyboard?: InlineKeyboard): Promise<void> {
  try {
    await editLines(ctx, lines, keyboard);
  } catch (error) {
    if (error instanceof Error && /message is not modified/i.test(error.message)) return;
    throw error;
  }
}
