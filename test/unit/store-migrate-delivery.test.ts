/**
 * Migration 002_bot_delivery upgrades a database made by the previous migration set in place:
 * built from every migration file except this one, filled, then opened with the full set.
 * Nothing stored is lost, and what was waiting for the notifier still waits.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { DEFAULT_MIGRATIONS_DIR, migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open.js';

const NEW = /_bot_delivery\.sql$/;
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('migration bot_delivery', () => {
  it('upgrades a database of the previous migration set with nothing lost', () => {
    dir = mkdtempSync(join(tmpdir(), 'joinwatch-migrate-delivery-'));
    const previous = join(dir, 'previous');
    // The set before this migration: every file that sorts before it (later migrations need it).
    const all = readdirSync(DEFAULT_MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();
    const newFile = all.find((f) => NEW.test(f)) ?? '';
    const files = all.filter((f) => f < newFile);
    expect(files.length).toBeLessThan(readdirSync(DEFAULT_MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length);
    mkdirSync(previous);
    for (const f of files) copyFileSync(join(DEFAULT_MIGRATIONS_DIR, f), join(previous, f));
    const file = join(dir, 'joinwatch.db');

    // The earlier version's database, written as that version wrote it (its own SQL, its own schema).
    const old = openDatabase(file);
    migrate(old, previous);
    const chat = -1001700000001n;
    old.prepare("INSERT INTO chats (id, title, first_seen, last_seen) VALUES (?, 'Old chat', 1000, 1000)").run(chat);
    const add = old.prepare('INSERT INTO outbox (kind, chat_id, payload, created_at, delivered_at) VALUES (?, ?, ?, ?, ?)');
    add.run('requests.new', chat, '{"requests":[]}', 1000, 1002);
    const waiting = Number(add.run('session.revoked', null, '{"code":"SESSION_REVOKED"}', 1001, null).lastInsertRowid);
    old.close();

    const store = openStore(file);
    try {
      expect(store.chats.get(chat)?.title).toBe('Old chat');
      expect(store.outbox.undelivered(10).map((e) => e.id)).toEqual([waiting]);
      // The waiting event is still owed to every recipient, and per-recipient delivery works on it.
      expect(store.outbox.undeliveredFor('-1001999999999', 10).map((e) => e.id)).toEqual([waiting]);
      store.outbox.markDeliveredTo('-1001999999999', [waiting], 2000);
      store.outbox.completeFor(['-1001999999999'], [waiting], 2000);
      expect(store.outbox.undelivered(10)).toEqual([]);
      expect(store.notifyTargets.get('-1001999999999')).toBeUndefined();
    } finally {
      store.close();
    }
  });
});
