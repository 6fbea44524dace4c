/**
 * Per-chat settings (the /language choice, a person's Telegram app language): stored in SQLite so
 * they outlive a restart, and the settings migration upgrades a database of the previous migration
 * set in place, with nothing lost.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { DEFAULT_MIGRATIONS_DIR, migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open.js';

const NEW = /_settings\.sql$/;
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('store.settings', () => {
  it('keeps a person\'s choice and app language, and a group\'s choice, across a reopen', () => {
    dir = mkdtempSync(join(tmpdir(), 'joinwatch-settings-'));
    const file = join(dir, 'joinwatch.db');
    const store = openStore(file);
    expect(store.settings.language(7100001n)).toBeUndefined();
    store.settings.noteTelegramLanguage(7100001n, 'ru', 1000);
    store.settings.chooseLanguage(7100001n, 'en', 1001);
    store.settings.chooseLanguage(-1001700000001n, 'ru', 1002);
    store.close();

    const again = openStore(file);
    try {
      expect(again.settings.language(7100001n)).toEqual({ chosen: 'en', telegram: 'ru' });
      expect(again.settings.language(-1001700000001n)).toEqual({ chosen: 'ru', telegram: null });
      // Forgetting the choice keeps the app language (the fallback after /language app).
      again.settings.chooseLanguage(7100001n, null, 1003);
      expect(again.settings.language(7100001n)).toEqual({ chosen: null, telegram: 'ru' });
    } finally {
      again.close();
    }
  });

  it('writes a person\'s app language only when it changed', () => {
    const store = openStore(':memory:');
    try {
      const updatedAt = () => Number(store.db.prepare('SELECT updated_at FROM chat_settings WHERE chat_id = ?').pluck().get(5n));
      store.settings.noteTelegramLanguage(5n, 'ru', 100);
      store.settings.noteTelegramLanguage(5n, 'ru', 200);
      expect(updatedAt()).toBe(100);
      store.settings.noteTelegramLanguage(5n, 'en', 300);
      expect(store.settings.language(5n)).toEqual({ chosen: null, telegram: 'en' });
      expect(updatedAt()).toBe(300);
    } finally {
      store.close();
    }
  });

  it('the settings migration upgrades a database of the previous migration set with nothing lost', () => {
    dir = mkdtempSync(join(tmpdir(), 'joinwatch-migrate-settings-'));
    const previous = join(dir, 'previous');
    const all = readdirSync(DEFAULT_MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();
    const newFile = all.find((f) => NEW.test(f));
    expect(newFile).toBeDefined();
    mkdirSync(previous);
    for (const f of all.filter((f) => f < newFile!)) copyFileSync(join(DEFAULT_MIGRATIONS_DIR, f), join(previous, f));
    const file = join(dir, 'joinwatch.db');

    // The earlier version's database, written with that version's own schema.
    const old = openDatabase(file);
    migrate(old, previous);
    const chat = -1001700000001n;
    old.prepare("INSERT INTO chats (id, title, first_seen, last_seen) VALUES (?, 'Old chat', 1000, 1000)").run(chat);
    old.prepare("INSERT INTO users (id, first_name, last_name, first_seen, last_seen) VALUES (9000001, 'Ann', 'Lee', 1000, 1000)").run();
    const waiting = Number(old.prepare('INSERT INTO outbox (kind, chat_id, payload, created_at) VALUES (?, ?, ?, ?)').run('session.revoked', null, '{"code":"SESSION_REVOKED"}', 1001).lastInsertRowid);
    old.close();

    const store = openStore(file);
    try {
      expect(store.chats.get(chat)?.title).toBe('Old chat');
      expect(store.users.get(9000001n)?.firstName).toBe('Ann');
      expect(store.outbox.undelivered(10).map((e) => e.id)).toEqual([waiting]);
      expect(store.settings.language(chat)).toBeUndefined();
      store.settings.chooseLanguage(chat, 'ru', 2000);
      expect(store.settings.language(chat)?.chosen).toBe('ru');
    } finally {
      store.close();
    }
  });
});
