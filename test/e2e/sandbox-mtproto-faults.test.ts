/**
 * Faults through the real GramJS client: FLOOD_WAIT_1 is slept through inside invoke, a dropped
 * connection is survived (GramJS reconnects and resends), a revoked session surfaces as
 * AUTH_KEY_UNREGISTERED, slow answers are slow, and faults can come from the scenario file.
 */
import { Api, errors } from 'telegram';
import { afterEach, describe, expect, it } from 'vitest';
import { World } from '../../src/sandbox/world.js';
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
});
