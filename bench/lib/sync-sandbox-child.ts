/**
 * The sandbox half of the sync benchmark, run as a child process so that the benchmark's peak RSS is
 * the sync's own. Builds the benchmark world (1 chat, 200 links, 1,000,000 joins with 500,000 on one
 * link, 20,000 pending), starts the MTProto server, prints one JSON line with the connection, then
 * answers JSON-line commands on stdin:
 *   {"cmd":"calls"}              → the per-method call counter since the last "calls" (then reset)
 *   {"cmd":"minimum","kind":"backfill"|"idle"} → the fewest calls a sync of the world as it is could make
 *   {"cmd":"change","share":0.01} → adds share×joins new joins (over the links, half on the hot link)
 *                                   and share×pending new requests; answers the minimum for that cycle
 *   {"cmd":"leave","share":0.01}  → share of every link's members leave; answers how many, on how many
 *                                   links, and the fewest calls that can tell who: one listing of each
 *                                   such link to its empty page (counters only say how many)
 *   {"cmd":"check"}               → every link's current members, for the parent to compare its store with
 * Usage: tsx bench/sync-sandbox-child.ts [joins] [pending] [links]
 */
import { createInterface } from 'node:readline';
import { BENCH_PARAMS, generateWorld, rng } from '../../src/sandbox/generate-scenario.js';
import { startSandbox } from '../../src/sandbox/sandbox.js';
import type { World, WorldLink } from '../../src/sandbox/world.js';

const PAGE = 100;
const MT_CHAT = 1700000001n;
const arg = (i: number, fallback: number): number => (process.argv[i] ? Number(process.argv[i]) : fallback);

const params = { ...BENCH_PARAMS, joins: arg(2, BENCH_PARAMS.joins ?? 0), pending: arg(3, BENCH_PARAMS.pending ?? 0), linksPerChat: arg(4, BENCH_PARAMS.linksPerChat ?? 0) };
const built = Date.now();
const world = generateWorld(params);
const buildMs = Date.now() - built;
const sb = await startSandbox({ world, mtproto: true });
process.stdout.write(`${JSON.stringify({ mtproto: sb.mtproto, session: sb.session, apiId: sb.apiId, apiHash: sb.apiHash, buildMs, params })}\n`);

const pages = (n: number): number => Math.ceil(n / PAGE);

/** getAdminsWithInvites + one getExportedChatInvites page per 100 links, per admin and kind (empty kinds skipped). */
function listingMinimum(w: World): number {
  let n = 1;
  for (const adminId of new Set(w.links(MT_CHAT).map((l) => l.adminId))) {
    for (const revoked of [false, true]) n += pages(w.links(MT_CHAT, { adminId, revoked }).length);
  }
  return n;
}

/** Backfill: every member page of every link, every link's pending list, and the chat-wide pending list whole
 * (public-username requests are seen only there, interleaved with the others). */
function backfillMinimum(w: World): Record<string, number> {
  const links = w.links(MT_CHAT);
  const joins = links.reduce((n, l) => n + pages(w.usage(l.link)), 0);
  const linkPending = links.reduce((n, l) => n + pages(w.requested(l.link)), 0);
  const chatWide = Math.max(1, pages(w.pendingCount(MT_CHAT)));
  return { listing: listingMinimum(w), joins, pending: linkPending + chatWide };
}

let seq = 0;
function change(share: number): Record<string, number> {
  const r = rng(4242 + seq++);
  const links = world.links(MT_CHAT).filter((l) => !l.revoked);
  const members = links.filter((l) => !l.requestNeeded);
  const asking = links.filter((l) => l.requestNeeded);
  const hot = members[0]!;
  const nJoins = Math.round((params.joins ?? 0) * share);
  const nRequests = Math.round((params.pending ?? 0) * share);
  const now = Math.floor(Date.now() / 1000);
  const perLink = new Map<string, number>();
  let nextUser = 50_000_000n + BigInt(seq) * 1_000_000n;
  const add = (l: WorldLink | null, kind: 'join' | 'request', date: number): void => {
    const userId = nextUser++;
    world.addUser({ id: userId, firstName: `New ${userId}` });
    if (kind === 'join') world.addJoin(MT_CHAT, { userId, link: l!.link, date });
    else world.addRequest(MT_CHAT, { userId, link: l?.link ?? null, date });
    const key = `${kind}:${l?.link ?? 'public'}`;
    perLink.set(key, (perLink.get(key) ?? 0) + 1);
  };
  for (let i = 0; i < nJoins; i++) add(i % 2 === 0 ? hot : members[Math.floor(r() * members.length)]!, 'join', now + Math.floor(i / 50));
  for (let i = 0; i < nRequests; i++) add(r() < 0.8 ? asking[Math.floor(r() * asking.length)]! : null, 'request', now + Math.floor(i / 50));
  let joins = 0;
  let linkPending = 0;
  for (const [key, n] of perLink) {
    if (key.startsWith('join:')) joins += pages(n + 1);
    else if (key !== 'request:public') linkPending += pages(n);
  }
  // Under churn a walk down to a mark must see a row at or below it (counters cannot tell "nothing
  // new" from "one left, one came"), so the fewest member pages of a changed link are pages(new + 1),
  // and of the chat-wide pending list pages(new + 1). Naming requests "through the public username"
  // takes one more look at the pending count (a request decided while the links were read would be
  // misnamed); link lists stop at their count.
  const publicRequests = perLink.get('request:public') ?? 0;
  return { listing: listingMinimum(world), joins, pending: linkPending + pages(nRequests + 1) + (publicRequests > 0 ? 1 : 0), newJoins: nJoins, newRequests: nRequests };
}

function leave(share: number): Record<string, number> {
  const r = rng(777 + seq++);
  let left = 0;
  let links = 0;
  let minimum = 0;
  for (const l of world.links(MT_CHAT)) {
    const rows = world.importers(MT_CHAT, { link: l.link, requested: false, offsetDate: 0, offsetUser: 0n, limit: Number.MAX_SAFE_INTEGER }).rows;
    const leaving = rows.filter(() => r() < share).map((row) => row.userId);
    for (const userId of leaving) world.leave(MT_CHAT, userId);
    left += leaving.length;
    if (leaving.length > 0) {
      links++;
      minimum += pages(world.usage(l.link)) + 1;
    }
  }
  return { left, links, minimum };
}

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let answer: unknown;
  try {
    const c = JSON.parse(line) as { cmd: string; kind?: string; share?: number };
    if (c.cmd === 'calls') {
      answer = sb.calls();
      sb.resetCalls();
    } else if (c.cmd === 'minimum') {
      answer = c.kind === 'idle' ? { listing: listingMinimum(world), joins: 0, pending: 1 } : backfillMinimum(world);
    } else if (c.cmd === 'change') {
      answer = change(c.share ?? 0.01);
    } else if (c.cmd === 'leave') {
      answer = leave(c.share ?? 0.01);
    } else if (c.cmd === 'check') {
      answer = Object.fromEntries(world.links(MT_CHAT).map((l) => [l.link, world.usage(l.link)]));
    } else {
      answer = { error: `unknown command ${c.cmd}` };
    }
  } catch (e) {
    answer = { error: String(e) };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
});
rl.on('close', () => void sb.stop().then(() => process.exit(0)));
process.on('SIGTERM', () => void sb.stop().then(() => process.exit(0)));
