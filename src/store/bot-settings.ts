/**
 * The bot's own small settings (migration NNN_restart), e.g. the key that signs callback data: kept
 * in the database so every restart, and every process on the same file, signs and checks alike.
 */
import type { Database as Db } from 'better-sqlite3';
import { str, type RawRow } from './row.js';

export interface BotSettingsRepo {
  get(name: string): string | undefined;
  /** The stored value, or `make()` stored now (the first process to write wins; others read it). */
  getOrCreate(name: string, make: () => string): string;
}

export function createBotSettingsRepo(db: Db): BotSettingsRepo {
  const get = db.prepare('SELECT value FROM bot_settings WHERE name = ?');
  const insert = db.prepare('INSERT OR IGNORE INTO bot_settings (name, value) VALUES (?, ?)');
  const read = (name: string): string | undefined => {
    const r = get.get(name) as RawRow | undefined;
    return r && str(r.value);
  };
  const getOrCreate = db.transaction((name: string, make: () => string): string => {
    insert.run(name, make());
    return read(name) as string;
  });
  return { get: read, getOrCreate: (name, make) => read(name) ?? getOrCreate.immediate(name, make) };
}
