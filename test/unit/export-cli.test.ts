import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/joinwatch.js', import.meta.url).pathname;
const CHAT = '-1001700000001';
let dir: string;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'joinwatch-export-'));
  env = { PATH: process.env.PATH ?? '', DATABASE_PATH: join(dir, 'db.sqlite') };
  const store = openStore(env.DATABASE_PATH!);
  store.chats.upsert({ id: BigInt(CHAT), title: 'T', type: 'supergroup', isOwner: true }, 1000);
  // Enough rows to overflow a pipe and the file stream's buffer, so writing has to wait for 'drain'.
  const users = Array.from({ length: 5000 }, (_, i) => ({ id: BigInt(9000000 + i), accessHash: 1n, username: null, firstName: `User ${i}`, lastName: '' }));
  store.users.upsertMany(users, 1000);
  store.requests.upsertPending(BigInt(CHAT), users.map((u, i) => ({ userId: u.id, date: 2000 + i, about: null, link: null })), 1000);
  store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function joinwatch(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, cwd: dir, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('joinwatch export', () => {
  it.each([
    ['/nonexistent/dir/x.csv', 'no such directory'],
    [tmpdir(), 'it is a directory'],
  ])('an unwritable --out %s is one line and exit 1', async (out, why) => {
    const { code, stderr } = await joinwatch(['export', '--chat', CHAT, '--pending', '--out', out]);
    expect(code).toBe(1);
    expect(stderr).toBe(`joinwatch: cannot write ${out}: ${why}\n`);
  });

  it('a reader that closes the pipe early (| head -1) ends the export quietly with exit 0', async () => {
    const child = spawn(process.execPath, [BIN, 'export', '--chat', CHAT, '--pending'], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(first).toMatch(/^chat_id,link,user_id/);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('--out writes every row', async () => {
    const out = join(dir, 'pending.csv');
    const { code, stderr } = await joinwatch(['export', '--chat', CHAT, '--pending', '--out', out]);
    expect(code).toBe(0);
    expect(stderr).toBe(`wrote 5000 rows to ${out}\n`);
  });
});
