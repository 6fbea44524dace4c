/**
 * The churn migration upgrades a database made by the previous migration set in place, losing
 * nothing: every join becomes a stay (a person found on several links of a chat is a member
 * through the newest), an interrupted backfill resumes from its cursor, request origins are kept,
 * flood deferrals give way to account-wide holds. "The previous set" is every migration file but
 * this one, whatever number the integrator gives it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open.js';
import { migrationsBefore } from './migration-sets.js';

const MINE = /_churn\.sql$/;
const CHAT = -1001700000001n;
const A = 'https://t.me/+LinkAAAA01';
const B = 'https://t.me/+LinkBBBB02';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-migrate-churn-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const previousSet = (): string => migrationsBefore(dir, MINE);

/** A database as the previous version left it, filled through plain SQL of that schema. */
function previousDatabase(file: string): void {
  const db = openDatabase(file);
  migrate(db, previousSet());
  db.exec(`
    INSERT INTO chats (id, title, type, is_owner, first_seen, last_seen) VALUES (${CHAT}, 'Chat', 'supergroup', 1, 1, 1);
    INSERT INTO users (id, access_hash, first_name, first_seen, last_seen) VALUES
      (1, 11, 'One', 1, 1), (2, 22, 'Two', 1, 1), (3, 33, 'Three', 1, 1), (4, 44, 'Four', 1, 1);
    INSERT INTO invite_links (id, chat_id, link, admin_id, date, usage, first_seen, last_seen, synced_usage,
        hwm_date, hwm_user_id, backfill_done, joins_stored, last_join_date)
      VALUES (1, ${CHAT}, '${A}', 7, 1, 3, 1, 1, 3, 300, 3, 1, 3, 300);
    INSERT INTO invite_links (id, chat_id, link, admin_id, date, usage, first_seen, last_seen,
        hwm_date, hwm_user_id, backfill_date, backfill_user_id, backfill_done, deferred_until, deferred_reason, joins_stored)
      VALUES (2, ${CHAT}, '${B}', 7, 2, 500, 1, 1, 900, 4, 800, 1, 0, 5000, 'FLOOD_WAIT_600', 2);
    INSERT INTO joins (link_id, user_id, date, approved_by, via_chatlist, first_seen) VALUES
      (1, 1, 100, NULL, 0, 10), (1, 2, 200, 7, 0, 10), (1, 3, 300, NULL, 1, 10),
      (2, 1, 900, NULL, 0, 20), (2, 4, 850, NULL, 0, 20);
    INSERT INTO join_requests (chat_id, user_id, link, date, about, status, first_seen) VALUES
      (${CHAT}, 2, '${A}', 400, 'hi', 'pending', 30), (${CHAT}, 3, NULL, 410, NULL, 'gone', 30);
  `);
  db.close();
}

describe('migration: churn', () => {
  it('upgrades a database made by the previous migration set in place, losing nothing', () => {
    const file = path.join(dir, 'jw.db');
    previousDatabase(file);
    const store = openStore(file);
    try {
      const all = store.db.prepare('SELECT user_id, date, link_id, approved_by, via_chatlist, left_at, left_how FROM joins ORDER BY user_id, date').raw().all();
      expect(all).toEqual([
        // Person 1 was on both links: a member through the newer stay only, the older one ended when it began.
        [1n, 100n, 1n, null, 0n, 900n, 'unseen'],
        [1n, 900n, 2n, null, 0n, null, null],
        [2n, 200n, 1n, 7n, 0n, null, null],
        [3n, 300n, 1n, null, 1n, null, null],
        [4n, 850n, 2n, null, 0n, null, null],
      ]);
      expect(store.links.get(CHAT, A)).toMatchObject({ joinsStored: 3, membersStored: 2, hwm: { date: 300, userId: 3n }, backfillDone: true, rawLink: null });
      // The interrupted backfill of B: its cursor and top move into a resumable walk; its mark waits for the walk's end.
      expect(store.links.get(CHAT, B)).toMatchObject({ joinsStored: 2, membersStored: 2, hwm: null, backfillDone: false });
      expect(store.walks.get(CHAT, B, 'news')).toMatchObject({ top: { date: 900, userId: 4n }, floor: null, cursor: { date: 800, userId: 1n, accessHash: null }, seen: 0, total: null });
      expect(store.requests.pendingOf(CHAT, 2n)).toMatchObject({ link: A, via: 'link', about: 'hi' });
      expect(store.whois(3n, [CHAT]).requests[0]).toMatchObject({ link: null, via: 'username', status: 'gone' });
      expect(store.syncState.holds(0)).toEqual([]);
      // The export keeps every join, with the new columns.
      expect([...store.exports.joinsOfLink(CHAT, A)].map((r) => [r.userId, r.leftAt, r.leftHow])).toEqual([
        [3n, null, null], [2n, null, null], [1n, 900, 'unseen'],
      ]);
    } finally {
      store.close();
    }
  });
});
