/**
 * Approve and Decline buttons under a short digest (5 requests or fewer), one pair per request. They
 * are the /pending list's per-person buttons (`pa` / `pd` with the chat and the user id), with no
 * list behind them: the bot decides for whoever presses, after checking their right fresh, and
 * says what happened (bot/features/pending.ts).
 */
import type { Texts } from '../bot/i18n/texts.js';
import { pack } from '../bot/views/callback-data.js';
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

export function digestKeyboard(tx: Texts, chatId: bigint, requests: readonly RequestEvent[], names: Names): InlineKeyboardJson | undefined {
  if (requests.length === 0 || requests.length > DIGEST_BUTTONS_MAX) return undefined;
  return {
    inline_keyboard: requests.map((r) => {
      const who = names.user(r.userId);
      const name = buttonName(tx, { id: r.userId, firstName: who?.name ?? null });
      return [
        // The same labels as the /pending list's buttons: a mark and the person's name.
        { text: `✅ ${name}`, callback_data: pack('pa', NOTIFICATION_TOKEN, chatId, r.userId) },
        { text: `❌ ${name}`, callback_data: pack('pd', NOTIFICATION_TOKEN, chatId, r.userId) },
      ];
    }),
  };
}
