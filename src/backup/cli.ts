/**
 * `joinwatch backup FILE`: an online copy of DATABASE_PATH, safe while `joinwatch start` keeps
 * syncing and answering in another process. Prints where it went, its size, the time it took and
 * what it holds, so a nightly job's log says at a glance whether the backup is plausible.
 */
import fs from 'node:fs';
import { UserFacingError } from '../cli/run-command.js';
import { loadConfig } from '../config.js';
import { BackupTargetError, openStore, type BackupResult } from '../store/index.js';

export async function runBackup(file: string, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { DATABASE_PATH } = loadConfig(['store']);
  // openStore would create an empty database: a backup of nothing is a mistake worth saying so.
  if (!fs.existsSync(DATABASE_PATH)) throw new UserFacingError(`no database at ${DATABASE_PATH} (DATABASE_PATH): nothing to back up`);
  const store = openStore(DATABASE_PATH);
  try {
    const result = await store.backup(file).catch((error: unknown) => {
      throw new UserFacingError(`cannot back up to ${file}: ${error instanceof BackupTargetError ? error.message : describe(error)}`);
    });
    out.write(formatBackup(DATABASE_PATH, result));
    return 0;
  } finally {
    store.close();
  }
}

export function formatBackup(source: string, r: BackupResult): string {
  const n = (x: number, noun: string) => `${x.toLocaleString('en')} ${noun}${x === 1 ? '' : 's'}`;
  const c = r.rows;
  return [
    `Backed up ${source} to ${r.file}: ${formatBytes(r.bytes)} in ${r.seconds.toFixed(1)} s (quick_check ${r.check})`,
    `  ${n(c.joins, 'join')}, ${n(c.joinRequests, 'join request')} (${c.pendingRequests.toLocaleString('en')} pending), ${n(c.users, 'user')}, ` +
      `${n(c.inviteLinks, 'invite link')}, ${n(c.chats, 'chat')}, ${n(c.syncRuns, 'sync run')}, ` +
      `${n(c.notifications, 'notification')} (${c.undeliveredNotifications.toLocaleString('en')} undelivered)`,
    '',
  ].join('\n');
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && code.startsWith('E') ? `${code}: ${message.replace(/^\w+: /, '')}` : message;
}
