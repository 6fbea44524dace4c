import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';

let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ worldFile: new URL('../../scenarios/example.json', import.meta.url).pathname });
  env = {
    ...sandbox.env(),
    DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'jw-doctor-')), 'j.db'),
    WATCH_CHATS: sandbox.world.chats().map((c) => `-100${c.id}`).join(','),
  };
});
afterAll(() => sandbox?.stop());

async function doctor(overrides: Record<string, string>) {
  const lines: string[] = [];
  const code = await runDoctor({ ...env, ...overrides }, (line) => lines.push(line));
  return { code, text: lines.join('\n') };
}

describe('joinwatch doctor against the sandbox', () => {
  it('reports a working setup, without printing any secret', async () => {
    const { code, text } = await doctor({});
    expect(text).toContain('✓ every setting is valid');
    expect(text).toMatch(/✓ signed in as Moderator @mod_account \(id 7000001\)/);
    expect(text).toMatch(/✓ Rust Learners \(-1001700000001\): the account owns it/);
    expect(text).toContain('✓ bot token is valid');
    expect(text).toMatch(/✓ -1001700000001: the bot is an admin with "Invite users"/);
    for (const secret of [sandbox.session, sandbox.botToken, sandbox.apiHash]) expect(text).not.toContain(secret);
    expect(code).toBe(0);
  });

  it('checks that the bot can write to NOTIFY_CHAT_ID', async () => {
    const group = await doctor({ NOTIFY_CHAT_ID: '-1001700000001' });
    expect(group.text).toContain('✓ NOTIFY_CHAT_ID -1001700000001: the bot can write there');
    // A person who never started the bot: Telegram forbids the bot to write first.
    const person = await doctor({ NOTIFY_CHAT_ID: '9000001' });
    expect(person.text).toMatch(/✗ NOTIFY_CHAT_ID 9000001: the bot cannot write there \(Forbidden: bot can't initiate conversation with a user\)/);
    expect(person.code).toBe(1);
  });

  it('fails with one line per problem: a rejected bot token and a bad setting', async () => {
    const badToken = `${sandbox.botToken.split(':')[0]}:WRONGWRONGWRONGWRONGWRONG`;
    const { code, text } = await doctor({ BOT_TOKEN: badToken, SYNC_CRON: 'often' });
    expect(code).toBe(1);
    expect(text).toMatch(/✗ bot token: Telegram rejected the token \(401\)/);
    expect(text).toMatch(/✗ SYNC_CRON: expected a cron expression/);
    expect(text).not.toContain(badToken);
  });

  it('explains a watched chat the account cannot find, as `sync --once` does', async () => {
    const { code, text } = await doctor({ WATCH_CHATS: `${env.WATCH_CHATS},-1009999999999` });
    expect(code).toBe(1);
    expect(text).toContain(
      "✗ -1009999999999: the account cannot find this chat (CHAT_NOT_IN_DIALOGS): use the -100… id of a chat it is in, or the chat's @username",
    );
    expect(text).not.toContain('PeerInvalid');
    expect(text).toContain('✗ -1009999999999: the bot is not in this chat (add it as an admin with "Invite users")');
  });

  it('says to log in again when Telegram has revoked the session', async () => {
    sandbox.revokeSessions();
    const { code, text } = await doctor({});
    expect(code).toBe(1);
    expect(text).toMatch(/✗ .*(SessionRevoked|AUTH_KEY_UNREGISTERED)/);
    expect(text).toMatch(/joinwatch login/);
  });
});
