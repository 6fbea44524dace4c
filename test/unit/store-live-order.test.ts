/**
 * A seeded model check of store.live's merge rules: a random history of one chat (joins through
 * links or none, leaves, removals, re-joins, requests, approvals) is reported as live facts, each
 * delivered once or twice, in a random order (several sources interleaving, late updates). Whatever
 * the order, the stays equal the history's and every request is one row with the right outcome.
 * A failure names its seed: `LIVE_SEED=123 npx vitest run test/unit/store-live-order.test.ts` (`LIVE_TRACE=1`
 * prints the deliveries; `LIVE_SEEDS=5000` runs more).
 */
import { describe, expect, it } from 'vitest';
import { rng } from '../../src/sandbox/generate-scenario.js';
import type { LiveJoinFact, LiveLeaveFact, LiveRequestFact, Store } from '../../src/store/index.js';
import { CHAT, storeWithLink, user } from './store-fixtures.js';

const LINKS = ['https://t.me/+AAAAaaaa', 'https://t.me/+BBBBbbbbCCCC', 'https://t.me/+DDDDddddEEEE'];
const PEOPLE = [1n, 2n, 3n, 4n, 5n];

type Fact = { kind: 'request'; fact: LiveRequestFact } | { kind: 'join'; fact: LiveJoinFact } | { kind: 'leave'; fact: LiveLeaveFact };
interface Stay { userId: bigint; date: number; link: string | null; approvedBy: bigint | null; leftAt: number | null; how: 'left' | 'kicked' | null }
interface Ask { userId: bigint; date: number; link: string | null; outcome: 'pending' | 'approved' | 'declined'; by: bigint | null }

function history(random: () => number, steps: number): { facts: Fact[]; stays: Stay[]; asks: Ask[] } {
  const facts: Fact[] = [];
  const stays: Stay[] = [];
  const asks: Ask[] = [];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  // Links as the bot sees them: ours whole, the others cut (the creator tells them apart).
  const shown = (link: string | null) => (link === null ? null : link === LINKS[0] ? { shown: link } : { shown: `${link.slice(0, 18)}...`, creatorId: link === LINKS[1] ? 42n : 43n });
  let date = 1000;
  for (let i = 0; i < steps; i++) {
    date += 1 + Math.floor(random() * 3);
    const userId = pick(PEOPLE);
    const open = stays.find((s) => s.userId === userId && s.leftAt === null);
    const asking = asks.find((a) => a.userId === userId && a.outcome === 'pending');
    if (open) {
      open.leftAt = date;
      open.how = random() < 0.3 ? 'kicked' : 'left';
      facts.push({ kind: 'leave', fact: { userId, date, how: open.how, source: 'bot' } });
    } else if (asking && random() < 0.7) {
      const approve = random() < 0.6;
      asking.outcome = approve ? 'approved' : 'declined';
      if (!approve) continue; // a decline reaches no live source
      asking.by = pick([42n, 43n]);
      stays.push({ userId, date, link: asking.link, approvedBy: asking.by, leftAt: null, how: null });
      facts.push({ kind: 'join', fact: { userId, date, link: shown(asking.link), approvedBy: asking.by, source: 'bot' } });
    } else if (random() < 0.5) {
      if (asking) asking.outcome = 'declined'; // asked again: the first one is over (withdrawn)
      const link = random() < 0.3 ? null : pick(LINKS);
      asks.push({ userId, date, link, outcome: 'pending', by: null });
      facts.push({ kind: 'request', fact: { userId, date, link: shown(link), source: 'bot' } });
    } else {
      if (asking) asking.outcome = 'declined'; // joined otherwise: nothing left to decide
      const link = random() < 0.2 ? null : pick(LINKS);
      stays.push({ userId, date, link, approvedBy: null, leftAt: null, how: null });
      facts.push({ kind: 'join', fact: { userId, date, link: shown(link), source: 'bot' } });
    }
  }
  return { facts, stays, asks };
}

function deliver(store: Store, random: () => number, facts: readonly Fact[]): void {
  // Each fact once or twice, in any order.
  const copies = facts.flatMap((f) => (random() < 0.3 ? [f, f] : [f]));
  for (let i = copies.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copies[i], copies[j]] = [copies[j]!, copies[i]!];
  }
  if (process.env.LIVE_TRACE) for (const c of copies) console.log(c.kind, String(c.fact.userId), c.fact.date, JSON.stringify(c.fact, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
  for (const c of copies) {
    if (c.kind === 'request') store.live.request(CHAT, c.fact, 5000);
    else if (c.kind === 'join') store.live.join(CHAT, c.fact, 5000);
    else store.live.leave(CHAT, c.fact, 5000);
  }
}

function check(seed: number): void {
  const random = rng(seed);
  const store = storeWithLink(LINKS[0]);
  try {
    store.links.upsert(CHAT, { link: LINKS[1]!, adminId: 42n, date: 1000 }, 1000);
    store.links.upsert(CHAT, { link: LINKS[2]!, adminId: 43n, date: 1000 }, 1000);
    store.users.upsertMany(PEOPLE.map((id) => user(id)), 1000);
    const h = history(random, 40);
    deliver(store, random, h.facts);
    const sort = <T extends { userId: bigint; date: number }>(xs: T[]) => xs.sort((a, b) => (a.userId === b.userId ? a.date - b.date : a.userId < b.userId ? -1 : 1));
    const stored = sort(PEOPLE.flatMap((p) => store.joins.ofUser(CHAT, p)))
      .map((j) => ({ userId: j.userId, date: j.date, link: j.link, approvedBy: j.approvedBy, leftAt: j.leftAt, how: j.leftHow }));
    expect(stored, `seed ${seed}: stays`).toEqual(sort(h.stays.map((s) => ({ ...s }))));
    const rows = store.db.prepare('SELECT user_id, date, link, status, decided_by FROM join_requests ORDER BY user_id, date').all() as Record<string, bigint>[];
    expect(new Set(rows.map((r) => `${r.user_id}@${r.date}`)).size, `seed ${seed}: one row per request`).toBe(rows.length);
    for (const a of h.asks) {
      const row = rows.find((r) => r.user_id === a.userId && Number(r.date) === a.date);
      const what = `seed ${seed}: request of ${a.userId} at ${a.date} (${a.outcome})`;
      if (a.outcome === 'approved') expect(row && [row.status, row.decided_by, row.link], what).toEqual(['approved', a.by, a.link]);
      else if (a.outcome === 'pending') expect(row && [row.status, row.link], what).toEqual(['pending', a.link]);
      // A decline reaches no live source: at most it shows as over once something later did.
      else if (row) expect(['pending', 'gone', 'approved'], what).toContain(row.status);
    }
  } finally {
    store.close();
  }
}

describe('store.live under any order of delivery (seeded model check)', () => {
  const only = process.env.LIVE_SEED;
  const seeds = only ? [Number(only)] : Array.from({ length: Number(process.env.LIVE_SEEDS ?? 200) }, (_, i) => i + 1);
  // In batches, so that each test stays far inside the timeout on a busy machine.
  const batches = Array.from({ length: Math.ceil(seeds.length / 50) }, (_, i) => seeds.slice(i * 50, i * 50 + 50));
  it.each(batches.map((b) => [b[0], b[b.length - 1], b] as const))(
    'seeds %i to %i: each fact once or twice, in random order, and the store equals the history',
    (_first, _last, batch) => {
      for (const seed of batch) check(seed);
    },
  );
});
