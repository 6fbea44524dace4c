/**
 * "The previous migration set" for upgrade tests: the migration files that sort before the one a
 * test is about (matched by its name, never its number: the integrator may renumber it), copied
 * into `<dir>/previous`. Later migrations are left out too: they may need this one applied first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_MIGRATIONS_DIR } from '../../src/store/migrate.js';

export function migrationsBefore(dir: string, mine: RegExp): string {
  const d = path.join(dir, 'previous');
  fs.mkdirSync(d);
  const files = fs.readdirSync(DEFAULT_MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();
  const at = files.findIndex((f) => mine.test(f));
  if (at < 0) throw new Error(`no migration file matches ${mine}`);
  for (const f of files.slice(0, at)) fs.copyFileSync(path.join(DEFAULT_MIGRATIONS_DIR, f), path.join(d, f));
  return d;
}
