/**
 * An online, consistent copy of the database through SQLite's backup API (better-sqlite3's
 * `db.backup`), safe while the sync and the bot keep writing, from this or another process.
 *
 * All pages are copied in one backup step: the step holds one read transaction, so the copy is
 * the database as of the moment it began (a snapshot), and in WAL mode writers go on meanwhile.
 * Copying in small steps instead would restart the copy from scratch each time another
 * connection commits, which a busy sync does every few milliseconds.
 *
 * The copy is written beside the target under a temporary name, created 0600 (it holds who asked
 * to join which chat), checked, turned into a single self-contained file (rollback journal, no
 * -wal to carry along), and only then renamed over the target: a failed backup never destroys
 * the previous one.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { createVitalsRepo, type TableCounts } from './vitals.js';

const PRIVATE_FILE_MODE = 0o600;
/** better-sqlite3's progress callback returns the pages of the next step: all of them. */
const ALL_PAGES = 0x7fffffff;

export interface BackupResult {
  file: string;
  bytes: number;
  seconds: number;
  /** SQLite's quick_check of the copy: 'ok', or its first complaint. */
  check: string;
  rows: TableCounts;
}

export class BackupTargetError extends Error {
  override name = 'BackupTargetError';
}

export async function backupDatabase(db: Db, target: string): Promise<BackupResult> {
  const file = path.resolve(target);
  refuseOwnFiles(db, file);
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) throw new BackupTargetError(`the folder ${dir} does not exist`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new BackupTargetError(`${file} is a folder: name the backup file`);
  const partial = path.join(dir, `.${path.basename(file)}.partial-${process.pid}`);
  const started = performance.now();
  createPrivate(partial);
  try {
    await db.backup(partial, { progress: () => ALL_PAGES });
    const { check, rows } = inspectCopy(partial);
    if (check !== 'ok') throw new Error(`the copy failed SQLite's check: ${check}`);
    fs.renameSync(partial, file);
    return { file, bytes: fs.statSync(file).size, seconds: (performance.now() - started) / 1000, check, rows };
  } finally {
    for (const leftover of [partial, `${partial}-journal`, `${partial}-wal`, `${partial}-shm`]) fs.rmSync(leftover, { force: true });
  }
}

function refuseOwnFiles(db: Db, file: string): void {
  const source = path.resolve(db.name);
  if ([source, `${source}-wal`, `${source}-shm`].includes(file)) throw new BackupTargetError(`${file} is the database itself: back it up to another file`);
}

function createPrivate(file: string): void {
  const fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, PRIVATE_FILE_MODE);
  fs.closeSync(fd);
}

/** Opens the copy once: one file (journal mode DELETE), quick_check, row counts. */
function inspectCopy(file: string): { check: string; rows: TableCounts } {
  const copy = new Database(file);
  try {
    copy.defaultSafeIntegers(true);
    copy.pragma('journal_mode = DELETE');
    const check = String(copy.pragma('quick_check', { simple: true }));
    return { check, rows: createVitalsRepo(copy).tableCounts() };
  } finally {
    copy.close();
  }
}
