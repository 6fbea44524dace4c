/**
 * Paging importers through the real GramJS client: every row exactly once across pages whose
 * boundaries fall inside runs of equal dates, newest first by (date, user), count = total, and a
 * server that caps pages lower than asked still reaches the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { World } from '../../src/sandbox/world.js';
import { baseScenario, importersPage, OWNED, pageAll, peer, startHarness, type Harness } from './sandbox-mtproto-fixture.js';

const BIG_LINK = 'https://t.me/+BigLink0001';
const SHORT_LINK = 'https://t.me/+ShortLink01';
const N = 10_000;
const BASE = 1767500000;

function bigWorld(): World {
  const world = World.fromScenario(baseScenario());
  world.createLink(OWNED, { link: BIG_LINK, adminId: 7000001n, date: BASE - 10 });
  world.createLink(OWNED, { link: SHORT_LINK, adminId: 7000001n, date: BASE - 10 });
  // 37 joins per second: runs of equal dates straddle every 100-row page boundary.
  // Inserted in a shuffled order so the server cannot rely on insertion order.
  const ids = Array.from({ length: N }, (_, i) => i);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [ids[i], ids[j]] = [ids[j] as number, ids[i] as number];
  }
  for (const i of ids) {
    const userId = 20_000_000n + BigInt(i);
    world.addUser({ id: userId, firstName: `U${i}` });
    world.addJoin(OWNED, { userId, link: BIG_LINK, date: BASE + Math.floor(i / 37) });
    if (i >= 500) continue;
    // A member is in the chat once: the short link's joiners are other people.
    const other = 30_000_000n + BigInt(i);
    world.addUser({ id: other, firstName: `S${i}` });
    world.addJoin(OWNED, { userId: other, link: SHORT_LINK, date: BASE + Math.floor(i / 9) });
  }
  return world;
}

describe('sandbox MTProto: importer pagination', () => {
  let h: Harness;
  let shortH: Harness;
  beforeAll(async () => {
    const world = bigWorld();
    h = await startHarness(world);
    shortH = await startHarness(world, { maxPageSize: 7 });
  });
  afterAll(async () => {
    await h?.stop();
    await shortH?.stop();
  });

  it('returns every one of 10,000 importers exactly once, newest first, with count = total', async () => {
    const { rows, pages, counts } = await pageAll(h.client, { peer: peer(h.world, OWNED), link: BIG_LINK });
    expect(rows).toHaveLength(N);
    expect(new Set(rows.map((r) => r.userId.toString())).size).toBe(N);
    expect(pages).toBe(N / 100 + 1); // full pages, then the empty page that ends it
    expect(new Set(counts)).toEqual(new Set([N]));
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1]!;
      const b = rows[i]!;
      const ordered = a.date > b.date || (a.date === b.date && a.userId.greater(b.userId));
      expect(ordered, `row ${i} out of order`).toBe(true);
    }
    expect(rows.every((r) => !r.requested && r.date >= BASE)).toBe(true);
    expect(h.server.calls()['messages.getChatInviteImporters']).toBe(pages);
  });

  it('caps a page at maxPageSize and a short page is not the end', async () => {
    const { rows, pages } = await pageAll(shortH.client, { peer: peer(shortH.world, OWNED), link: SHORT_LINK, limit: 100 });
    expect(rows).toHaveLength(500);
    expect(new Set(rows.map((r) => r.userId.toString())).size).toBe(500);
    expect(pages).toBe(Math.ceil(500 / 7) + 1);
  });

  it('never returns more than 100 rows even when asked for more', async () => {
    const page = await importersPage(h.client, { peer: peer(h.world, OWNED), link: BIG_LINK, limit: 500 });
    expect(page.importers).toHaveLength(100);
    expect(page.count).toBe(N);
  });

  it('sends large results gzip_packed and GramJS still reads them', async () => {
    const g = await startHarness(h.world, { gzipThreshold: 256 });
    try {
      const { rows } = await pageAll(g.client, { peer: peer(g.world, OWNED), link: SHORT_LINK });
      expect(rows).toHaveLength(500);
    } finally {
      await g.stop();
    }
  });
});
