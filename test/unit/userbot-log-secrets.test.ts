import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { openUserbot } from '../../src/telegram/userbot.js';

it('a session read from TELEGRAM_SESSION_FILE is scrubbed from the log like one from the environment', async () => {
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) });
  const logger = createLogger({ destination });
  const session = 'not-a-real-session-string-but-secret';
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jw-session-')), 'session');
  fs.writeFileSync(file, `${session}\n`, { mode: 0o600 });
  // The string is no valid GramJS session, so opening stops before any network: the session was read.
  await expect(
    openUserbot({ TELEGRAM_API_ID: 1, TELEGRAM_API_HASH: '0123456789abcdef0123456789abcdef', TELEGRAM_SESSION: undefined, TELEGRAM_SESSION_FILE: file }, logger),
  ).rejects.toThrow();
  logger.child({ component: 'gramjs' }).warn(`reconnecting with ${session}`);
  expect(lines.join('')).toContain('reconnecting with [redacted]');
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});
