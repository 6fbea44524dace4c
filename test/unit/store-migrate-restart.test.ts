/**
 * Migration restart (issue 11) upgrades a database made by the previous migration set in place:
 * built from the migration files before this one, filled as that version filled it, then opened
 * with the full set. Nothing stored is lost; a chat synced before counts as imported (no initial
 * import summary for it), one whose syncs all failed is still importing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open.js';
import { migrationsBefore } from './migration-sets.js';

const NEW = /_restart\.sql$/;
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const TABLES = ['chats', 'users', 'invite_links', 'joins', 'join_requests', 'join_request_history', 'sync_runs', 'outbox', 'outbox_deliveries', 'notify_targets'];

describe('migration restart', () => {
  it('upgrades a database of the previous migration set with nothing lost', () => {
    dir = mkdtempSync(join(tmpdir(), 'joinwatch-migrate-restart-'));
    const previous = migrationsBefore(dir, NEW);
    const file = join(dir, 'joinwatch.db');

    const synced = -1001700000001n;
    const failing = -1001700000002n;
    const old = openDatabase(file);
    migrate(old, previous);
    const chat = old.prepare("INSERT INTO chats (id, title, first_seen, last_seen) VALUES (?, ?, 1000, 1000)");
    chat.run(synced, 'Synced');
    chat.run(failing, 'Failing');
    old.prepare("INSERT INTO users (id, first_name, first_seen, last_seen) VALUES (9000001, 'Ann', 1000, 1000)").run();
    const link = Number(old.prepare("INSERT INTO invite_links (chat_id, link, admin_id, date, first_seen, last_seen) VALUES (?, 'https://t.me/+AAAA', 7000001, 900, 1000, 1000)").run(synced).lastInsertRowid);
    const stay = old.prepare('INSERT INTO joins (chat_id, link_id, user_id, date, first_seen, left_at, left_how) VALUES (?, ?, 9000001, ?, 1000, ?, ?)');
    stay.run(synced, link, 900, 940, 'left');
    stay.run(synced, link, 950, null, null);
    old.prepare("INSERT INTO join_requests (chat_id, user_id, date, first_seen) VALUES (?, 9000001, 960, 1000)").run(synced);
    const run = old.prepare('INSERT INTO sync_runs (chat_id, started_at, finished_at, outcome) VALUES (?, ?, ?, ?)');
    run.run(synced, 990, 1000, 'ok');
    run.run(failing, 990, 1000, 'failed');
    const waiting = Number(old.prepare("INSERT INTO outbox (kind, chat_id, payload, created_at) VALUES ('requests.new', ?, '{\"requests\":[]}', 1000)").run(synced).lastInsertRowid);
    old.prepare("INSERT INTO outbox_deliveries (event_id, recipient, delivered_at) VALUES (?, '111', 1001)").run(waiting);
    const counts = Object.fromEntries(TABLES.map((t) => [t, Number(old.prepare(`SELECT count(*) FROM ${t}`).pluck().get())]));
    old.close();

    const store = openStore(file);
    try {
      for (const t of TABLES) expect(Number(store.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get()), t).toBe(counts[t]);
      expect(store.db.prepare('SELECT date, left_at, left_how FROM joins ORDER BY date').all()).toEqual([
        { date: 900n, left_at: 940n, left_how: 'left' },
        { date: 950n, left_at: null, left_how: null },
      ]);
      expect(store.outbox.undeliveredFor('222', 10).map((e) => e.id)).toEqual([waiting]);
      expect(store.imports.state(synced)).toEqual({ kind: 'imported', eventId: null });
      expect(store.imports.state(failing)).toEqual({ kind: 'importing' });
      // The next run of the synced chat is no import; the failing chat's first good run is one.
      store.runs.finish(store.runs.start(synced, 2000), { calls: 1, rowsAdded: 0, outcome: 'ok' }, 2001);
      expect(store.outbox.undelivered(10).map((e) => e.kind)).toEqual(['requests.new']);
      store.runs.finish(store.runs.start(failing, 2000), { calls: 1, rowsAdded: 0, outcome: 'ok' }, 2002);
      const imported = store.outbox.undelivered(10).find((e) => e.kind === 'chat.imported');
      expect(imported).toMatchObject({ chatId: failing, createdAt: 2002 });
      expect(store.imports.state(failing)).toEqual({ kind: 'imported', eventId: imported!.id });
    } finally {
      store.close();
    }
  });
});
