import type { Database as Db } from 'better-sqlite3';
import { optStr, unixNow, type RawRow } from './row.js';

/** What joinwatch knows about the language of one chat (see migrations/NNN_settings.sql). */
export interface LanguageSetting {
  /** Chosen with /language; null when nobody chose. */
  chosen: string | null;
  /** A person's Telegram app language (`language_code`) as last seen; null for groups. */
  telegram: string | null;
}

export interface SettingsRepo {
  /** The chat's language setting; a person's is that of their private chat (chat id = user id). */
  language(chatId: bigint): LanguageSetting | undefined;
  /** `/language`: null forgets the choice (back to the Telegram app's language, or the default). */
  chooseLanguage(chatId: bigint, language: string | null, now?: number): void;
  /** Remembers a person's `language_code`; writes only when it changed (it is read on every update). */
  noteTelegramLanguage(userId: bigint, code: string, now?: number): void;
}

export function createSettingsRepo(db: Db): SettingsRepo {
  const get = db.prepare('SELECT language, telegram_language FROM chat_settings WHERE chat_id = ?');
  const choose = db.prepare(`INSERT INTO chat_settings (chat_id, language, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (chat_id) DO UPDATE SET language = excluded.language, updated_at = excluded.updated_at`);
  const note = db.prepare(`INSERT INTO chat_settings (chat_id, telegram_language, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (chat_id) DO UPDATE SET telegram_language = excluded.telegram_language, updated_at = excluded.updated_at`);
  const language = (chatId: bigint): LanguageSetting | undefined => {
    const r = get.get(chatId) as RawRow | undefined;
    return r && { chosen: optStr(r.language), telegram: optStr(r.telegram_language) };
  };
  return {
    language,
    chooseLanguage: (chatId, chosen, now = unixNow()) => void choose.run(chatId, chosen, now),
    noteTelegramLanguage: (userId, code, now = unixNow()) => {
      // A read first: most updates come from people whose language did not change, and a write
      // would take the database's write lock for nothing while the sync is writing pages.
      if (language(userId)?.telegram === code) return;
      note.run(userId, code, now);
    },
  };
}
