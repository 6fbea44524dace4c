/**
 * The playable demo driven through stdin, as a person would type: commands to the bot, numbered
 * buttons, switching to a non-admin, notifications arriving on their own while playing, /quit.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/joinwatch.js', import.meta.url).pathname;

describe('npm run demo -- --play', () => {
  it('answers a scripted session over stdin and keeps notifications coming', async () => {
    const child = spawn(process.execPath, [BIN, 'demo', '--play'], { env: { PATH: process.env.PATH ?? '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    /** Waits until the output after `from` matches; returns the new output. */
    const waitFor = async (pattern: RegExp, from: number, timeoutMs = 30_000): Promise<string> => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out.slice(from))) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${out.slice(from)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return out.slice(from);
    };
    const type = async (line: string, expected: RegExp): Promise<string> => {
      const from = out.length;
      child.stdin.write(`${line}\n`);
      return waitFor(expected, from);
    };
    try {
      await waitFor(/\/quit {3}end the demo/, 0, 90_000);
      const picker = await type('/links', /Which chat\?[\s\S]*\[3 [^\]]+\]\n/);
      expect(picker).toMatch(/▶ admin: \/links/);
      const chosen = /\[1 ([^\]]+)\]/.exec(picker)?.[1];
      const links = await type('1', /invite links of/);
      expect(links).toContain(`invite links of ${chosen}`);
      expect(await type('/press 99', /no button 99/)).toContain('no button 99 on the last answer');
      expect(await type('/as stranger', /you are now stranger/)).toMatch(/not an admin of any chat/);
      expect(await type('/links', /Only admins/)).toMatch(/▶ stranger: \/links\n {2}│ Only admins of a chat joinwatch watches can use this\./);
      await type('/as admin', /you are now admin/);
      await type('/as nobody-here', /no demo user "nobody-here"/);
      // Nobody typed anything: the activity, the sync and the notifier bring news by themselves.
      // (The bot stores joins and requests as they happen, so the sync's own "· sync:" line may find nothing left.)
      await waitFor(/🔔 the bot, to admin:\n {2}│ 🔔 \d+ new join requests? in /, out.length, 60_000);
      await type('/quit', /Bye/);
      expect(await exited).toBe(0);
      expect(out).not.toMatch(/something went wrong/i);
    } finally {
      child.kill('SIGTERM');
    }
  }, 180_000);
});
