/**
 * The sandbox's live side through the real GramJS client: updatePendingJoinRequests pushed to a
 * signed-in admin with invite rights when a request arrives or is resolved (read with a Raw event
 * handler, as the product does), and channels.getAdminLog as telegram-semantics.md says: 48 hours,
 * newest first, ≤ 100 per call, max_id/min_id, filters, the actor as user_id, other admins' links
 * cut with "..." for a non-owner, and the documented errors.
 */
import { Api } from 'telegram';
import { Raw } from 'telegram/events/index.js';
import { returnBigInt } from 'telegram/Helpers.js';
import { afterEach, describe, expect, it } from 'vitest';
import { World } from '../../src/sandbox/world.js';
import {
  ADMINED, baseScenario, FOREIGN, MEMBER_ONLY, MINE_IN_B, OTHER_ADMIN, OWNED, rpcError, SELF, SPRING, startHarness, THEIRS_IN_B, type Harness,
} from './sandbox-mtproto-fixture.js';

const NOW = 1767900000;
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function harness(): Promise<Harness> {
  const world = World.fromScenario(baseScenario());
  world.setClock(() => NOW);
  h = await startHarness(world);
  return h;
}

function channel(world: World, chatId: bigint): Api.InputChannel {
  const chat = world.chat(chatId)!;
  return new Api.InputChannel({ channelId: returnBigInt(chat.id), accessHash: returnBigInt(chat.accessHash) });
}

function adminLog(hh: Harness, chatId: bigint, o: { maxId?: bigint; minId?: bigint; limit?: number; filter?: Api.ChannelAdminLogEventsFilter } = {}) {
  return hh.client.invoke(
    new Api.channels.GetAdminLog({
      channel: channel(hh.world, chatId),
      q: '',
      ...(o.filter ? { eventsFilter: o.filter } : {}),
      maxId: returnBigInt(o.maxId ?? 0n),
      minId: returnBigInt(o.minId ?? 0n),
      limit: o.limit ?? 100,
    }),
  );
}

const LIVE_FILTER = () => new Api.ChannelAdminLogEventsFilter({ join: true, leave: true, kick: true, invites: true });

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('sandbox MTProto: updatePendingJoinRequests pushes', () => {
  it('reaches a Raw handler of a signed-in admin with invite rights, for a new request and for a decision', async () => {
    const hh = await harness();
    const seen: { chat: string; pending: number }[] = [];
    hh.client.addEventHandler((u: Api.UpdatePendingJoinRequests) => {
      seen.push({ chat: (u.peer as Api.PeerChannel).channelId.toString(), pending: u.requestsPending });
    }, new Raw({ types: [Api.UpdatePendingJoinRequests] }));
    await hh.client.getMe(); // the client has spoken: the server knows its session
    hh.world.addUser({ id: 9100001n, firstName: 'New' });
    hh.world.addRequest(OWNED, { userId: 9100001n, link: SPRING });
    await until(() => seen.length === 1);
    expect(seen[0]).toEqual({ chat: String(OWNED), pending: 3 });
    hh.world.resolveRequest(OWNED, 9100001n, false, OTHER_ADMIN);
    await until(() => seen.length === 2);
    expect(seen[1]!.pending).toBe(2);
    // A chat where self is only a member: no push.
    hh.world.addUser({ id: 9100002n, firstName: 'Other' });
    hh.world.addRequest(MEMBER_ONLY, { userId: 9100002n, link: null });
    hh.world.addRequest(OWNED, { userId: 9100002n, link: null });
    await until(() => seen.length === 3);
    expect(seen.map((s) => s.chat)).toEqual([String(OWNED), String(OWNED), String(OWNED)]);
    expect(hh.server.pushes()).toBe(3);
  });
});

describe('sandbox MTProto: channels.getAdminLog', () => {
  it('newest first with the actor as user_id: joins by link and by request (the username as chatInvitePublicJoinRequests), leaves, removals, link changes', async () => {
    const hh = await harness();
    const w = hh.world;
    w.addUser({ id: 9100001n, firstName: 'Eve' });
    w.addJoin(OWNED, { userId: 9100001n, link: SPRING, date: NOW - 100, viaChatlist: true });
    w.resolveRequest(OWNED, 9000002n, true, OTHER_ADMIN, NOW - 90); // through the username
    w.resolveRequest(OWNED, 9000003n, true, SELF, NOW - 80); // through SPRING
    w.leave(OWNED, 9100001n, { date: NOW - 70 });
    w.leave(OWNED, 9000001n, { date: NOW - 60, kicked: true });
    w.editLink(SPRING, { title: 'Summer ads' });
    w.revokeLink(SPRING);
    w.deleteLink(SPRING);
    const res = await adminLog(hh, OWNED, { filter: LIVE_FILTER() });
    const kinds = res.events.map((e) => e.action.className);
    expect(kinds).toEqual([
      'ChannelAdminLogEventActionExportedInviteDelete',
      'ChannelAdminLogEventActionExportedInviteRevoke',
      'ChannelAdminLogEventActionExportedInviteEdit',
      'ChannelAdminLogEventActionParticipantToggleBan',
      'ChannelAdminLogEventActionParticipantLeave',
      'ChannelAdminLogEventActionParticipantJoinByRequest',
      'ChannelAdminLogEventActionParticipantJoinByRequest',
      'ChannelAdminLogEventActionParticipantJoinByInvite',
    ]);
    const ids = res.events.map((e) => BigInt(e.id.toString()));
    expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids);
    const byInvite = res.events[7]!;
    expect(byInvite.userId.toString()).toBe('9100001');
    const join = byInvite.action as Api.ChannelAdminLogEventActionParticipantJoinByInvite;
    expect(join.viaChatlist).toBe(true);
    expect((join.invite as Api.ChatInviteExported).link).toBe(SPRING);
    const viaUsername = res.events[6]!.action as Api.ChannelAdminLogEventActionParticipantJoinByRequest;
    expect(viaUsername.invite).toBeInstanceOf(Api.ChatInvitePublicJoinRequests);
    expect(viaUsername.approvedBy.toString()).toBe(String(OTHER_ADMIN));
    const kick = res.events[3]!;
    expect(kick.userId.toString()).toBe(String(SELF)); // the owner removed them
    const banned = (kick.action as Api.ChannelAdminLogEventActionParticipantToggleBan).newParticipant as Api.ChannelParticipantBanned;
    expect((banned.peer as Api.PeerUser).userId.toString()).toBe('9000001');
    expect(res.users.map((u) => u.id.toString())).toEqual(expect.arrayContaining(['9100001', '9000002', String(OTHER_ADMIN)]));
    // Filters: leaves only.
    const leaves = await adminLog(hh, OWNED, { filter: new Api.ChannelAdminLogEventsFilter({ leave: true }) });
    expect(leaves.events.map((e) => e.userId.toString())).toEqual(['9100001']);
  });

  it('pages by max_id, asks for newer with min_id, caps at 100 and keeps 48 hours', async () => {
    const hh = await harness();
    const w = hh.world;
    let clock = NOW;
    w.setClock(() => clock);
    for (let i = 0; i < 250; i++) {
      w.addUser({ id: 9200000n + BigInt(i), firstName: `U${i}` });
      w.addJoin(OWNED, { userId: 9200000n + BigInt(i), link: SPRING, date: NOW - 1000 + i });
    }
    const first = await adminLog(hh, OWNED, { limit: 500 });
    expect(first.events).toHaveLength(100);
    const smallest = BigInt(first.events.at(-1)!.id.toString());
    const second = await adminLog(hh, OWNED, { maxId: smallest });
    expect(BigInt(second.events[0]!.id.toString())).toBeLessThan(smallest);
    const newest = BigInt(first.events[0]!.id.toString());
    expect((await adminLog(hh, OWNED, { minId: newest })).events).toHaveLength(0);
    w.addUser({ id: 9300000n, firstName: 'Late' });
    w.addJoin(OWNED, { userId: 9300000n, link: SPRING });
    const newer = await adminLog(hh, OWNED, { minId: newest });
    expect(newer.events.map((e) => e.userId.toString())).toEqual(['9300000']);
    clock = NOW + 48 * 3600 + 10; // the 250 joins left the window; the late one (dated NOW) is at its edge
    expect((await adminLog(hh, OWNED)).events).toHaveLength(0);
    expect((await rpcError(adminLog(hh, OWNED, { minId: -1n }))).message).toBe('MSG_ID_INVALID');
  });

  it("cuts other admins' links for a non-owner, shows its own whole; refuses non-admins and strangers", async () => {
    const hh = await harness();
    const w = hh.world;
    w.addUser({ id: 9100001n, firstName: 'Eve' });
    w.addUser({ id: 9100002n, firstName: 'Fay' });
    w.addJoin(ADMINED, { userId: 9100001n, link: THEIRS_IN_B });
    w.addJoin(ADMINED, { userId: 9100002n, link: MINE_IN_B });
    const res = await adminLog(hh, ADMINED, { filter: LIVE_FILTER() });
    const links = res.events.map((e) => ((e.action as Api.ChannelAdminLogEventActionParticipantJoinByInvite).invite as Api.ChatInviteExported).link);
    expect(links[0]).toBe(MINE_IN_B);
    expect(links[1]).toBe('https://t.me/+Other...');
    expect(THEIRS_IN_B.startsWith(links[1]!.slice(0, -3))).toBe(true);
    expect((await rpcError(adminLog(hh, MEMBER_ONLY))).message).toBe('CHAT_ADMIN_REQUIRED');
    expect((await rpcError(adminLog(hh, FOREIGN))).message).toBe('CHANNEL_PRIVATE');
  });
});
