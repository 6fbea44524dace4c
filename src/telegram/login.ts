/**
 * `joinwatch login`: signs the userbot account in with GramJS's own flow (`client.start`: phone,
 * code, 2FA password through SRP) and saves the session to TELEGRAM_SESSION_FILE (mode 0600).
 * The session is printed only with `--print`; the phone number, code and password never reach a
 * log. Wrong answers get a clear line and another try; a banned number stops at once.
 */
import type { Readable, Writable } from 'node:stream';
import { Api, type TelegramClient } from 'telegram';
import { StringSession } from 'telegram/sessions/index.js';
import { UserFacingError } from '../cli/run-command.js';
import { loadConfig } from '../config.js';
import { connectClient, createTelegramClient } from './client.js';
import { createPrompter, PromptClosedError, type Prompter } from './prompt.js';
import { isSessionString, saveSession } from './session-store.js';
import { describeConnectFailure } from './userbot.js';
import { readFile } from 'node:fs/promises';

export interface LoginOptions {
  print?: boolean;
}

export interface LoginIo {
  input?: Readable;
  output?: Writable;
  env?: Record<string, string | undefined>;
}

const MAX_TRIES = 3;
const PRINT_ONLY = '\u0000print-only';

/** What a person reads for each error Telegram can answer during sign-in; `stop` ends the login. */
export function explainLoginError(err: unknown): { message: string; stop: boolean } {
  const code = (err as { errorMessage?: string }).errorMessage ?? (err instanceof Error ? err.message : String(err));
  if (code === 'PHONE_CODE_INVALID') return { message: 'That code is not right. Check the latest code Telegram sent and try again.', stop: false };
  if (code === 'PHONE_CODE_EMPTY') return { message: 'The code is empty. Type the digits Telegram sent.', stop: false };
  if (code === 'PHONE_CODE_EXPIRED') return { message: 'That code has expired. Run `joinwatch login` again to get a new one.', stop: true };
  if (code === 'PASSWORD_HASH_INVALID') return { message: 'That two-step verification password is wrong. Try again.', stop: false };
  if (code === 'PHONE_NUMBER_BANNED') return { message: 'Telegram has banned this phone number: it cannot sign in. Contact recover@telegram.org or use another account.', stop: true };
  if (code === 'PHONE_NUMBER_INVALID') return { message: 'That is not a valid phone number. Use the international form, e.g. +44 7700 900123.', stop: false };
  if (code === 'PHONE_NUMBER_UNOCCUPIED') return { message: 'No Telegram account uses this number. Sign up in a Telegram app first.', stop: true };
  if (/^FLOOD_WAIT_\d+$/.test(code) || (err as { seconds?: number }).seconds !== undefined) {
    return { message: 'Telegram asks to wait before trying again (too many attempts). Try later.', stop: true };
  }
  if (code === 'Code is empty' || code === 'Password is empty') return { message: `${code}.`, stop: false };
  return { message: `Sign-in failed: ${code.slice(0, 120)}`, stop: true };
}

export async function runLogin(opts: LoginOptions, io: LoginIo = {}): Promise<number> {
  const env = io.env ?? process.env;
  const file = env.TELEGRAM_SESSION_FILE?.trim() || undefined;
  if (!file && !opts.print) {
    throw new UserFacingError('set TELEGRAM_SESSION_FILE to the file the session should be saved in (or pass --print to only print it)');
  }
  const cfg = loadConfig(['telegram'], { ...env, TELEGRAM_SESSION_FILE: file ?? PRINT_ONLY });
  const start = cfg.TELEGRAM_SESSION ?? (file ? await readFile(file, 'utf8').then((t) => t.trim(), () => '') : '');
  if (!isSessionString(start)) {
    throw new UserFacingError(`login failed: ${cfg.TELEGRAM_SESSION ? 'TELEGRAM_SESSION' : file} does not hold a valid session string: remove it and run \`joinwatch login\` again`);
  }
  const client = createTelegramClient({
    apiId: cfg.TELEGRAM_API_ID,
    apiHash: cfg.TELEGRAM_API_HASH,
    session: start,
    ...(cfg.TELEGRAM_MTPROTO_SERVER ? { server: cfg.TELEGRAM_MTPROTO_SERVER } : {}),
  });
  await connectClient(client).catch((e: unknown) => {
    const fix = `remove the session from ${cfg.TELEGRAM_SESSION ? 'TELEGRAM_SESSION' : file} and run \`joinwatch login\` again`;
    throw new UserFacingError(`login failed: ${describeConnectFailure(e, cfg.TELEGRAM_MTPROTO_SERVER, fix)}`);
  });
  const prompt = createPrompter(io.input, io.output);
  try {
    await signIn(client, prompt);
    const me = await client.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }));
    const session = (client.session as StringSession).save();
    if (file) await saveSession(file, session);
    prompt.say(`Signed in as ${describe(me[0])}.${file ? ` Session saved to ${file} (mode 0600).` : ''}`);
    if (opts.print) prompt.say(`Session (keep it secret, it is a password):\n${session}`);
    return 0;
  } finally {
    prompt.close();
    await client.destroy().catch(() => undefined);
  }
}

async function signIn(client: TelegramClient, prompt: Prompter): Promise<void> {
  let tries = 0;
  let last: string | undefined;
  try {
    await client.start({
      phoneNumber: () => prompt.ask('Phone number (international form, e.g. +44…): '),
      phoneCode: () => prompt.ask('Login code Telegram sent you: ', { secret: true }),
      password: (hint?: string) => prompt.ask(`Two-step verification password${hint ? ` (hint: ${hint})` : ''}: `, { secret: true }),
      onError: async (err: Error) => {
        // GramJS swallows a failing code prompt and reports "Code is empty": the input ended.
        if (err instanceof PromptClosedError) throw err;
        if (prompt.ended && / is empty$/.test(err.message)) throw new PromptClosedError('login code or password');
        const { message, stop } = explainLoginError(err);
        last = message;
        tries++;
        prompt.say(message);
        return stop || tries >= MAX_TRIES;
      },
    });
  } catch (e) {
    if (e instanceof PromptClosedError) throw new UserFacingError(`login cancelled: ${e.message}`);
    if (last && e instanceof Error && e.message === 'AUTH_USER_CANCEL') throw new UserFacingError(`login failed: ${last}`);
    throw new UserFacingError(`login failed: ${explainLoginError(e).message}`);
  }
}

function describe(user: Api.TypeUser | undefined): string {
  if (!(user instanceof Api.User)) return 'an unknown account';
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ') || 'an account';
  return `${name}${user.username ? ` (@${user.username})` : ''}, id ${user.id.toString()}`;
}
