/**
 * Sending one notification to one recipient, and telling failures apart: a transient failure
 * (network, 5xx, a 429 that outlived auto-retry) stops that recipient's drain and is retried at the
 * next one; a refusal (4xx: blocked the bot, chat not found, no right to post) keeps the events for
 * that recipient too, reported once (drain.ts). A 400 that is our own markup's fault is retried
 * once as plain text.
 */
import type { InlineKeyboardJson } from './digest-buttons.js';

/** The part of grammY's `Api` the notifier uses (structural: notify does not import grammY). */
export interface NotifyApi {
  sendMessage(
    chatId: string,
    text: string,
    other?: { parse_mode?: 'HTML'; link_preview_options?: { is_disabled?: boolean }; reply_markup?: InlineKeyboardJson },
  ): Promise<unknown>;
  /** The write probe: Telegram checks the bot may post there, and nobody sees a message. */
  sendChatAction?(chatId: string, action: 'typing'): Promise<unknown>;
}

export type SendOutcome = { ok: true } | { ok: false; permanent: boolean; retryAfterSeconds?: number; description: string };

interface ApiErrorShape {
  error_code?: unknown;
  description?: unknown;
  parameters?: { retry_after?: unknown };
  message?: unknown;
}

export function classifySendError(error: unknown): Exclude<SendOutcome, { ok: true }> {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ApiErrorShape;
  const description = typeof e.description === 'string' ? e.description : typeof e.message === 'string' ? e.message : String(error);
  const code = typeof e.error_code === 'number' ? e.error_code : undefined;
  if (code === 429) {
    const retry = e.parameters?.retry_after;
    return { ok: false, permanent: false, retryAfterSeconds: typeof retry === 'number' ? retry : 5, description };
  }
  if (code !== undefined && code >= 400 && code < 500) return { ok: false, permanent: true, description };
  return { ok: false, permanent: false, description }; // network errors carry no code; 5xx
}

export async function sendHtml(api: NotifyApi, chatId: string, html: string, keyboard?: InlineKeyboardJson): Promise<SendOutcome> {
  const markup = keyboard ? { reply_markup: keyboard } : {};
  try {
    await api.sendMessage(chatId, html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...markup });
    return { ok: true };
  } catch (error) {
    const outcome = classifySendError(error);
    if (!outcome.permanent || !/parse entities|can't find end|unsupported start tag/i.test(outcome.description)) return outcome;
    try {
      await api.sendMessage(chatId, htmlToPlain(html), { link_preview_options: { is_disabled: true }, ...markup });
      return { ok: true };
    } catch (second) {
      return classifySendError(second);
    }
  }
}

/** May the bot write to `chatId`? A chat action needs the same rights as a message and shows none. */
export async function probeTarget(api: NotifyApi, chatId: string): Promise<SendOutcome> {
  if (!api.sendChatAction) return { ok: true };
  try {
    await api.sendChatAction(chatId, 'typing');
    return { ok: true };
  } catch (error) {
    return classifySendError(error);
  }
}

export function htmlToPlain(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
