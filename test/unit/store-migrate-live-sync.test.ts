/**
 * The live-sync migration upgrades a database made by the previous migration set in place, losing
 * nothing: chats, links, stays and requests are kept, and every chat starts with no admin-log
 * cursor (its next cycle is the full reconcile, which finds where the log stands). "The previous
 * set" is every migration file that sorts before this one, whatever number the integrator gives it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open.js';
import { migrationsBefore } from './migration-sets.js';

const MINE = /_live_sync\.sql$/;
const CHAT = -1001700000001n;
const A = 'https://t.me/+LinkAAAA01';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-migrate-live-sync-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function previousSet(): string {
  return migrationsBefore(dir, MINE);
}

describe('migration: live sync', () => {
  it('keeps every row of the previous version and adds per-chat live state, empty', () => {
    const file = path.join(dir, 'j.db');
    // Filled through plain SQL of that schema (the store's repositories are the new version's).
    const before = openDatabase(file);
    migrate(before, previousSet());
    before.exec(`
      INSERT INTO chats (id, title, type, is_owner, first_seen, last_seen) VALUES (${CHAT}, 'Chat', 'supergroup', 1, 1, 1);
      INSERT INTO users (id, access_hash, first_name, first_seen, last_seen) VALUES (1, 11, 'One', 1, 1);
      INSERT INTO invite_links (id, chat_id, link, admin_id, date, usage, title, first_seen, last_seen) VALUES (1, ${CHAT}, '${A}', 7, 1, 1, 'A', 1, 1);
      INSERT INTO joins (user_id, chat_id, date, link_id, first_seen) VALUES (1, ${CHAT}, 100, 1, 2);
      INSERT INTO join_requests (chat_id, user_id, link, date, status, first_seen) VALUES (${CHAT}, 1, '${A}', 50, 'pending', 3);
    `);
    const counts = (db: import('better-sqlite3').Database) =>
      ['chats', 'users', 'invite_links', 'joins', 'join_requests'].map((t) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: bigint }).n);
    const was = counts(before);
    before.close();

    const after = openStore(file);
    try {
      expect(counts(after.db)).toEqual(was);
      expect(after.links.get(CHAT, A)?.title).toBe('A');
      expect(after.chatLive.get(CHAT)).toBeUndefined();
      after.chatLive.markDirty(CHAT, 10);
      expect(after.chatLive.get(CHAT)).toMatchObject({ dirtyAt: 10, logEventId: null, reconciledAt: null, reconcileDue: false });
      expect(after.chatLive.dirty(11)).toEqual([CHAT]);
    } finally {
      after.close();
    }
  });
});
