/**
 * One world behind both servers: an approval made through real grammY is seen by a real GramJS
 * client over MTProto, and a decline made over MTProto is seen by the bot. Also the `sandbox`
 * command's JSON line, from a separate process.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Bot, GrammyError } from 'grammy';
import { Api, type TelegramClient } from 'telegram';
import { returnBigInt } from 'telegram/Helpers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { World } from '../../src/sandbox/world.js';
import { createTelegramClient } from '../../src/telegram/client.js';
import example from '../../scenarios/example.json' with { type: 'json' };

const CHAT = 1700000001n;
const BOT_CHAT_ID = -1001700000001;
const REQUEST_LINK = 'https://t.me/+ReQuEsT0456';

let sandbox: Sandbox;
let client: TelegramClient;
let bot: Bot;

beforeAll(async () => {
  sandbox = await startSandbox({ world: World.fromScenario(example) });
  client = createTelegramClient({ apiId: sandbox.apiId, apiHash: sandbox.apiHash, session: sandbox.session, server: sandbox.mtproto });
  await client.connect();
  bot = new Bot(sandbox.botToken, { client: { apiRoot: sandbox.botApiRoot } });
});

afterAll(async () => {
  await client?.destroy();
  await sandbox?.stop();
});

/** The chat's InputPeer the way a userbot learns it: from its dialogs. */
async function chatPeer(): Promise<Api.InputPeerChannel> {
  const dialogs = (await client.invoke(
    new Api.messages.GetDialogs({ offsetDate: 0, offsetId: 0, offsetPeer: new Api.InputPeerEmpty(), limit: 20, hash: returnBigInt(0) }),
  )) as Api.messages.Dialogs;
  const chat = dialogs.chats.find((c): c is Api.Channel => c instanceof Api.Channel && c.id.toString() === CHAT.toString());
  if (!chat?.accessHash) throw new Error('chat not in dialogs');
  return new Api.InputPeerChannel({ channelId: chat.id, accessHash: chat.accessHash });
}

function importers(peer: Api.InputPeerChannel, requested: boolean, link?: string): Promise<Api.messages.ChatInviteImporters> {
  return client.invoke(
    new Api.messages.GetChatInviteImporters({
      peer, ...(link ? { link } : {}), ...(requested ? { requested: true } : {}), offsetDate: 0, offsetUser: new Api.InputUserEmpty(), limit: 100,
    }),
  );
}

describe('approve through the bot, read through MTProto', () => {
  it('an approval by grammY is a join with approved_by seen by GramJS', async () => {
    const peer = await chatPeer();
    const before = await importers(peer, true);
    expect(before.importers.map((i) => i.userId.toString())).toEqual(['9000003', '9000002']);

    await bot.api.approveChatJoinRequest(BOT_CHAT_ID, 9000003);

    const pending = await importers(peer, true);
    expect(pending.count).toBe(1);
    expect(pending.importers.map((i) => i.userId.toString())).toEqual(['9000002']);
    const joined = await importers(peer, false, REQUEST_LINK);
    expect(joined.count).toBe(1);
    const row = joined.importers[0]!;
    expect(row.userId.toString()).toBe('9000003');
    expect(row.approvedBy?.toString()).toBe('8000001');
    expect(row.requested).toBeFalsy();
    expect(sandbox.calls()['messages.getChatInviteImporters']).toBeGreaterThanOrEqual(3);
  });

  it('a decline over MTProto is gone for the bot', async () => {
    const peer = await chatPeer();
    const user = sandbox.world.user(9000002n)!;
    await client.invoke(
      new Api.messages.HideChatJoinRequest({ peer, userId: new Api.InputUser({ userId: returnBigInt(user.id), accessHash: returnBigInt(user.accessHash) }) }),
    );
    expect(sandbox.world.pendingCount(CHAT)).toBe(0);
    const e = await bot.api.approveChatJoinRequest(BOT_CHAT_ID, 9000002).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GrammyError);
    expect((e as GrammyError).description).toBe('Bad Request: HIDE_REQUESTER_MISSING');
  });

  it('GET /sandbox/calls reports the MTProto calls by inner method', async () => {
    const calls = (await (await fetch(`${sandbox.botApiRoot}/sandbox/calls`)).json()) as Record<string, number>;
    expect(calls['messages.getChatInviteImporters']).toBe(sandbox.calls()['messages.getChatInviteImporters']);
    expect(calls['messages.hideChatJoinRequest']).toBe(1);
  });
});

describe('joinwatch sandbox (separate process)', () => {
  it('prints exactly one JSON line that real clients can use, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'sandbox', '--world', 'scenarios/example.json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const info = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(info)).toEqual(['mtproto', 'session', 'loginSession', 'apiId', 'apiHash', 'botToken', 'botApiRoot']);
      expect(info.mtproto).toMatch(/^127\.0\.0\.1:\d+$/);
      const me = await new Bot(info.botToken as string, { client: { apiRoot: info.botApiRoot as string } }).api.getMe();
      expect(me.username).toBe('joinwatch_bot');
      const c = createTelegramClient({ apiId: info.apiId as number, apiHash: info.apiHash as string, session: info.session as string, server: info.mtproto as string });
      await c.connect();
      const self = (await c.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] })))[0] as Api.User;
      expect(self.id.toString()).toBe('7000001');
      await c.destroy();
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('refuses a malformed scenario with the JSON path, in one line', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'sandbox', '--world', 'package.json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('$');
  });
});
