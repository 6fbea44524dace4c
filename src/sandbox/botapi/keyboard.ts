/**
 * reply_markup checks Telegram makes and bots get wrong: callback_data over 64 bytes is
 * BUTTON_DATA_INVALID, an inline button needs exactly one action, keyboards must be arrays of rows.
 */
import { badRequest } from './errors.js';
import { json, type Params } from './params.js';

const INLINE_ACTIONS = ['url', 'callback_data', 'web_app', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat', 'switch_inline_query_chosen_chat', 'copy_text', 'callback_game', 'pay'];

export function replyMarkup(p: Params): Record<string, unknown> | undefined {
  const markup = json(p, 'reply_markup', 'reply keyboard markup');
  if (markup === undefined || markup === null) return undefined;
  if (typeof markup !== 'object' || Array.isArray(markup)) throw badRequest("can't parse reply keyboard markup JSON object");
  const m = markup as Record<string, unknown>;
  if ('inline_keyboard' in m) checkInline(m.inline_keyboard);
  else if ('keyboard' in m) checkRows(m.keyboard, 'keyboard');
  return m;
}

function checkRows(rows: unknown, field: string): unknown[][] {
  if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r))) throw badRequest(`field "${field}" of the InlineKeyboardMarkup must be an Array of Arrays`);
  return rows as unknown[][];
}

function checkInline(rows: unknown): void {
  for (const row of checkRows(rows, 'inline_keyboard')) {
    for (const button of row) {
      if (typeof button !== 'object' || button === null) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
      const b = button as Record<string, unknown>;
      if (typeof b.text !== 'string') throw badRequest("can't parse inline keyboard button: Field \"text\" must be of type String");
      if (b.text.trim() === '') throw badRequest('BUTTON_TEXT_INVALID');
      const actions = INLINE_ACTIONS.filter((a) => b[a] !== undefined);
      if (actions.length === 0) throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      if (b.callback_data !== undefined) {
        if (typeof b.callback_data !== 'string') throw badRequest("can't parse inline keyboard button: Field \"callback_data\" must be of type String");
        const bytes = Buffer.byteLength(b.callback_data, 'utf8');
        if (bytes === 0 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID');
      }
      if (b.url !== undefined && (typeof b.url !== 'string' || !/^(https?|tg):\/\/\S+$/i.test(b.url))) throw badRequest('BUTTON_URL_INVALID');
    }
  }
}

/** Every callback_data in an inline keyboard (for checking a pressed button exists). */
export function callbackDatas(markup: unknown): string[] {
  const rows = (markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
  if (!Array.isArray(rows)) return [];
  return rows.flat().map((b) => (b as { callback_data?: unknown }).callback_data).filter((d): d is string => typeof d === 'string');
}
