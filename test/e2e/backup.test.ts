/**
 * `joinwatch backup FILE` as an operator runs it: a separate process copying the database while
 * the sync keeps writing to it. The copy must open, pass integrity_check and hold every row that
 * was committed before the backup started.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { generateWorld } from '../../src/sandbox/generate-scenario.js';
import { CHAT, rows, startSyncWorld, type SyncWorld } from './sync-harness.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/joinwatch.js', import.meta.url).pathname;
let w: SyncWorld | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

const keysOf = (list: Record<string, unknown>[]) => new Set(list.map((r) => `${String(r.a)}:${String(r.b)}`));
const JOIN_KEYS = 'SELECT user_id AS a, link_id AS b FROM joins';

describe('joinwatch backup', () => {
  it('copies the database during a running sync: the copy is intact and holds every row committed before it began', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jw-backup-'));
    const dbPath = join(dir, 'joinwatch.db');
    w = await startSyncWorld(generateWorld({ seed: 12, chats: 1, linksPerChat: 8, joins: 40_000, pending: 600 }), { dbPath });
    w.sb.setFaults({ delayMs: 25 }); // slow pages: the sync is still writing when the backup runs
    let syncDone = false;
    const cycle = w.cycle().finally(() => (syncDone = true));
    while (Number(rows(w.store, 'SELECT count(*) AS n FROM joins')[0]?.n) < 2_000) await new Promise((r) => setTimeout(r, 50));

    const joinsBefore = keysOf(rows(w.store, JOIN_KEYS));
    const requestsBefore = keysOf(rows(w.store, 'SELECT id AS a, 0 AS b FROM join_requests'));
    const target = join(dir, 'backups', 'nightly.db');
    await run('mkdir', ['-p', join(dir, 'backups')]);
    const { stdout } = await run(process.execPath, [BIN, 'backup', target], { env: { PATH: process.env.PATH ?? '', DATABASE_PATH: dbPath }, timeout: 60_000 });
    const joinsAfterBackup = Number(rows(w.store, 'SELECT count(*) AS n FROM joins')[0]?.n);
    expect(syncDone, 'the sync was still running when the backup ended').toBe(false);
    expect(joinsAfterBackup).toBeGreaterThan(joinsBefore.size);
    await w.engine.stop();
    await cycle;

    expect(statSync(target).mode & 0o777).toBe(0o600);
    const copy = new Database(target, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.pragma('foreign_key_check')).toEqual([]);
      const copiedJoins = keysOf(copy.prepare(JOIN_KEYS).all() as Record<string, unknown>[]);
      const copiedRequests = keysOf(copy.prepare('SELECT id AS a, 0 AS b FROM join_requests').all() as Record<string, unknown>[]);
      expect([...joinsBefore].filter((k) => !copiedJoins.has(k))).toEqual([]);
      expect([...requestsBefore].filter((k) => !copiedRequests.has(k))).toEqual([]);
      // The copy is one consistent moment: each stored link counter matches the joins it counts.
      const counters = copy.prepare('SELECT l.id, l.joins_stored AS counted, (SELECT count(*) FROM joins j WHERE j.link_id = l.id) AS actual FROM invite_links l').all() as Record<string, unknown>[];
      for (const c of counters) expect(c.counted, `link ${String(c.id)}`).toBe(c.actual);
      // What it printed is what it wrote.
      expect(stdout).toContain(`to ${target}:`);
      expect(stdout).toContain(`${copiedJoins.size.toLocaleString('en')} joins`);
      expect(stdout).toMatch(/\d+(\.\d)? (kB|MB) in \d+\.\d s \(quick_check ok\)/);
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    } finally {
      copy.close();
    }
  });
});
