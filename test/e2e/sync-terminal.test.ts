/**
 * `joinwatch sync --once` on a terminal, as a new user runs it: under a pseudo-terminal (util-linux
 * `script`), the screen ends with the report, no raw JSON log line, and the progress bar's line
 * never has anything else written into it. With LOG_LEVEL=info the log lines show, pretty, each
 * on a line of its own.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld } from '../../src/sandbox/generate-scenario.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { screenLines } from '../support/terminal-screen.js';

const BIN = new URL('../../bin/joinwatch.js', import.meta.url).pathname;
const BAR = /^\[[#.]{30}\] [\d,]+ \/ [\d,]+ {2}https:\/\/t\.me\/\+\S+$/;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ world: generateWorld({ seed: 3, chats: 1, linksPerChat: 3, joins: 6000, pending: 20 }) });
  sandbox.setFaults({ delayMs: 15 }); // a backfill of a few seconds: the bar is drawn many times
});
afterAll(() => sandbox?.stop());

/** Runs `sync --once` with a terminal as stdin, stdout and stderr; returns the raw bytes it wrote. */
async function syncOnTerminal(extraEnv: Record<string, string>): Promise<string> {
  const env = {
    PATH: process.env.PATH ?? '', TERM: 'xterm', ...sandbox.env(),
    DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'jw-tty-')), 'joinwatch.db'),
    WATCH_CHATS: `-100${sandbox.world.chats()[0]?.id}`, ...extraEnv,
  };
  const child = spawn('script', ['-q', '-e', '-c', `${process.execPath} ${BIN} sync --once`, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(code, output).toBe(0);
  return output;
}

function expectBarLinesIntact(raw: string): void {
  expect(raw, 'the bar was drawn').toMatch(/\r\[#*\.*\] /);
  // Every piece of the bar's line, as drawn: a redraw begins with \r and ends with ESC[K.
  for (const drawn of raw.split('\r').filter((piece) => piece.startsWith('['))) {
    expect(drawn.replace(/\x1b\[K$/, ''), 'something was written into the bar line').toMatch(BAR);
  }
  for (const line of screenLines(raw)) expect(line, 'a bar left on screen or spliced with text').not.toMatch(/\[[#.]{10,}/);
}

describe('sync --once on a terminal', () => {
  it('ends with the report: no raw JSON, no info chatter, the bar line intact', async () => {
    const raw = await syncOnTerminal({});
    const screen = screenLines(raw);
    expect(screen.filter((l) => l.includes('{"level"'))).toEqual([]);
    expect(screen.join('\n')).not.toMatch(/chat synced|Disconnecting/);
    expectBarLinesIntact(raw);
    expect(screen.at(-1)).toMatch(/^\d+ Telegram calls in \d+ s$/);
    expect(screen[0]).toMatch(/: ok$/);
  });

  it('with LOG_LEVEL=info, log lines are pretty and each on its own line, never in the bar', async () => {
    const raw = await syncOnTerminal({ LOG_LEVEL: 'info' });
    const screen = screenLines(raw);
    expect(screen.filter((l) => l.includes('{"level"'))).toEqual([]);
    expect(screen.some((l) => /^\[\d\d:\d\d:\d\d\] INFO.*: chat synced/.test(l))).toBe(true);
    expectBarLinesIntact(raw);
  });
});
