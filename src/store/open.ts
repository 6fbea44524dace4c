import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';

/** How long a writer waits for another process's lock before SQLITE_BUSY (bot and sync may share the file). */
const BUSY_TIMEOUT_MS = 5_000;
const PRIVATE_FILE_MODE = 0o600;

/**
 * Opens (creating when missing) the SQLite file with the pragmas joinwatch relies on.
 * The file is created 0600 by us *before* SQLite sees it: the store holds who asked to join which
 * chat, and SQLite gives its -wal/-shm files the main file's mode, so they inherit the privacy.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') createPrivate(file);
  const db = new Database(file);
  try {
    // WAL lets the bot read while the sync writes, also from a second process.
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('synchronous = NORMAL'); // durable at each checkpoint; safe with WAL
    // 32 MiB page cache (default 2 MiB): joins and users are written at random key positions, and
    // a million-row store's index pages would otherwise be re-read from the OS on every page write.
    db.pragma('cache_size = -32768');
    // Checkpoint every ~80 MB of WAL instead of ~4 MB: a page of 100 joiners dirties a few hundred
    // random B-tree pages (users, joins), and a page rewritten by several commits is then copied
    // into the file once, not each time: about 40 % off the backfill's page write (measured by
    // bench/store-write.ts: 2.7x -> 1.9x a bare insert). The WAL file stays around that size.
    db.pragma('wal_autocheckpoint = 20000');
    // Every integer comes back as bigint; row mappers narrow non-id columns to number.
    db.defaultSafeIntegers(true);
    if (file !== ':memory:') tightenSidecars(file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function createPrivate(file: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  const fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_RDWR, PRIVATE_FILE_MODE);
  try {
    // An existing file keeps its mode on open: narrow it too (best effort, e.g. not our file).
    fs.fchmodSync(fd, PRIVATE_FILE_MODE);
  } catch {
    // Not the owner: SQLite will still work; the doctor command can report the mode.
  } finally {
    fs.closeSync(fd);
  }
}

function tightenSidecars(file: string): void {
  for (const suffix of ['-wal', '-shm']) {
    try {
      fs.chmodSync(file + suffix, PRIVATE_FILE_MODE);
    } catch {
      // Missing (not created yet) or not ours: nothing to narrow.
    }
  }
}
