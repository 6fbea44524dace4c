/**
 * A few model-check seeds through the real path: the product's GramJS adapter and real GramJS,
 * against the sandbox MTProto server serving the seed's world (test/sim runs hundreds in process).
 * The same operations, faults, kills and oracle; a failure prints the seed and its trace.
 */
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/sandbox.js';
import type { World } from '../../src/sandbox/world.js';
import { createTelegramClient } from '../../src/telegram/client.js';
import { GramJsInviteSource } from '../../src/telegram/invite-source.js';
import { runSeed, type Transport } from '../sim/run-seed.js';

const SEEDS = [1, 2, 3, 4, 5, 6];

async function gramjs(world: World, pageCap: number): Promise<Transport> {
  const sb = await startSandbox({ world, maxPageSize: pageCap });
  const client = createTelegramClient({ apiId: sb.apiId, apiHash: sb.apiHash, session: sb.session, server: sb.mtproto });
  await client.connect();
  return {
    source: () => new GramJsInviteSource(client),
    close: async () => {
      await client.destroy().catch(() => undefined);
      await sb.stop();
    },
  };
}

describe('model check through real GramJS and the sandbox MTProto server', () => {
  it.each(SEEDS)('seed %i', async (seed) => {
    const result = await runSeed(seed, { connect: gramjs });
    const report = [`seed ${seed} (replay in process: npm run test:sim -- --seed ${seed})`, ...result.violations.map((v) => `${v.kind}: ${v.detail}`), ...result.trace];
    expect(result.violations, report.join('\n')).toEqual([]);
    expect(result.calls).toBeGreaterThan(100);
  }, 120_000);
});
