/**
 * Issue 11, item 5: SIGTERM or SIGINT ends every mode within 10 s whatever Telegram does, and a
 * second signal ends the process at once. Each mode runs as an operator runs it (a child process
 * against the sandbox); "Telegram does not answer" is a proxy in front of the sandbox that keeps
 * every connection open and forwards nothing (a hung server, not a refusing one).
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { generateWorld } from '../../src/sandbox/generate-scenario.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { runCli, type CliProcess } from './cli-process.js';
import { hostPort, startTcpProxy, type TcpProxy } from './tcp-proxy.js';

const BOUND_MS = 10_000;
let sandbox: Sandbox;
let botProxy: TcpProxy;
let mtprotoProxy: TcpProxy;
let running: CliProcess | undefined;
let chatId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ world: generateWorld({ seed: 11, chats: 1, linksPerChat: 3, joins: 400, pending: 40 }) });
  chatId = `-100${sandbox.world.chats()[0]!.id}`;
});
afterAll(async () => {
  await sandbox?.stop();
});
afterEach(async () => {
  running?.kill();
  running = undefined;
  sandbox.setFaults({ delayMs: 0 });
  await botProxy?.close();
  await mtprotoProxy?.close();
});

async function proxies(): Promise<void> {
  botProxy = await startTcpProxy(hostPort(sandbox.botApiRoot));
  mtprotoProxy = await startTcpProxy(hostPort(sandbox.mtproto));
}

function env(extra: Record<string, string> = {}): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'jw-shutdown-'));
  return {
    ...sandbox.env(),
    TELEGRAM_MTPROTO_SERVER: mtprotoProxy.address,
    BOT_API_ROOT: `http://${botProxy.address}`,
    DATABASE_PATH: join(dir, 'joinwatch.db'),
    WATCH_CHATS: chatId,
    NOTIFY_CHAT_ID: chatId,
    NOTIFY_INTERVAL_SECONDS: '1',
    DIGEST_INTERVAL_SECONDS: '1',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** Sends `signal` and resolves with how long the process took to end, and how it ended. */
async function stopWith(p: CliProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<{ ms: number; code: number | null }> {
  const sent = Date.now();
  p.signal(signal);
  const end = await Promise.race([p.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), BOUND_MS + 20_000))]);
  if (!end) throw new Error(`still running ${BOUND_MS + 20_000} ms after ${signal}; output:\n${p.output()}`);
  return { ms: end.at - sent, code: end.code };
}

describe('SIGTERM / SIGINT end every mode within 10 s', () => {
  it('start: the Bot API stops answering while a notification and a long poll are in flight', async () => {
    await proxies();
    const e = env();
    running = runCli(['start'], e);
    await running.waitFor('joinwatch started');
    botProxy.blackhole();
    await running.waitFor('sync cycle done');
    // The notifier drains every second: its send of the first sync's news is now hanging.
    await new Promise((r) => setTimeout(r, 2500));
    const { ms, code } = await stopWith(running);
    expect(ms, running.output()).toBeLessThan(BOUND_MS);
    expect(code).toBe(0);
    expect(running.output()).toContain('"msg":"stopped"'); // wound down, not cut off by the deadline
    // The database was closed properly: it opens, and the first sync's rows are there.
    const store = openStore(e.DATABASE_PATH!);
    expect(store.links.list(BigInt(chatId)).length).toBe(3);
    store.close();
  });

  /** `start <args>` is up, then `hung` stops answering for `ms`: `signal` must still end it in time, cleanly. */
  async function hungThenStopped(args: string[], hung: () => TcpProxy, ms: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await proxies();
    running = runCli(['start', ...args], env());
    await running.waitFor('joinwatch started');
    hung().blackhole();
    await new Promise((r) => setTimeout(r, ms));
    const { ms: took, code } = await stopWith(running, signal);
    expect(took, running.output()).toBeLessThan(BOUND_MS);
    expect(code).toBe(0);
    expect(running.output()).toContain('"msg":"stopped"');
  }

  it('start: the MTProto server stops answering while a page is in flight (SIGINT)', () => hungThenStopped([], () => mtprotoProxy, 1000, 'SIGINT'));
  it('start --no-bot: a page in flight on a hung MTProto server', () => hungThenStopped(['--no-bot'], () => mtprotoProxy, 1000));
  it('start --no-sync: the Bot API hangs under the long poll', () => hungThenStopped(['--no-sync'], () => botProxy, 1500));

  it('start: a signal during start-up, while the Bot API does not answer getMe, ends it too', async () => {
    await proxies();
    botProxy.blackhole();
    running = runCli(['start'], env());
    // The process is up and waiting for getMe (it times out only after 20 s).
    await new Promise((r) => setTimeout(r, 4000));
    const { ms } = await stopWith(running);
    expect(ms, running.output()).toBeLessThan(BOUND_MS);
  });

  it('sync --once: a page in flight on a hung MTProto server; the partial report is printed', async () => {
    await proxies();
    sandbox.setFaults({ delayMs: 400 });
    const importers = () => sandbox.calls()['messages.getChatInviteImporters'] ?? 0;
    const before = importers();
    running = runCli(['sync', '--once'], env());
    // Paging for sure (a fixed wait can end before a loaded machine even started the process).
    await expect.poll(importers, { timeout: 30_000, interval: 100 }).toBeGreaterThan(before);
    mtprotoProxy.blackhole();
    const { ms, code } = await stopWith(running);
    expect(ms, running.output()).toBeLessThan(BOUND_MS);
    expect(code).toBe(143);
    expect(running.output()).toContain('Interrupted by SIGTERM: every page fetched so far is stored');
    expect(running.output()).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('sandbox: with a client connected and a long poll open', async () => {
    running = runCli(['sandbox', '--generate', '{"chats":1,"joins":10}'], {});
    await running.waitFor('"botApiRoot"');
    const line = JSON.parse(running.output().split('\n').find((l) => l.startsWith('{'))!) as { botApiRoot: string; botToken: string };
    void fetch(`${line.botApiRoot}/bot${line.botToken}/getUpdates?timeout=50`).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    const { ms, code } = await stopWith(running);
    expect(ms).toBeLessThan(BOUND_MS);
    expect(code).toBe(0);
  });

  it('demo: in the middle of the tour, leaving no temporary database behind', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'jw-demo-tmp-'));
    running = runCli(['demo'], { TMPDIR: tmp });
    await running.waitFor('── sync', 60_000);
    const { ms, code } = await stopWith(running);
    expect(ms, running.output()).toBeLessThan(BOUND_MS);
    expect(code).toBe(143);
    expect(readdirSync(tmp).filter((f) => f.startsWith('joinwatch-demo-'))).toEqual([]);
  });

  it('a second signal ends the process at once', async () => {
    await proxies();
    running = runCli(['start', '--no-bot'], env());
    await running.waitFor('joinwatch started');
    mtprotoProxy.blackhole();
    await new Promise((r) => setTimeout(r, 500));
    running.signal('SIGTERM');
    await running.waitFor('stopping', 5000);
    const second = Date.now();
    running.signal('SIGTERM');
    const end = await running.exited;
    expect(end.at - second).toBeLessThan(1500);
    expect(end.code).toBe(143);
  });
});
