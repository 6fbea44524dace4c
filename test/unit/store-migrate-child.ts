/**
 * One process of the concurrent-migration test (store-migrate.test.ts): opens the database, says
 * "opened" on stdout, migrates, prints the result. Migrations may call jw_wait_for(file), which
 * blocks (holding the write lock) until the test creates that file.
 */
import fs from 'node:fs';
import { migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open.js';

const [file, dir] = process.argv.slice(2) as [string, string];
const db = openDatabase(file);
const nap = new Int32Array(new SharedArrayBuffer(4));
db.function('jw_wait_for', (path: unknown) => {
  for (let i = 0; i < 500 && !fs.existsSync(String(path)); i++) Atomics.wait(nap, 0, 0, 20);
  return 1;
});
process.stdout.write('opened\n');
try {
  process.stdout.write(`${JSON.stringify(migrate(db, dir))}\n`);
} catch (error) {
  process.stdout.write(`failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  db.close();
}
