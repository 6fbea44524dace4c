import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { openStore } from '../../src/store/index.js';
import { SyncEngine } from '../../src/sync/engine.js';
import { createTelegramClient } from '../../src/telegram/client.js';
import { GramJsInviteSource } from '../../src/telegram/invite-source.js';

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

/** One sync cycle into the doctor's database, as `sync --once` would make it. */
async function syncOnce(): Promise<void> {
  const store = openStore(env.DATABASE_PATH!);
  const client = createTelegramClient({ apiId: sandbox.apiId, apiHash: sandbox.apiHash, session: sandbox.session, server: sandbox.mtproto });
  try {
    await client.connect();
    await new SyncEngine({ store, source: new GramJsInviteSource(client) }).runCycle(env.WATCH_CHATS!.split(','));
  } finally {
    await client.destroy();
    store.close();
  }
}

describe('joinwatch doctor against the sandbox', () => {
  it('says which live sources work per chat: where the bot is not an admin, requests wait for the next cycle', async () => {
    const chat = 1700000001n;
    sandbox.world.setAdmin(chat, sandbox.world.bot.id, { admin: false });
    try {
      await syncOnce();
      const { text } = await doctor({});
      expect(text).toMatch(/✗ -1001700000001: the bot is not (an admin|in this chat) .*no live updates there, so requests and joins reach the store at the next sync cycle/);
      expect(text).toMatch(/✓ Rust Learners: live sources: the admin log is followed/);
    } finally {
      sandbox.world.setAdmin(chat, sandbox.world.bot.id, { admin: true, canInvite: true });
    }
  });

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
