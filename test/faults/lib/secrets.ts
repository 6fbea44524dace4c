/**
 * "None of the logs may hold the bot token, the session string, an auth key or the phone number":
 * every line every process of the suite wrote (login, sync, bot, notifier, the induced errors) is
 * scanned for each secret, in every form it could be printed in (the auth key as hex and base64).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../../src/sandbox/sandbox.js';
import { World } from '../../../src/sandbox/world.js';
import { BIN, runCli } from '../../e2e/cli-process.js';
import type { LogSink } from './processes.js';
import { CHAT_A, botChat } from './world.js';

export interface Secret {
  name: string;
  value: string;
}

/** The auth key inside a GramJS StringSession ("1" + base64(dc | addr length | addr | port | key)). */
export function authKeyOf(session: string): Buffer | undefined {
  if (!session.startsWith('1')) return undefined;
  const bytes = Buffer.from(session.slice(1), 'base64');
  return bytes.length >= 256 ? bytes.subarray(bytes.length - 256) : undefined;
}

export function secretsOf(o: { botToken?: string; sessions?: string[]; apiHash?: string; phone?: string; password?: string }): Secret[] {
  const out: Secret[] = [];
  if (o.botToken) out.push({ name: 'bot token', value: o.botToken }, { name: "bot token's secret part", value: o.botToken.split(':')[1] ?? o.botToken });
  for (const s of o.sessions ?? []) {
    out.push({ name: 'session string', value: s });
    const key = authKeyOf(s);
    if (key) {
      out.push({ name: 'auth key (hex)', value: key.toString('hex').slice(0, 64) }, { name: 'auth key (base64)', value: key.toString('base64').slice(0, 44) });
      out.push({ name: 'auth key (base64url)', value: key.toString('base64url').slice(0, 44) });
    }
  }
  if (o.apiHash) out.push({ name: 'API hash', value: o.apiHash });
  if (o.phone) out.push({ name: 'phone number', value: o.phone }, { name: 'phone number (digits)', value: o.phone.replace(/\D/g, '') });
  if (o.password) out.push({ name: '2FA password', value: o.password });
  return out;
}

export function scanLogs(logs: LogSink, secrets: readonly Secret[]): { scannedBytes: number; found: string[] } {
  const found: string[] = [];
  let scannedBytes = 0;
  for (const { name, text } of logs.outputs) {
    scannedBytes += Buffer.byteLength(text);
    for (const s of secrets) if (s.value.length >= 6 && text.includes(s.value)) found.push(`${s.name} in ${name}`);
  }
  return { scannedBytes, found };
}

const PHONE = '+15550004242';
const CODE = '31415';
const PASSWORD = 'fault suite pw 9';

/**
 * The runs whose logs are most likely to hold a secret: a login (phone, code, 2FA password) at
 * debug level, and induced errors (a rejected bot token, a revoked session, a forgotten key).
 * Returns the secrets involved.
 */
export async function riskyRuns(logs: LogSink): Promise<Secret[]> {
  const world = World.fromScenario({
    self: { id: 7000001, first_name: 'Moderator', username: 'mod_account' },
    bot: { id: 8000001, first_name: 'Joinwatch', username: 'joinwatch_bot' },
    chats: [{ id: Number(CHAT_A), type: 'supergroup', title: 'Fault A', owner_id: 7000001, admins: [7000001, 8000001] }],
    login: { phone: PHONE, code: CODE, password: PASSWORD },
  });
  const sb = await startSandbox({ world });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'jw-faults-secrets-'));
    const base = { ...sb.env(), DATABASE_PATH: join(dir, 'joinwatch.db'), WATCH_CHATS: String(botChat(CHAT_A)), LOG_LEVEL: 'debug' };
    // Login at debug level, with a wrong code first (an induced error on the way).
    const login = await runWithInput(['login'], { ...base, TELEGRAM_SESSION: sb.loginSession, TELEGRAM_SESSION_FILE: join(dir, 'session') }, `${PHONE}\n11111\n${CODE}\n${PASSWORD}\n`);
    logs.add('login (debug)', login);
    for (const [name, args, env] of [
      ['start with a rejected bot token', ['start'], { ...base, BOT_TOKEN: `${sb.botToken.split(':')[0]}:WRONGWRONGWRONGWRONGWRONGWRONG` }],
      ['sync --once, debug', ['sync', '--once', '--verbose'], base],
    ] as const) {
      const p = runCli(args, env);
      logs.keep(name, p);
      await p.exited;
    }
    sb.revokeSessions();
    for (const [name, args] of [['sync --once on a revoked session', ['sync', '--once']], ['start --no-bot on a revoked session', ['start', '--no-bot']]] as const) {
      const p = runCli(args, base);
      logs.keep(name, p);
      await p.exited;
    }
    return secretsOf({ botToken: sb.botToken, sessions: [sb.session, sb.loginSession], apiHash: sb.apiHash, phone: PHONE, password: PASSWORD });
  } finally {
    await sb.stop();
  }
}

function runWithInput(args: string[], env: Record<string, string>, input: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += c.toString()));
    child.stderr.on('data', (c: Buffer) => (text += c.toString()));
    child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}
