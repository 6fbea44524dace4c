import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/sandbox/scenario.js';
import { World, WorldError, type WorldImporter } from '../../src/sandbox/world.js';
import example from '../../scenarios/example.json' with { type: 'json' };
import { pageAll as pageAllOf } from './world-paging.js';

const CHAT = 1700000001n;
const LINK = 'https://t.me/+AbCdEf0123';

function base(): Record<string, unknown> {
  return structuredClone(example) as Record<string, unknown>;
}

function refusal(input: unknown): ScenarioError {
  try {
    World.fromScenario(input);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('scenario was accepted');
}

describe('scenario validation', () => {
  it('loads the example with derived usage and requested counts', () => {
    const w = World.fromScenario(example);
    expect(w.self.id).toBe(7000001n);
    expect(w.chat(CHAT)?.title).toBe('Rust Learners');
    expect(w.usage(LINK)).toBe(1);
    expect(w.requested('https://t.me/+ReQuEsT0456')).toBe(1);
    expect(w.pendingCount(CHAT)).toBe(2);
    expect(w.loginSpec?.code).toBe('12345');
    expect(w.faults.floodWait).toEqual([]);
  });

  it('names the JSON path of a wrong type', () => {
    const s = base();
    (s.chats as { links: { date: unknown }[] }[])[0]!.links[0]!.date = 'yesterday';
    expect(refusal(s).path).toBe('$.chats[0].links[0].date');
  });

  it('names the JSON path of a missing field and of an unknown key', () => {
    const s = base();
    delete (s.self as Record<string, unknown>).first_name;
    expect(refusal(s).path).toBe('$.self.first_name');
    const t = base();
    (t.chats as Record<string, unknown>[])[0]!.owner = 1;
    expect(refusal(t).path).toBe('$.chats[0]');
  });

  it('refuses users referenced but not listed', () => {
    const s = base();
    (s.chats as { requests: { user_id: number }[] }[])[0]!.requests[1]!.user_id = 1234;
    const e = refusal(s);
    expect(e.path).toBe('$.chats[0].requests[1].user_id');
    expect(e.message).toContain('1234');
  });

  it('refuses a join on a link the chat does not have', () => {
    const s = base();
    (s.chats as { joins: { link: string }[] }[])[0]!.joins[0]!.link = 'https://t.me/+Nope';
    expect(refusal(s).path).toBe('$.chats[0].joins[0].link');
  });

  it('parses faults into the MTProto server shape', () => {
    const s = { ...base(), faults: { flood_wait: [{ method: 'messages.getChatInviteImporters', every: 7, seconds: 1 }], drop_connection_every: 50 } };
    const w = World.fromScenario(s);
    expect(w.faults).toEqual({ floodWait: [{ method: 'messages.getChatInviteImporters', every: 7, seconds: 1 }], dropConnectionEvery: 50, delayMs: 0, revokeSessionAfter: null });
  });

  it('accepts 64-bit ids as decimal strings without loss', () => {
    const s = base();
    (s.users as { id: unknown }[]).push({ id: '9223372036854775000', first_name: 'Big' } as never);
    const w = World.fromScenario(s);
    expect(w.user(9223372036854775000n)?.firstName).toBe('Big');
  });
});

function bigWorld(): World {
  const w = World.fromScenario(example);
  // 10,000 joins on one link over only 37 distinct dates: many ties across page boundaries.
  for (let i = 0; i < 10_000; i++) {
    const id = 10_000_000n + BigInt((i * 7919) % 10_000);
    w.addUser({ id, firstName: `U${i}` });
    w.addJoin(CHAT, { userId: id, link: LINK, date: 1767230000 + (i % 37) });
  }
  return w;
}

function pageAll(w: World, limit: number, requested = false, link: string | null = LINK): WorldImporter[] {
  return pageAllOf(w, CHAT, { link, requested, limit });
}

describe('importers pagination', () => {
  it('returns every row exactly once, newest first, over many equal dates', () => {
    const w = bigWorld();
    const rows = pageAll(w, 100);
    expect(rows.length).toBe(10_001);
    expect(new Set(rows.map((r) => r.userId)).size).toBe(10_001);
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1]!;
      const b = rows[i]!;
      expect(a.date > b.date || (a.date === b.date && a.userId > b.userId)).toBe(true);
    }
    expect(w.importers(CHAT, { link: LINK, requested: false, offsetDate: 0, offsetUser: 0n, limit: 1 }).count).toBe(10_001);
  });

  it('a short page size still reaches the end', () => {
    expect(pageAll(bigWorld(), 7).length).toBe(10_001);
  });

  it('lists the chat-wide pending requests and searches them by name', () => {
    const w = World.fromScenario(example);
    expect(pageAll(w, 100, true, null).map((r) => r.userId)).toEqual([9000003n, 9000002n]);
    const found = w.importers(CHAT, { requested: true, q: 'иВАН', offsetDate: 0, offsetUser: 0n, limit: 10 });
    expect(found.count).toBe(1);
    expect(found.rows[0]?.about).toBe('hi');
    expect(() => w.importers(CHAT, { requested: true, link: LINK, q: 'a', offsetDate: 0, offsetUser: 0n, limit: 10 })).toThrow('SEARCH_WITH_LINK_NOT_SUPPORTED');
    expect(() => w.importers(CHAT, { requested: false, link: 'https://t.me/+Unknown', offsetDate: 0, offsetUser: 0n, limit: 10 })).toThrow('INVITE_HASH_EXPIRED');
  });
});

describe('approve and decline', () => {
  it('an approved request becomes a join on its link dated at the approval', () => {
    const w = World.fromScenario(example);
    const events: unknown[] = [];
    w.on('resolved', (...a: unknown[]) => events.push(a));
    w.resolveRequest(CHAT, 9000003n, true, 8000001n, 1767300000);
    const link = 'https://t.me/+ReQuEsT0456';
    expect(w.requested(link)).toBe(0);
    expect(w.usage(link)).toBe(1);
    const join = w.importers(CHAT, { link, requested: false, offsetDate: 0, offsetUser: 0n, limit: 5 }).rows[0];
    expect(join).toMatchObject({ userId: 9000003n, date: 1767300000, approvedBy: 8000001n, requested: false });
    expect(events).toEqual([[CHAT, 9000003n, true, 8000001n]]);
    expect(() => w.resolveRequest(CHAT, 9000003n, true, 8000001n)).toThrow(WorldError);
  });

  it('membership follows joins: a pending requester is not a member until approved', () => {
    const w = World.fromScenario(example);
    expect(w.chatsOf(9000001n).map((c) => c.id)).toEqual([CHAT]);
    expect(w.chatsOf(7000001n).map((c) => c.id)).toEqual([CHAT]);
    expect(w.isMember(CHAT, 9000002n)).toBe(false);
    w.resolveRequest(CHAT, 9000002n, true, 7000001n);
    expect(w.isMember(CHAT, 9000002n)).toBe(true);
    expect(w.isMember(CHAT, 9000004n)).toBe(false);
  });

  it('a declined request disappears without a join', () => {
    const w = World.fromScenario(example);
    w.resolveRequest(CHAT, 9000002n, false, 7000001n);
    expect(w.pendingCount(CHAT)).toBe(1);
    expect(w.importers(CHAT, { requested: false, offsetDate: 0, offsetUser: 0n, limit: 10 }).count).toBe(1);
  });
});

describe('links and hashes', () => {
  it('lists links newest first and finds them in any form', () => {
    const w = World.fromScenario(example);
    expect(w.links(CHAT).map((l) => l.hash)).toEqual(['ReQuEsT0456', 'AbCdEf0123']);
    expect(w.link('t.me/joinchat/AbCdEf0123')?.title).toBe('Spring ads');
    const made = w.createLink(CHAT, { adminId: 7000001n, title: 'new' });
    expect(made.link).toMatch(/^https:\/\/t\.me\/\+sbx/);
    w.revokeLink(made.link);
    expect(w.links(CHAT, { revoked: true }).map((l) => l.link)).toEqual([made.link]);
  });

  it('derives access hashes deterministically', () => {
    const a = World.fromScenario(example);
    const b = World.fromScenario(example);
    expect(a.user(9000001n)?.accessHash).toBe(b.user(9000001n)?.accessHash);
    expect(a.chat(CHAT)?.accessHash).toBe(b.chat(CHAT)?.accessHash);
    expect(a.user(9000001n)?.accessHash).not.toBe(a.user(9000002n)?.accessHash);
  });
});
