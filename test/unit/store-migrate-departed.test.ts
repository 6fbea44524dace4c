/**
 * The departed-admin migration upgrades a database made by the previous migration set in place,
 * losing nothing: every link, stay and request is kept, and no link starts out marked. "The previous
 * set" is every migration file but this one, whatever number the integrator gives it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open.js';
import { migrationsBefore } from './migration-sets.js';

const MINE = /_departed\.sql$/;
const CHAT = -1001700000001n;
const A = 'https://t.me/+LinkAAAA01';
const B = 'https://t.me/+LinkBBBB02';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-migrate-departed-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const previousSet = (): string => migrationsBefore(dir, MINE);

const dump = (db: { prepare(sql: string): { raw(): { all(): unknown[] } } }, table: string, order: string) =>
  db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).raw().all();

describe('migration: departed admins', () => {
  it('upgrades a database made by the previous migration set in place, losing nothing', () => {
    const file = path.join(dir, 'jw.db');
    const db = openDatabase(file);
    migrate(db, previousSet());
    db.exec(`
      INSERT INTO chats (id, title, type, is_owner, first_seen, last_seen) VALUES (${CHAT}, 'Chat', 'supergroup', 1, 1, 1);
      INSERT INTO users (id, access_hash, first_name, first_seen, last_seen) VALUES (1, 11, 'One', 1, 1), (2, 22, 'Two', 1, 1), (3, 33, 'Three', 1, 1);
      INSERT INTO invite_links (id, chat_id, link, admin_id, date, usage, first_seen, last_seen, revoked, revoked_at, joins_stored, members_stored)
        VALUES (1, ${CHAT}, '${A}', 7, 1, 2, 1, 1, 0, NULL, 2, 1), (2, ${CHAT}, '${B}', 8, 2, 0, 1, 1, 1, 50, 0, 0);
      INSERT INTO joins (user_id, chat_id, date, link_id, approved_by, via_chatlist, first_seen, left_at, left_how) VALUES
        (1, ${CHAT}, 100, 1, NULL, 0, 10, NULL, NULL), (2, ${CHAT}, 200, 1, 7, 0, 10, 300, 'left');
      INSERT INTO join_requests (chat_id, user_id, link, date, about, status, first_seen, via) VALUES
        (${CHAT}, 3, '${B}', 400, 'hi', 'pending', 30, 'link');
    `);
    const before = {
      links: dump(db, 'invite_links', 'id'),
      joins: dump(db, 'joins', 'user_id, date'),
      requests: dump(db, 'join_requests', 'id'),
    };
    db.close();

    const store = openStore(file);
    try {
      // Every old column keeps its value; the new one is appended, empty.
      const links = dump(store.db, 'invite_links', 'id') as unknown[][];
      expect(links.map((r) => r.slice(0, -1))).toEqual(before.links);
      expect(links.map((r) => r.at(-1))).toEqual([null, null]);
      expect(dump(store.db, 'joins', 'user_id, date')).toEqual(before.joins);
      // Later migrations may append columns of their own (live_bot: join_requests.source): the old ones keep their values.
      const width = (before.requests as unknown[][])[0]!.length;
      expect((dump(store.db, 'join_requests', 'id') as unknown[][]).map((r) => r.slice(0, width))).toEqual(before.requests);
      expect(store.links.get(CHAT, A)).toMatchObject({ adminDepartedAt: null, revoked: false, goneAt: null, joinsStored: 2 });
      expect(store.links.get(CHAT, B)).toMatchObject({ adminDepartedAt: null, revoked: true, revokedAt: 50 });
      // The upgraded database takes the mark, which leaves the link's other state alone.
      store.links.setAdminDeparted(CHAT, A, true, 500);
      store.links.setAdminDeparted(CHAT, A, true, 600);
      expect(store.links.get(CHAT, A)).toMatchObject({ adminDepartedAt: 500, goneAt: null, revoked: false });
      store.links.setAdminDeparted(CHAT, A, false);
      expect(store.links.get(CHAT, A)?.adminDepartedAt).toBeNull();
    } finally {
      store.close();
    }
  });
});
