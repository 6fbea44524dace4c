import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { World } from '../../src/sandbox/world.js';
import { openStore } from '../../src/store/index.js';
import { baseScenario } from './sandbox-mtproto-fixture.js';
import { CHAT, startSyncWorld, type SyncWorld } from './sync-harness.js';

const LINK = 'https://t.me/+Resume000001';
const N = 3000;
let w: SyncWorld | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

function bigLinkWorld(): World {
  const users = Array.from({ length: N }, (_, k) => ({ id: 9_000_000 + k, first_name: `U${k}` }));
  return World.fromScenario({
    ...baseScenario(),
    users,
    chats: [{
      id: 1700000001, type: 'supergroup', title: 'Resume', owner_id: 7000001, admins: [7000001],
      links: [{ link: LINK, admin_id: 7000001, date: 1767000000 }],
      joins: users.map((u, k) => ({ user_id: u.id, link: LINK, date: 1767100000 + Math.floor(k / 3) })),
    }],
  });
}

describe('an interrupted backfill', () => {
  it('`sync --once` killed mid-backfill resumes from its cursor, not from the top', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'jw-resume-')), 'joinwatch.db');
    w = await startSyncWorld(bigLinkWorld(), { dbPath: db });
    w.sb.setFaults({ delayMs: 40 }); // slow pages, so the kill lands mid-walk
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'sync', '--once'], {
      env: { ...process.env, ...w.sb.env(), DATABASE_PATH: db, WATCH_CHATS: String(CHAT), LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const reader = openStore(db);
    try {
      const deadline = Date.now() + 30_000;
      while ((reader.links.get(CHAT, LINK) ? reader.joins.countByLink(CHAT, LINK) : 0) < 700 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const stored = reader.joins.countByLink(CHAT, LINK);
      const state = reader.links.get(CHAT, LINK)!;
      expect(stored).toBeGreaterThanOrEqual(700);
      expect(stored).toBeLessThan(N);
      expect(state.backfillDone).toBe(false);
      expect(reader.walks.get(CHAT, LINK, 'news')?.cursor).not.toBeNull(); // the cursor was persisted with the last page

      w.sb.setFaults({ delayMs: 0 });
      w.calls();
      const report = await w.cycle();
      expect(report.chats[0]!.outcome).toBe('ok');
      expect(w.store.joins.countByLink(CHAT, LINK)).toBe(N);
      // Only the pages after the cursor (stored rows are whole pages: page and cursor commit together),
      // plus the one pending page.
      expect(w.calls()['messages.getChatInviteImporters']).toBe((N - stored) / 100 + 1);
    } finally {
      reader.close();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
