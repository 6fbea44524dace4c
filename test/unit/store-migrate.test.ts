import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { DEFAULT_MIGRATIONS_DIR, loadMigrations, migrate, schemaVersion } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-store-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function migrationsDir(files: Record<string, string>): string {
  const d = fs.mkdtempSync(path.join(dir, 'mig-'));
  for (const [name, sql] of Object.entries(files)) fs.writeFileSync(path.join(d, name), sql);
  return d;
}

function tables(db: Database.Database): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
}

describe('migrations', () => {
  it('bring an empty database to the newest version', () => {
    const newest = loadMigrations(DEFAULT_MIGRATIONS_DIR).length;
    expect(newest).toBeGreaterThanOrEqual(1);
    const store = openStore(path.join(dir, 'a.db'));
    expect(schemaVersion(store.db)).toBe(newest);
    expect(tables(store.db)).toEqual(
      expect.arrayContaining(['chats', 'users', 'user_history', 'invite_links', 'joins', 'join_requests',
        'join_request_history', 'chat_notes', 'sync_runs', 'outbox', 'requests_fts']),
    );
    store.close();
    // Re-opening applies nothing.
    const db = openDatabase(path.join(dir, 'a.db'));
    expect(migrate(db).applied).toEqual([]);
    db.close();
  });

  it('continue a half-migrated database from where it stopped', () => {
    const file = path.join(dir, 'half.db');
    const one = { '001_a.sql': 'CREATE TABLE a (x INTEGER);' };
    const db = openDatabase(file);
    expect(migrate(db, migrationsDir(one))).toEqual({ from: 0, to: 1, applied: ['001_a.sql'] });
    db.prepare('INSERT INTO a VALUES (7)').run();
    const two = { ...one, '002_b.sql': 'CREATE TABLE b (y INTEGER); ALTER TABLE a ADD COLUMN z TEXT;' };
    expect(migrate(db, migrationsDir(two))).toEqual({ from: 1, to: 2, applied: ['002_b.sql'] });
    expect(tables(db)).toEqual(['a', 'b']);
    expect(db.prepare('SELECT count(*) FROM a').pluck().get()).toBe(1n);
    db.close();
  });

  it('roll a broken file back whole, naming it, and stay at the previous version', () => {
    const db = openDatabase(path.join(dir, 'broken.db'));
    migrate(db, migrationsDir({ '001_a.sql': 'CREATE TABLE a (x);' }));
    const broken = migrationsDir({
      '001_a.sql': 'CREATE TABLE a (x);',
      '002_oops.sql': 'CREATE TABLE b (y); INSERT INTO a VALUES (1); THIS IS NOT SQL;',
    });
    expect(() => migrate(db, broken)).toThrow(/002_oops\.sql/);
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['a']);
    expect(db.prepare('SELECT count(*) FROM a').pluck().get()).toBe(0n);
    db.close();
  });

  it('refuse a database newer than the code', () => {
    const file = path.join(dir, 'future.db');
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openStore(file)).toThrow(/version 999 is newer/);
  });

  it('reject badly named or gapped migration files', () => {
    expect(() => loadMigrations(migrationsDir({ '1_a.sql': '' }))).toThrow(/NNN_name/);
    expect(() => loadMigrations(migrationsDir({ '001_a.sql': '', '003_c.sql': '' }))).toThrow(/expected 2/);
  });
});

/** A child process running store-migrate-child.ts; resolves `opened` once it has its connection. */
function migrator(file: string, migrations: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, migrations], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let markOpened = () => {};
  const opened = new Promise<void>((resolve) => (markOpened = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    if (out.includes('opened\n')) markOpened();
  });
  const done = new Promise<{ code: number | null; out: string }>((resolve) => child.on('close', (code) => resolve({ code, out })));
  return { opened, done };
}
const CHILD = new URL('./store-migrate-child.ts', import.meta.url).pathname;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('two processes opening a new database at once (start --no-bot and --no-sync)', () => {
  it('migrate it once: the second waits for the first and applies nothing', async () => {
    const file = path.join(dir, 'shared.db');
    const go = path.join(dir, 'go');
    // The first process holds the write lock inside its migration until the test says go.
    const migrations = migrationsDir({
      '001_a.sql': `CREATE TABLE a (x INTEGER); SELECT jw_wait_for('${go}');`,
      '002_b.sql': 'CREATE TABLE b (y INTEGER);',
    });
    const first = migrator(file, migrations);
    await first.opened;
    await sleep(300); // the first is now inside 001, holding the lock
    const second = migrator(file, migrations);
    await second.opened;
    await sleep(300); // the second has read the version and waits for the lock
    fs.writeFileSync(go, '');
    const [a, b] = await Promise.all([first.done, second.done]);
    expect(a.out).toContain('"applied":["001_a.sql","002_b.sql"]');
    expect(b.out).not.toContain('failed');
    expect(b.code).toBe(0);
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(2);
    expect(tables(db)).toEqual(['a', 'b']);
    db.close();
  }, 30_000);
});

describe('opening the file', () => {
  it('creates it 0600 (and its WAL sidecar), in WAL mode with foreign keys and a busy timeout', () => {
    const file = path.join(dir, 'sub', 'jw.db');
    const store = openStore(file);
    store.chats.upsert({ id: -1001n, title: 't', type: 'channel', isOwner: false });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1n);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000n);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1n); // NORMAL
    store.close();
  });

  it('narrows an existing world-readable file to 0600', () => {
    const file = path.join(dir, 'open.db');
    fs.writeFileSync(file, '');
    fs.chmodSync(file, 0o644);
    openStore(file).close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});
