import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { formatBackup } from '../../src/backup/cli.js';
import { openStore, type Store } from '../../src/store/index.js';
import { CHAT, LINK, user } from './store-fixtures.js';

let store: Store | undefined;
afterEach(() => store?.close());

function fileStore(): { dir: string; store: Store } {
  const dir = mkdtempSync(join(tmpdir(), 'jw-backup-unit-'));
  const s = openStore(join(dir, 'joinwatch.db'));
  s.chats.upsert({ id: CHAT, title: 'Test chat', type: 'supergroup', isOwner: true }, 1000);
  s.links.upsert(CHAT, { link: LINK, adminId: 42n, date: 1000, usage: 0 }, 1000);
  s.users.upsertMany([user(1n), user(2n), user(3n)], 1000);
  s.joins.insertMany(CHAT, LINK, [{ userId: 1n, date: 1001 }, { userId: 2n, date: 1002 }], 1003);
  s.requests.upsertPending(CHAT, [{ userId: 3n, date: 1004 }], 1004);
  s.outbox.add('test.event', CHAT, { n: 1 }, 1005);
  store = s;
  return { dir, store: s };
}

describe('store.backup', () => {
  it('writes a 0600, self-contained, checked copy with its row counts, and no leftovers', async () => {
    const { dir, store: s } = fileStore();
    const result = await s.backup(join(dir, 'copy.db'));
    expect(result.check).toBe('ok');
    expect(result.rows).toMatchObject({ chats: 1, inviteLinks: 1, users: 3, joins: 2, joinRequests: 1, pendingRequests: 1, notifications: 1, undeliveredNotifications: 1 });
    expect(result.bytes).toBe(statSync(join(dir, 'copy.db')).size);
    expect(statSync(join(dir, 'copy.db')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((f) => f.includes('copy') && f !== 'copy.db')).toEqual([]);
    const copy = new Database(join(dir, 'copy.db'), { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(copy.prepare('SELECT count(*) FROM joins').pluck().get()).toBe(2);
    copy.close();
  });

  it('replaces an existing backup only with a complete new one, and narrows it to 0600', async () => {
    const { dir, store: s } = fileStore();
    const target = join(dir, 'nightly.db');
    writeFileSync(target, 'yesterday', { mode: 0o644 });
    await s.backup(target);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('SELECT count(*) FROM users').pluck().get()).toBe(3);
    copy.close();
  });

  it('refuses the database itself, a missing folder and a folder as target, leaving the target untouched', async () => {
    const { dir, store: s } = fileStore();
    await expect(s.backup(join(dir, 'joinwatch.db'))).rejects.toThrow(/is the database itself/);
    await expect(s.backup(join(dir, 'joinwatch.db-wal'))).rejects.toThrow(/is the database itself/);
    await expect(s.backup(join(dir, 'nope', 'copy.db'))).rejects.toThrow(/folder .*nope does not exist/);
    mkdirSync(join(dir, 'a-folder'));
    await expect(s.backup(join(dir, 'a-folder'))).rejects.toThrow(/is a folder/);
    expect(existsSync(join(dir, 'nope'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('prints where the copy went, its size, the time and what it holds', () => {
    const text = formatBackup('./data/joinwatch.db', {
      file: '/backups/jw.db', bytes: 5 * 1024 * 1024, seconds: 1.234, check: 'ok',
      rows: { chats: 1, users: 1200, inviteLinks: 36, joins: 1_000_000, joinRequests: 20_500, pendingRequests: 20_000, syncRuns: 7, notifications: 3, undeliveredNotifications: 0 },
    });
    expect(text).toBe(
      'Backed up ./data/joinwatch.db to /backups/jw.db: 5.0 MB in 1.2 s (quick_check ok)\n' +
        '  1,000,000 joins, 20,500 join requests (20,000 pending), 1,200 users, 36 invite links, 1 chat, 7 sync runs, 3 notifications (0 undelivered)\n',
    );
  });
});
