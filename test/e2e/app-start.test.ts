/**
 * The composition root as an operator runs it: `joinwatch start` as a child process against the
 * sandbox, and the documented two-process split (`--no-bot` syncs, `--no-sync` answers) on one
 * database file.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { textsFor } from '../../src/bot/i18n/texts.js';
import { createLogger } from '../../src/log.js';
import { generateWorld } from '../../src/sandbox/generate-scenario.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';

const BIN = new URL('../../bin/joinwatch.js', import.meta.url).pathname;
let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ world: generateWorld({ seed: 5, chats: 1, linksPerChat: 4, joins: 300, pending: 30 }) });
  env = {
    ...sandbox.env(),
    WATCH_CHATS: sandbox.world.chats().map((c) => `-100${c.id}`).join(','),
    LOG_LEVEL: 'info',
  };
});
afterAll(() => sandbox?.stop());

async function reply(text: string, chat?: bigint) {
  const after = sandbox.bot.cursor;
  sandbox.bot.message({ from: sandbox.world.self.id, text, ...(chat ? { chat } : {}) });
  return sandbox.bot.waitForSent(() => true, { after, timeoutMs: 20_000 });
}

describe('joinwatch start', () => {
  it('syncs at start, answers the admin, and stops cleanly on SIGTERM without logging secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jw-start-'));
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: { PATH: process.env.PATH ?? '', ...env, DATABASE_PATH: join(dir, 'db', 'joinwatch.db') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      // The first cycle runs at start; wait for it in the log, then ask the bot.
      const deadline = Date.now() + 30_000;
      while (!output.includes('sync cycle done') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(output).toContain('sync cycle done');
      const links = await reply('/links');
      expect(links.text).toMatch(/4 invite links of /);
      expect(statSync(join(dir, 'db', 'joinwatch.db')).mode & 0o777).toBe(0o600);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    for (const secret of [sandbox.session, sandbox.botToken, sandbox.apiHash]) expect(output).not.toContain(secret);
  });

  it('runs as two processes on one database: --no-bot syncs, --no-sync answers from what it wrote', async () => {
    const shared = { ...env, DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'jw-split-')), 'joinwatch.db') };
    const logger = createLogger({ level: 'silent' });
    let syncer: App | undefined;
    let answerer: App | undefined;
    try {
      syncer = await startApp({ env: shared, bot: false, syncAtStart: false, logger });
      answerer = await startApp({ env: shared, sync: false, logger, registerMenus: false });
      expect(syncer.bot).toBeUndefined();
      expect(answerer.engine).toBeUndefined();
      await expect(answerer.syncAll()).rejects.toThrow(/does not sync/);
      const before = await reply('/links');
      expect(before.text).toBe(textsFor('en').t('access-nothing-synced'));
      const cycle = await syncer.syncAll();
      expect(cycle.chats[0]?.outcome).toBe('ok');
      const after = await reply('/links');
      expect(after.text).toMatch(/4 invite links of /);
    } finally {
      await answerer?.stop();
      await syncer?.stop();
    }
  });

  it('refuses to start, with one line and before any sync, when the bot token is rejected or the Bot API is unreachable', async () => {
    const shared = { ...env, DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'jw-badbot-')), 'joinwatch.db') };
    const logger = createLogger({ level: 'silent' });
    sandbox.resetCalls();
    await expect(startApp({ env: { ...shared, BOT_TOKEN: `${sandbox.botToken.split(':')[0]}:WRONGWRONGWRONGWRONGWRONG` }, logger }))
      .rejects.toThrow('Telegram rejected BOT_TOKEN (401 Unauthorized): check the token @BotFather gave you');
    await expect(startApp({ env: { ...shared, BOT_API_ROOT: 'http://127.0.0.1:1' }, logger, botInitTimeoutMs: 1500 }))
      .rejects.toThrow('cannot reach the Bot API at http://127.0.0.1:1: check BOT_API_ROOT and the network');
    expect(sandbox.calls()['messages.getExportedChatInvites'] ?? 0).toBe(0);
  });
});
