import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database as Db } from 'better-sqlite3';

/** migrations/ at the repository root, found from this file in src/store/ (tsx and tests alike). */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

const FILE_PATTERN = /^(\d{3})_[\w-]+\.sql$/;

export interface Migration {
  version: number;
  file: string;
  sql: string;
}

export interface MigrationResult {
  from: number;
  to: number;
  applied: string[];
}

/** Reads NNN_name.sql files; versions must run 1, 2, 3… without gaps or duplicates. */
export function loadMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Migration[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_PATTERN.exec(file);
    if (!match?.[1]) throw new Error(`migration file ${file} is not named NNN_name.sql`);
    const version = Number(match[1]);
    if (version !== migrations.length + 1) {
      throw new Error(`migration ${file} has version ${version}, expected ${migrations.length + 1}`);
    }
    migrations.push({ version, file, sql: fs.readFileSync(path.join(dir, file), 'utf8') });
  }
  return migrations;
}

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/**
 * Brings the database to the newest migration. Each file runs in its own transaction together with
 * the PRAGMA user_version bump, so a failing file leaves the database exactly at the previous version.
 * Safe when two processes migrate the same file at once: the second waits and applies nothing.
 */
export function migrate(db: Db, dir: string = DEFAULT_MIGRATIONS_DIR): MigrationResult {
  const migrations = loadMigrations(dir);
  const from = schemaVersion(db);
  const newest = migrations.length;
  if (from > newest) {
    throw new Error(
      `database schema version ${from} is newer than this joinwatch knows (${newest}); ` +
        'upgrade joinwatch or use another DATABASE_PATH',
    );
  }
  const applied: string[] = [];
  for (const migration of migrations.slice(from)) {
    if (apply(db, migration)) applied.push(migration.file);
  }
  return { from, to: schemaVersion(db), applied };
}

/** Applies one file unless another process did meanwhile; true when this call applied it. */
function apply(db: Db, migration: Migration): boolean {
  const run = db.transaction((): boolean => {
    // The bot and the sync may open a new database at the same moment: the version read before
    // is stale once we hold the write lock (IMMEDIATE below), so look again under the lock.
    if (schemaVersion(db) >= migration.version) return false;
    db.exec(migration.sql);
    // Integer from our own file name, never user input: safe to inline (PRAGMA takes no parameters).
    db.pragma(`user_version = ${migration.version}`);
    return true;
  });
  try {
    return run.immediate();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${migration.file} failed and was rolled back: ${reason}`, { cause: error });
  }
}
