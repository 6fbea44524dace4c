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
    // Structural, like the rest: grammY types its signal with the abort-controller polyfill.
    signal?: Pick<AbortSignal, 'aborted'>,
  ): Promise<unknown>;
  /** The write probe: Telegram checks the bot may post there, and nobody sees a message. */
  sendChatAction?(chatId: string, action: 'typing'): Promise<unknown>;
}

/** `messageId`: Telegram's id of the message sent, when its answer carried one. */
export type SendOutcome = { ok: true; messageId?: number } | { ok: false; permanent: boolean; retryAfterSeconds?: number; description: string };

/**
 * How long one send may take. The bot's API retries a network failure for ever (auto-retry), so
 * a Bot API that stopped answering would hold the drain, and every notification behind it, until
 * it came back: past this the send fails like any transient failure and the next drain retries.
 */
export const SEND_TIMEOUT_MS = 30_000;

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

export async function sendHtml(api: NotifyApi, chatId: string, html: string, timeoutMs = SEND_TIMEOUT_MS, keyboard?: InlineKeyboardJson): Promise<SendOutcome> {
  const markup = keyboard ? { reply_markup: keyboard } : {};
  try {
    return sent(await api.sendMessage(chatId, html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...markup }, AbortSignal.timeout(timeoutMs)));
  } catch (error) {
    const outcome = classifySendError(error);
    if (!outcome.permanent || !/parse entities|can't find end|unsupported start tag/i.test(outcome.description)) return outcome;
    try {
      return sent(await api.sendMessage(chatId, htmlToPlain(html), { link_preview_options: { is_disabled: true }, ...markup }, AbortSignal.timeout(timeoutMs)));
    } catch (second) {
      return classifySendError(second);
    }
  }
}

function sent(message: unknown): SendOutcome {
  const id = (message as { message_id?: unknown } | null | undefined)?.message_id;
  return typeof id === 'number' ? { ok: true, messageId: id } : { ok: true };
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
