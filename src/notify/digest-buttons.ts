/**
 * Approve and Decline buttons under a short digest (5 requests or fewer), one pair per request. They
 * are the /pending list's per-person buttons (`pa` / `pd` with the chat and the user id), with no
 * list behind them: the bot decides for whoever presses, after checking their right fresh, and
 * says what happened (bot/features/pending.ts). Their callback data is signed by the bot's button
 * book (its key lives in the database), so they work after a restart and a forged one is refused;
 * the keyboard is stored with the digest's message (notify_messages.keyboard), so a restart that
 * finishes a half-sent digest sends the same buttons.
 */
import type { Texts } from '../bot/i18n/texts.js';
import { buttonName } from '../bot/views/user.js';
import type { RequestEvent } from './digest.js';
import type { Names } from './messages.js';

/** At most this many requests get buttons; a longer digest points to /pending. */
export const DIGEST_BUTTONS_MAX = 5;
/** The token of a button that belongs to a notification, not to a /pending list. */
export const NOTIFICATION_TOKEN = '-';

/** Telegram's inline keyboard as JSON (notify does not import grammY). */
export interface InlineKeyboardJson {
  inline_keyboard: { text: string; callback_data: string }[][];
}

/** Signs callback data the bot will accept (bot/buttons.ts `ButtonBook`). */
export interface ButtonSigner {
  pack(verb: string, ...fields: (string | bigint | number)[]): string;
}

export function digestKeyboard(tx: Texts, buttons: ButtonSigner, chatId: bigint, requests: readonly RequestEvent[], names: Names): InlineKeyboardJson | undefined {
  if (requests.length === 0 || requests.length > DIGEST_BUTTONS_MAX) return undefined;
  return {
    inline_keyboard: requests.map((r) => {
      const who = names.user(r.userId);
      const name = buttonName(tx, { id: r.userId, firstName: who?.name ?? null });
      return [
        // The same labels as the /pending list's buttons: a mark and the person's name.
        { text: `✅ ${name}`, callback_data: buttons.pack('pa', NOTIFICATION_TOKEN, chatId, r.userId) },
        { text: `❌ ${name}`, callback_data: buttons.pack('pd', NOTIFICATION_TOKEN, chatId, r.userId) },
      ];
    }),
  };
}

/** A keyboard as stored with a message; anything of another shape (hand-edited, older) sends no buttons. */
export function keyboardOf(stored: unknown): InlineKeyboardJson | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const rows = (stored as { inline_keyboard?: unknown }).inline_keyboard;
  const isButton = (b: unknown) => typeof b === 'object' && b !== null && typeof (b as { text?: unknown }).text === 'string' && typeof (b as { callback_data?: unknown }).callback_data === 'string';
  if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row) && row.every(isButton))) return undefined;
  return stored as InlineKeyboardJson;
}
