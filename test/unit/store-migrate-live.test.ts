/**
 * Migration live_bot upgrades a database made by the previous migration set in place: built from
 * every migration file except this one, filled, then opened with the full set. Nothing stored is
 * lost; requests stored before it count as the sync's (so attributing one later is still news).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open.js';
import { migrationsBefore } from './migration-sets.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('migration live_bot', () => {
  it('upgrades a database of the previous migration set with nothing lost', () => {
    dir = mkdtempSync(join(tmpdir(), 'joinwatch-migrate-live-'));
    const previous = migrationsBefore(dir, /_live_bot\.sql$/);
    const file = join(dir, 'joinwatch.db');

    const chat = -1001700000001n;
    const old = openDatabase(file);
    migrate(old, previous);
    old.prepare("INSERT INTO chats (id, title, first_seen, last_seen) VALUES (?, 'Old chat', 1000, 1000)").run(chat);
    old.prepare("INSERT INTO users (id, first_name, first_seen, last_seen) VALUES (7, 'Ann', 1000, 1000), (8, 'Bob', 1000, 1000)").run();
    const req = old.prepare("INSERT INTO join_requests (chat_id, user_id, link, via, date, about, status, first_seen) VALUES (?, ?, NULL, ?, ?, 'bio', ?, 1000)");
    req.run(chat, 7, 'unknown', 900, 'pending');
    req.run(chat, 8, 'username', 800, 'declined');
    old.close();

    const store = openStore(file);
    try {
      expect(store.requests.pendingOf(chat, 7n)).toMatchObject({ via: 'unknown', about: 'bio', source: 'sync' });
      expect(store.requests.latestOf(chat, 8n)).toMatchObject({ status: 'declined', source: 'sync' });
      expect(store.pending.count(chat, { query: 'Ann' })).toBe(1);
      // Attributed by the sync: news, as before the upgrade.
      expect(store.requests.upsertPending(chat, [{ userId: 7n, date: 900, via: 'username' }], 2000)).toHaveLength(1);
      // A live request after the upgrade.
      store.users.upsertMany([{ id: 9n, accessHash: null, username: null, firstName: 'Cy', lastName: '' }], 2000);
      expect(store.live.request(chat, { userId: 9n, date: 1990, link: null, source: 'bot' }, 2000).request).toMatchObject({ source: 'bot' });
      // A leave whose join has not arrived waits for it.
      expect(store.live.leave(chat, { userId: 9n, date: 1995, how: 'left', source: 'bot' }, 2000).outcome).toBe('no-stay');
      store.live.join(chat, { userId: 9n, date: 1992, link: null, source: 'bot' }, 2001);
      expect(store.joins.ofUser(chat, 9n)).toMatchObject([{ date: 1992, leftAt: 1995, leftHow: 'left' }]);
    } finally {
      store.close();
    }
  });
});
