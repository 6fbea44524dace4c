/**
 * The userbot's connect is bounded: GramJS has no request timeout, and when the server answers
 * -404 (it does not know the session's auth key) GramJS's connect() never settles. Real GramJS
 * against the sandbox (which answers -404 for an unknown key, as Telegram does).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { Readable, PassThrough } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeStringSession } from '../../src/sandbox/mtproto/keys.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { World } from '../../src/sandbox/world.js';
import { isSourceError } from '../../src/sync/types.js';
import { runLogin } from '../../src/telegram/login.js';
import { describeConnectFailure, openUserbot } from '../../src/telegram/userbot.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = await startSandbox({
    world: World.fromScenario({
      self: { id: 7000001, first_name: 'Moderator' },
      bot: { id: 8000001, first_name: 'Joinwatch', username: 'joinwatch_bot' },
    }),
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await sb.stop();
});

/** A well-formed session whose auth key the server has never seen. */
function unknownKeySession(server: string): string {
  const [host, port] = server.split(':');
  return encodeStringSession(2, host!, Number(port), randomBytes(256));
}

function cfg(server: string, session: string) {
  return { TELEGRAM_API_ID: sb.apiId, TELEGRAM_API_HASH: sb.apiHash, TELEGRAM_MTPROTO_SERVER: server, TELEGRAM_SESSION: session, TELEGRAM_SESSION_FILE: undefined };
}

const silentLogger = pino({ level: 'silent' });

describe('openUserbot: a bounded connect with a clear error', () => {
  it('fails at once (not at the timeout) when the server does not know the auth key', async () => {
    const started = Date.now();
    const error = await openUserbot(cfg(sb.mtproto, unknownKeySession(sb.mtproto)), silentLogger, { connectTimeoutMs: 30_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(isSourceError(error, 'SessionRevoked')).toBe(true);
    expect(describeConnectFailure(error, sb.mtproto)).toBe(
      `the MTProto server ${sb.mtproto} does not know this session (its auth key was dropped, or it was made for another server): run \`joinwatch login\``,
    );
  });

  it('gives up on a server that never answers after the timeout', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const server = `127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      const error = await openUserbot(cfg(server, unknownKeySession(server)), silentLogger, { connectTimeoutMs: 1_000 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isSourceError(error, 'Transient')).toBe(true);
      expect(describeConnectFailure(error, server)).toBe(`no answer from the MTProto server ${server} while connecting: check the network and TELEGRAM_MTPROTO_SERVER`);
    } finally {
      silent.close();
    }
  });

  it('a refused connection fails after the bounded retries, and GramJS prints nothing to the console', async () => {
    const consoleError = vi.spyOn(console, 'error');
    const consoleLog = vi.spyOn(console, 'log');
    const error = await openUserbot(cfg('127.0.0.1:1', sb.session), pino({ level: 'debug', enabled: false }), { connectTimeoutMs: 30_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(describeConnectFailure(error, '127.0.0.1:1')).toBe('cannot connect to the MTProto server 127.0.0.1:1: check the network and TELEGRAM_MTPROTO_SERVER');
    expect(consoleError).not.toHaveBeenCalled();
    expect(consoleLog).not.toHaveBeenCalled();
  });
});

describe('the CLI on an unknown auth key', () => {
  for (const args of [['sync', '--once'], ['start', '--no-bot']]) {
    it(`\`joinwatch ${args.join(' ')}\` exits 1 with one clear line instead of hanging`, async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
        env: { ...process.env, ...sb.env(), TELEGRAM_SESSION: unknownKeySession(sb.mtproto), DATABASE_PATH: ':memory:', WATCH_CHATS: '-1001700000001', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(err).toBe(`joinwatch: the MTProto server ${sb.mtproto} does not know this session (its auth key was dropped, or it was made for another server): run \`joinwatch login\`\n`);
    }, 20_000);
  }

  it('`joinwatch login` with a stale stored session says what to do instead of hanging', async () => {
    const output = new PassThrough();
    const error = await runLogin(
      {},
      {
        input: Readable.from([]),
        output,
        env: { TELEGRAM_API_ID: String(sb.apiId), TELEGRAM_API_HASH: sb.apiHash, TELEGRAM_MTPROTO_SERVER: sb.mtproto, TELEGRAM_SESSION: unknownKeySession(sb.mtproto), TELEGRAM_SESSION_FILE: '/nonexistent/x' },
      },
    ).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/^login failed: the MTProto server .* does not know this session .*: remove the session from TELEGRAM_SESSION and run `joinwatch login` again$/);
  });
});

describe('an unreadable session string', () => {
  it('`joinwatch sync --once` says TELEGRAM_SESSION is not a session, with no binary bytes', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'sync', '--once'], {
      env: { ...process.env, ...sb.env(), TELEGRAM_SESSION: '1AgAJgarbage', DATABASE_PATH: ':memory:', WATCH_CHATS: '-1001700000001', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toBe('joinwatch: TELEGRAM_SESSION is not a valid session string: run `joinwatch login`\n');
  }, 20_000);

  it('`joinwatch login` refuses it with one line, not the decoder\'s bytes', async () => {
    const error = await runLogin(
      {},
      {
        input: Readable.from([]),
        output: new PassThrough(),
        env: { TELEGRAM_API_ID: String(sb.apiId), TELEGRAM_API_HASH: sb.apiHash, TELEGRAM_MTPROTO_SERVER: sb.mtproto, TELEGRAM_SESSION: '1AgAJgarbage', TELEGRAM_SESSION_FILE: '/nonexistent/x' },
      },
    ).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toBe('login failed: TELEGRAM_SESSION does not hold a valid session string: remove it and run `joinwatch login` again');
  });

  it('from TELEGRAM_SESSION_FILE, the message names the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'joinwatch-session-'));
    const file = join(dir, 'session');
    writeFileSync(file, 'not a session\n', { mode: 0o600 });
    try {
      const error = await openUserbot({ ...cfg(sb.mtproto, ''), TELEGRAM_SESSION: undefined, TELEGRAM_SESSION_FILE: file }, silentLogger).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(describeConnectFailure(error, sb.mtproto)).toBe(`the session in TELEGRAM_SESSION_FILE (${file}) is not a valid session string: run \`joinwatch login\``);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
