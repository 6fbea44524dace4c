import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { Api, errors } from 'telegram';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { World } from '../../src/sandbox/world.js';
import { sessionUserId } from './sandbox-mtproto-fixture.js';
import { explainLoginError, runLogin } from '../../src/telegram/login.js';

const PHONE = '+15550001234';
const CODE = '24680';
const PASSWORD = 'correct horse 7';
const BANNED = '+15550006666';
let sb: Sandbox;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jw-login-'));
});
// The sandbox hands out one not-yet-signed-in key per server: a fresh server per test.
beforeEach(async () => {
  const world = World.fromScenario({
    self: { id: 7000001, first_name: 'Moderator', username: 'mod_account' },
    bot: { id: 8000001, first_name: 'Joinwatch', username: 'joinwatch_bot' },
    login: { phone: PHONE, code: CODE, password: PASSWORD, banned_phones: [BANNED] },
  });
  sb = await startSandbox({ world });
});
afterEach(async () => {
  await sb?.stop();
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    TELEGRAM_API_ID: String(sb.apiId),
    TELEGRAM_API_HASH: sb.apiHash,
    TELEGRAM_MTPROTO_SERVER: sb.mtproto,
    TELEGRAM_SESSION: sb.loginSession,
    ...extra,
  };
}

async function login(answers: string[], extraEnv: Record<string, string>, print = false) {
  const output = new PassThrough();
  let text = '';
  output.on('data', (c: Buffer) => (text += c.toString()));
  let error: unknown;
  try {
    await runLogin({ print }, { input: Readable.from(answers.map((a) => `${a}\n`)), output, env: env(extraEnv) });
  } catch (e) {
    error = e;
  }
  return { text, error: error as Error | undefined };
}

function whoIs(session: string): Promise<bigint> {
  return sessionUserId({ apiId: sb.apiId, apiHash: sb.apiHash, session, server: sb.mtproto });
}

describe('joinwatch login against the sandbox (real GramJS, SRP 2FA)', () => {
  it('survives a wrong code and a wrong password, then saves a working session 0600 without showing it', async () => {
    const file = join(dir, 'a', 'session');
    const { text, error } = await login([PHONE, '11111', CODE, 'not it', PASSWORD], { TELEGRAM_SESSION_FILE: file });
    expect(error).toBeUndefined();
    expect(text).toContain('That code is not right');
    expect(text).toContain('That two-step verification password is wrong');
    expect(text).toMatch(/Signed in as Moderator \(@mod_account\), id 7000001\. Session saved to .*\(mode 0600\)/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const session = readFileSync(file, 'utf8').trim();
    expect(session.length).toBeGreaterThan(100);
    expect(text).not.toContain(session);
    expect(text).not.toContain(PASSWORD);
    expect(await whoIs(session)).toBe(7000001n);
  });

  it('gives up after three wrong codes with a clear message', async () => {
    const { text, error } = await login([PHONE, '1', '2', '3'], { TELEGRAM_SESSION_FILE: join(dir, 'b') });
    expect(error?.message).toBe('login failed: That code is not right. Check the latest code Telegram sent and try again.');
    expect(text.match(/That code is not right/g)).toHaveLength(3);
  });

  it('a wrong phone number is asked again', async () => {
    const retried = await login(['+15550009999', PHONE, CODE, PASSWORD], { TELEGRAM_SESSION_FILE: join(dir, 'd') });
    expect(retried.error).toBeUndefined();
    expect(retried.text).toContain('That is not a valid phone number');
  });

  it('a banned number stops at once with a clear line, saving nothing', async () => {
    const file = join(dir, 'banned');
    const { text, error } = await login([BANNED, PHONE, CODE, PASSWORD], { TELEGRAM_SESSION_FILE: file });
    expect(error?.message).toMatch(/^login failed: Telegram has banned this phone number: it cannot sign in\./);
    expect(text.match(/Phone number/g)).toHaveLength(1);
    expect(() => statSync(file)).toThrow();
  });

  it('a long flood wait on sending the code stops at once, saving nothing', async () => {
    sb.setFaults({ floodWait: [{ method: 'auth.sendCode', every: 1, seconds: 3600 }] });
    const file = join(dir, 'e');
    const stopped = await login([PHONE, PHONE, PHONE], { TELEGRAM_SESSION_FILE: file });
    expect(stopped.error?.message).toBe('login failed: Telegram asks to wait before trying again (too many attempts). Try later.');
    expect(stopped.text.match(/Phone number/g)).toHaveLength(1);
    expect(() => statSync(file)).toThrow(); // nothing saved
  });

  it('says so when the answers run out instead of hanging', async () => {
    const { error } = await login([PHONE], { TELEGRAM_SESSION_FILE: join(dir, 'c') });
    expect(error?.message).toMatch(/^login cancelled: no answer/);
  });

  it('refuses to run with nowhere to save the session, unless --print', async () => {
    const refused = await login([PHONE, CODE, PASSWORD], {});
    expect(refused.error?.message).toMatch(/set TELEGRAM_SESSION_FILE/);
  });

  it('`joinwatch login --print` reads answers on stdin and prints the session', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'login', '--print'], {
      env: { ...process.env, ...env(), TELEGRAM_SESSION_FILE: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdin.end(`${PHONE}\n${CODE}\n${PASSWORD}\n`);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
    const session = /keep it secret, it is a password\):\n(\S+)/.exec(out)?.[1];
    expect(session).toBeDefined();
    expect(await whoIs(session!)).toBe(7000001n);
  });
});

describe('login error messages', () => {
  it("maps GramJS's own error objects (banned number, flood wait, anything else) to one line", () => {
    const banned = new errors.RPCError('PHONE_NUMBER_BANNED', new Api.auth.SendCode({ phoneNumber: '+1', apiId: 1, apiHash: 'x', settings: new Api.CodeSettings({}) }), 400);
    expect(explainLoginError(banned)).toEqual({ stop: true, message: expect.stringMatching(/^Telegram has banned this phone number/) });
    expect(explainLoginError(new errors.FloodWaitError({ request: undefined as never, capture: 300 })).stop).toBe(true);
    expect(explainLoginError(new Error('something odd')).message).toBe('Sign-in failed: something odd');
  });
});
