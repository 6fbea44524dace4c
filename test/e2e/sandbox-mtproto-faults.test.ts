/**
 * Faults through the real GramJS client: FLOOD_WAIT_1 is slept through inside invoke, a dropped
 * connection is survived (GramJS reconnects and resends), a revoked session surfaces as
 * AUTH_KEY_UNREGISTERED, slow answers are slow, and faults can come from the scenario file.
 */
import { Api, errors, type TelegramClient } from 'telegram';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { World } from '../../src/sandbox/world.js';
import { createTelegramClient } from '../../src/telegram/client.js';
import { openUserbot } from '../../src/telegram/userbot.js';
import pino from 'pino';
import { baseScenario, importersPage, OWNED, peer, rpcError, SPRING, startHarness, type Harness } from './sandbox-mtproto-fixture.js';

const METHOD = 'messages.getChatInviteImporters';
let h: Harness | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const world = (extra: Record<string, unknown> = {}): World => World.fromScenario(baseScenario(extra));
const page = (x: Harness): Promise<Api.messages.ChatInviteImporters> => importersPage(x.client, { peer: peer(x.world, OWNED), link: SPRING });

describe('sandbox MTProto faults', () => {
  it('FLOOD_WAIT_1 is slept through by GramJS and the result still arrives', async () => {
    h = await startHarness(world());
    h.server.setFaults({ floodWait: [{ method: METHOD, every: 2, seconds: 1 }] });
    await page(h);
    const started = Date.now();
    const second = await page(h);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(second.importers.map((i) => i.userId.toString())).toEqual(['9000001']);
    expect(h.server.calls()[METHOD]).toBe(3); // 1, 2 (flooded), 2 again
  });

  it('a FLOOD_WAIT above the client threshold surfaces as an error with its seconds', async () => {
    h = await startHarness(world());
    h.server.setFaults({ floodWait: [{ method: METHOD, every: 1, seconds: 3600 }] });
    const e = await page(h).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(errors.FloodWaitError);
    expect([(e as errors.FloodWaitError).code, (e as errors.FloodWaitError).seconds]).toEqual([420, 3600]);
  });

  it('a flood wait holds its method for the whole account for its seconds; other methods go on', async () => {
    const w = world();
    let clock = 1767900000;
    w.setClock(() => clock);
    h = await startHarness(w);
    h.server.setFaults({ floodWait: [{ method: METHOD, every: 2, seconds: 3600 }] });
    await page(h);
    expect(await page(h).catch((err: unknown) => err)).toMatchObject({ seconds: 3600 });
    clock += 600;
    // Not a 2nd call of the cycle of 2: only the hold explains this answer.
    expect(await page(h).catch((err: unknown) => err)).toMatchObject({ seconds: 3000 });
    const links = await h.client.invoke(new Api.messages.GetExportedChatInvites({ peer: peer(h.world, OWNED), adminId: new Api.InputUserSelf(), limit: 10 }));
    expect(links.invites.length).toBeGreaterThan(0);
    clock += 3000;
    expect((await page(h)).importers.length).toBe(1);
  });

  it('survives connections dropped every few messages', async () => {
    h = await startHarness(world());
    h.server.setFaults({ dropConnectionEvery: 3 });
    for (let i = 0; i < 6; i++) expect((await page(h)).count).toBe(1);
    // Dropped messages are never served (so never counted twice); the reconnects show as getMe calls.
    expect(h.server.calls()[METHOD]).toBe(6);
    expect(h.server.calls()['users.getUsers'] ?? 0).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('a revoked session surfaces as AUTH_KEY_UNREGISTERED', async () => {
    h = await startHarness(world());
    expect((await page(h)).count).toBe(1);
    h.server.revokeSessions();
    expect(await rpcError(page(h))).toEqual({ code: 401, message: 'AUTH_KEY_UNREGISTERED' });
  });

  it('revokeSessionAfter N lets N calls through, then AUTH_KEY_UNREGISTERED', async () => {
    h = await startHarness(world());
    h.server.setFaults({ revokeSessionAfter: 2 });
    await page(h);
    await page(h);
    expect((await rpcError(page(h))).message).toBe('AUTH_KEY_UNREGISTERED');
    expect((await rpcError(h.client.invoke(new Api.updates.GetState()))).message).toBe('AUTH_KEY_UNREGISTERED');
  });

  it('delay_ms slows every answer, and scenario faults apply from the start', async () => {
    h = await startHarness(
      world({ faults: { flood_wait: [{ method: METHOD, every: 1, seconds: 120 }], drop_connection_every: null, delay_ms: 150, revoke_session_after: null } }),
    );
    const started = Date.now();
    await h.client.invoke(new Api.updates.GetState());
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(((await page(h).catch((err: unknown) => err)) as errors.FloodWaitError).seconds).toBe(120);
  });

  it('drop_connection_every from the scenario applies from the start', async () => {
    h = await startHarness(world({ faults: { drop_connection_every: 4 } }));
    for (let i = 0; i < 6; i++) expect((await page(h)).count).toBe(1);
    expect(h.server.calls()[METHOD]).toBe(6);
    expect(h.server.calls()['users.getUsers'] ?? 0).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('revoke_session_after from the scenario counts from the start (connect included)', async () => {
    h = await startHarness(world({ faults: { revoke_session_after: 2 } }));
    expect((await page(h)).count).toBe(1); // call 2: help.getConfig at connect was call 1
    expect((await rpcError(page(h))).message).toBe('AUTH_KEY_UNREGISTERED');
  });

  it('deletedLinks: the link answers INVITE_HASH_EXPIRED and is no longer listed; the world keeps it', async () => {
    h = await startHarness(world());
    h.server.setFaults({ deletedLinks: [SPRING] });
    expect((await rpcError(page(h))).message).toBe('INVITE_HASH_EXPIRED');
    const listed = (await h.client.invoke(new Api.messages.GetExportedChatInvites({ peer: peer(h.world, OWNED), adminId: new Api.InputUserSelf(), limit: 100 }))) as Api.messages.ExportedChatInvites;
    expect(listed.invites.map((i) => (i as Api.ChatInviteExported).link)).not.toContain(SPRING);
    expect(h.world.link(SPRING)).toBeDefined();
    h.server.setFaults({ deletedLinks: [] });
    expect((await page(h)).count).toBe(1);
  });

  it('forgetKeysAfter N answers N calls, then the server no longer knows the key (transport error -404)', async () => {
    h = await startHarness(world());
    h.server.setFaults({ forgetKeysAfter: 1 });
    expect((await page(h)).count).toBe(1);
    // A client that connects with the same session now meets -404 at once.
    const error = await openUserbot(
      { TELEGRAM_API_ID: h.server.apiId, TELEGRAM_API_HASH: h.server.apiHash, TELEGRAM_MTPROTO_SERVER: `${h.server.host}:${h.server.port}`, TELEGRAM_SESSION: h.server.session, TELEGRAM_SESSION_FILE: undefined },
      pino({ level: 'silent' }),
      { connectTimeoutMs: 20_000 },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'SessionRevoked', code: 'AUTH_KEY_UNKNOWN' });
  });

  it('two flood_wait entries on one method count independently', async () => {
    h = await startHarness(world());
    h.server.setFaults({ floodWait: [{ method: METHOD, every: 3, seconds: 3600 }, { method: METHOD, every: 100, seconds: 7200 }] });
    await page(h);
    await page(h);
    expect(((await page(h).catch((err: unknown) => err)) as errors.FloodWaitError).seconds).toBe(3600);
  });
});

describe('MTProto faults over HTTP (POST <botApiRoot>/sandbox/faults)', () => {
  let sb: Sandbox | undefined;
  let client: TelegramClient | undefined;
  afterEach(async () => {
    await client?.destroy();
    await sb?.stop();
    client = sb = undefined;
  });
  const post = (body: unknown): Promise<Response> =>
    fetch(`${sb!.botApiRoot}/sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('sets delay, flood wait, dropped connections and revocation at run time, and refuses bad values', async () => {
    sb = await startSandbox({ world: world() });
    client = createTelegramClient({ apiId: sb.apiId, apiHash: sb.apiHash, session: sb.session, server: sb.mtproto });
    await client.connect();
    const x = { client, world: sb.world } as unknown as Harness;

    const bad = await post({ mtproto: { delay_ms: '100', drop_connection_every: 0 } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^mtproto \.(delay_ms|drop_connection_every): /);
    expect((await post({ mtproto: { bogus: 1 } })).status).toBe(400);

    expect((await post({ mtproto: { delay_ms: 200 } })).status).toBe(200);
    let started = Date.now();
    await page(x);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);

    await post({ mtproto: { delay_ms: 0, flood_wait: [{ method: METHOD, every: 1, seconds: 900 }] } });
    expect(((await page(x).catch((err: unknown) => err)) as errors.FloodWaitError).seconds).toBe(900);
    await post({ mtproto: { flood_wait: [] } });
    started = Date.now();
    expect((await page(x)).count).toBe(1);
    expect(Date.now() - started).toBeLessThan(200);

    await post({ mtproto: { drop_connection_every: 2 } });
    for (let i = 0; i < 3; i++) expect((await page(x)).count).toBe(1);
    const calls = (await (await fetch(`${sb.botApiRoot}/sandbox/calls`)).json()) as Record<string, number>;
    expect(calls['users.getUsers'] ?? 0).toBeGreaterThanOrEqual(1);
    expect((await post({ mtproto: { deleted_links: [SPRING.replace('https://t.me/+', 't.me/joinchat/')] } })).status).toBe(200);
    expect((await rpcError(page(x))).message).toBe('INVITE_HASH_EXPIRED');
    await post({ mtproto: { deleted_links: [], forget_keys_after: null } });
    await post({ mtproto: { drop_connection_every: null, revoke_session_after: 0 } });
    expect((await rpcError(page(x))).message).toBe('AUTH_KEY_UNREGISTERED');
  }, 60_000);
});
