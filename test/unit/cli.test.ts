import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = new URL('../../bin/joinwatch.js', import.meta.url).pathname;

async function joinwatch(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      cwd: '/',
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('joinwatch CLI', () => {
  it('--help lists every command', async () => {
    const { code, stdout } = await joinwatch(['--help']);
    expect(code).toBe(0);
    for (const command of ['start', 'login', 'sync', 'export', 'sandbox', 'demo', 'doctor']) {
      expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
  });

  it('a missing setting is one line naming the variable, not a stack trace', async () => {
    const { code, stderr } = await joinwatch(['export', '--chat', '-1001234567890', '--all'], {
      DATABASE_PATH: '',
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/DATABASE_PATH/);
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
