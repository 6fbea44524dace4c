/**
 * Where the userbot's session string lives: TELEGRAM_SESSION, or the file TELEGRAM_SESSION_FILE
 * (written 0600 by `joinwatch login`). The session is a password: it is never logged or printed
 * unless the user asks (`login --print`).
 */
import { chmod, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { StringSession } from 'telegram/sessions/index.js';

export class SessionMissingError extends Error {
  constructor(where: string) {
    super(`no Telegram session ${where}: run \`joinwatch login\` first`);
    this.name = 'SessionMissingError';
  }
}

/** The session string cannot be decoded (mistyped, truncated, not a GramJS session). */
export class SessionInvalidError extends Error {
  constructor(where: string) {
    super(`${where} is not a valid session string: run \`joinwatch login\``);
    this.name = 'SessionInvalidError';
  }
}

/**
 * Returns the session string, checked to decode as a GramJS StringSession. `remember` sees the text
 * as soon as it is read, before the check: even a mistyped session is a secret to scrub from logs.
 */
export async function loadSession(
  cfg: { TELEGRAM_SESSION?: string | undefined; TELEGRAM_SESSION_FILE?: string | undefined },
  remember: (secret: string) => void = () => {},
): Promise<string> {
  const session = await readSession(cfg);
  remember(session);
  if (!isSessionString(session)) {
    throw new SessionInvalidError(cfg.TELEGRAM_SESSION ? 'TELEGRAM_SESSION' : `the session in TELEGRAM_SESSION_FILE (${cfg.TELEGRAM_SESSION_FILE})`);
  }
  return session;
}

/** True when GramJS can decode the text as a StringSession ('' is a fresh one). */
export function isSessionString(text: string): boolean {
  try {
    new StringSession(text); // its decoder's errors quote the raw bytes: never show them
    return true;
  } catch {
    return false;
  }
}

async function readSession(cfg: { TELEGRAM_SESSION?: string | undefined; TELEGRAM_SESSION_FILE?: string | undefined }): Promise<string> {
  if (cfg.TELEGRAM_SESSION) return cfg.TELEGRAM_SESSION;
  const file = cfg.TELEGRAM_SESSION_FILE;
  if (!file) throw new SessionMissingError('(set TELEGRAM_SESSION or TELEGRAM_SESSION_FILE)');
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch {
    throw new SessionMissingError(`in ${file}`);
  }
  if (text === '') throw new SessionMissingError(`in ${file} (empty)`);
  return text;
}

/** True when group or others can read the file: worth a warning (`doctor` reports it). */
export async function sessionFileIsLoose(file: string): Promise<boolean> {
  try {
    return ((await stat(file)).mode & 0o077) !== 0;
  } catch {
    return false;
  }
}

/** Writes atomically with mode 0600 (a temp file renamed over the target: never half a session). */
export async function saveSession(file: string, session: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = join(dirname(file), `.${process.pid}.session.tmp`);
  await writeFile(tmp, `${session}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}
