/**
 * Which language a person or a chat gets. A person: the one they chose with /language, else their
 * Telegram app's (`language_code`), else English. A notification target: the language chosen in
 * that chat (a group's admins choose it there), else for a person their app's language as last
 * seen, else English.
 */
import type { Store } from '../../store/index.js';
import { DEFAULT_LOCALE, toLocale, type Locale } from './locale.js';

export function personLocale(store: Pick<Store, 'settings'>, userId: bigint, languageCode: string | undefined): Locale {
  return toLocale(store.settings.language(userId)?.chosen) ?? toLocale(languageCode) ?? DEFAULT_LOCALE;
}

export function chatLocale(store: Pick<Store, 'settings'>, chatId: bigint): Locale {
  const setting = store.settings.language(chatId);
  const own = toLocale(setting?.chosen);
  if (own) return own;
  // A positive id is a person's private chat: their app's language as last seen.
  return (chatId > 0n ? toLocale(setting?.telegram) : undefined) ?? DEFAULT_LOCALE;
}
