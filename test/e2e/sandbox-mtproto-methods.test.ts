/**
 * Every served method through the real GramJS client, and every documented error of
 * telegram-semantics.md: who may see which links, search rules, unknown links, approve/decline
 * moving the world, and an rpc_error (never silence) for methods the sandbox does not serve.
 */
import { Api } from 'telegram';
import { returnBigInt } from 'telegram/Helpers.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { World } from '../../src/sandbox/world.js';
import {
  ADMINED, baseScenario, FOREIGN, importersPage, inputUser, MEMBER_ONLY, MINE_IN_B, OLD, OTHER_ADMIN, OWNED, pageAll, peer,
  rpcError, SELF, sessionUserId, SPRING, startHarness, THEIRS_IN_B, type Harness,
} from './sandbox-mtproto-fixture.js';

const NOW = 1767900000;
let h: Harness;

beforeEach(async () => {
  const world = World.fromScenario(baseScenario());
  world.setClock(() => NOW);
  h = await startHarness(world);
});
afterEach(async () => {
  await h.stop();
});

describe('sandbox MTProto: accounts and chats', () => {
  it('getMe, getUsers, getFullUser and resolveUsername carry world access hashes', async () => {
    const me = (await h.client.getMe()) as Api.User;
    expect(me.id.toString()).toBe(SELF.toString());
    expect(me.self).toBe(true);
    const [ann] = (await h.client.invoke(new Api.users.GetUsers({ id: [inputUser(h.world, 9000001n)] }))) as Api.User[];
    expect(ann?.accessHash?.toString()).toBe(h.world.user(9000001n)!.accessHash.toString());
    const full = await h.client.invoke(new Api.users.GetFullUser({ id: inputUser(h.world, 9000001n) }));
    expect(full.fullUser.id.toString()).toBe('9000001');
    const resolved = await h.client.invoke(new Api.contacts.ResolveUsername({ username: 'news_b' }));
    expect((resolved.chats[0] as Api.Channel).accessHash?.toString()).toBe(h.world.chat(ADMINED)!.accessHash.toString());
    expect((await rpcError(h.client.invoke(new Api.contacts.ResolveUsername({ username: 'nobody_here' })))).message).toBe('USERNAME_NOT_OCCUPIED');
    const bad = new Api.InputUser({ userId: returnBigInt(9000001n), accessHash: returnBigInt(1n) });
    expect((await rpcError(h.client.invoke(new Api.users.GetFullUser({ id: bad })))).message).toBe('USER_ID_INVALID');
  });

  it('getDialogs lists the chats self is in, with access hashes usable as peers', async () => {
    const dialogs = await h.client.getDialogs({});
    expect([...dialogs].map((d) => d.title).sort()).toEqual(['Just Member', 'News B', 'Rust Learners']);
    const owned = dialogs.find((d) => d.title === 'Rust Learners')!;
    const page = await importersPage(h.client, { peer: owned.inputEntity as Api.InputPeerChannel, link: SPRING });
    expect(page.importers.map((i) => i.userId.toString())).toEqual(['9000001']);
    const state = await h.client.invoke(new Api.updates.GetState());
    expect(state.date).toBe(NOW);
  });

  it('getDialogs pages by (top message date, id, peer): 250 chats sharing one date are all reached', async () => {
    for (let i = 0; i < 250; i++) {
      h.world.addChat({ id: 1800000000n + BigInt(i), type: 'supergroup', title: `Many ${i}`, ownerId: OTHER_ADMIN, admins: [OTHER_ADMIN, SELF] });
    }
    h.server.resetCalls();
    const dialogs = await h.client.getDialogs({});
    expect(dialogs.length).toBe(253);
    expect(new Set([...dialogs].map((d) => d.id?.toString())).size).toBe(253);
    expect(h.server.calls()['messages.getDialogs']).toBe(3);
  });

  it('getChannels, getChats and getFullChannel (requests_pending for admins)', async () => {
    const chat = h.world.chat(OWNED)!;
    const input = new Api.InputChannel({ channelId: returnBigInt(chat.id), accessHash: returnBigInt(chat.accessHash) });
    const chats = await h.client.invoke(new Api.channels.GetChannels({ id: [input] }));
    expect((chats.chats[0] as Api.Channel).creator).toBe(true);
    expect((chats.chats[0] as Api.Channel).megagroup).toBe(true);
    const byId = await h.client.invoke(new Api.messages.GetChats({ id: [returnBigInt(OWNED)] }));
    expect(byId.chats).toHaveLength(1);
    const full = await h.client.invoke(new Api.channels.GetFullChannel({ channel: input }));
    const fc = full.fullChat as Api.ChannelFull;
    expect(fc.requestsPending).toBe(2);
    expect(fc.recentRequesters?.map(String)).toEqual(['9000003', '9000002']);
    const wrongHash = new Api.InputChannel({ channelId: returnBigInt(chat.id), accessHash: returnBigInt(42n) });
    expect((await rpcError(h.client.invoke(new Api.channels.GetChannels({ id: [wrongHash] })))).message).toBe('CHANNEL_INVALID');
    const foreign = h.world.chat(FOREIGN)!;
    const foreignInput = new Api.InputChannel({ channelId: returnBigInt(foreign.id), accessHash: returnBigInt(foreign.accessHash) });
    expect((await rpcError(h.client.invoke(new Api.channels.GetFullChannel({ channel: foreignInput })))).message).toBe('CHANNEL_PRIVATE');
  });

  it('a session from an earlier run of the same scenario still works after a restart', async () => {
    const first = await startHarness(World.fromScenario(baseScenario()), { connect: false });
    const oldSession = first.server.session;
    await first.stop();
    expect(await sessionUserId({ apiId: h.server.apiId, apiHash: h.server.apiHash, session: oldSession, server: `127.0.0.1:${h.server.port}` })).toBe(SELF);
  });

  it('answers ping_delay_disconnect with a pong for its ping id', async () => {
    const pong = await h.client.invoke(new Api.PingDelayDisconnect({ pingId: returnBigInt(4242n), disconnectDelay: 60 }));
    expect(pong).toBeInstanceOf(Api.Pong);
    expect((pong as Api.Pong).pingId.toString()).toBe('4242');
  });

  it('answers an rpc_error, never silence, for a method the sandbox does not serve', async () => {
    const e = await rpcError(h.client.invoke(new Api.messages.GetStickers({ emoticon: 'x', hash: returnBigInt(0) })));
    expect(e).toEqual({ code: 400, message: 'SANDBOX_METHOD_UNSUPPORTED' });
    expect(h.server.calls()['messages.getStickers']).toBe(1);
  });
});

describe('sandbox MTProto: invite links', () => {
  it('checkChatInvite: already in, expired when revoked, invalid when unknown', async () => {
    const already = await h.client.invoke(new Api.messages.CheckChatInvite({ hash: 'AbCdEf0123' }));
    expect(already).toBeInstanceOf(Api.ChatInviteAlready);
    expect((await rpcError(h.client.invoke(new Api.messages.CheckChatInvite({ hash: 'Revoked000' })))).message).toBe('INVITE_HASH_EXPIRED');
    expect((await rpcError(h.client.invoke(new Api.messages.CheckChatInvite({ hash: 'NoSuchHash' })))).message).toBe('INVITE_HASH_INVALID');
  });

  it('getExportedChatInvites: active vs revoked, derived usage/requested, exclusive cursor', async () => {
    for (let i = 0; i < 5; i++) h.world.createLink(OWNED, { adminId: SELF, date: 1767600000, title: `L${i}` });
    const ask = (o: Partial<{ revoked: boolean; offsetDate: number; offsetLink: string; limit: number }>) =>
      h.client.invoke(new Api.messages.GetExportedChatInvites({ peer: peer(h.world, OWNED), adminId: new Api.InputUserSelf(), limit: 3, ...o }));
    const seen: string[] = [];
    let page = await ask({});
    expect(page.count).toBe(6);
    while (page.invites.length > 0) {
      const invites = page.invites as Api.ChatInviteExported[];
      seen.push(...invites.map((i) => i.link));
      const last = invites[invites.length - 1]!;
      page = await ask({ offsetDate: last.date, offsetLink: last.link });
    }
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect(seen[5]).toBe(SPRING); // oldest active link last
    const spring = (await ask({ limit: 10 })).invites.find((i) => (i as Api.ChatInviteExported).link === SPRING) as Api.ChatInviteExported;
    expect([spring.usage, spring.requested, spring.title]).toEqual([1, 1, 'Spring ads']);
    const revoked = await ask({ revoked: true });
    expect((revoked.invites as Api.ChatInviteExported[]).map((i) => [i.link, i.revoked])).toEqual([[OLD, true]]);
  });

  it('a non-owner admin sees only its own links; getAdminsWithInvites is owner-only', async () => {
    const b = peer(h.world, ADMINED);
    const mine = await h.client.invoke(new Api.messages.GetExportedChatInvites({ peer: b, adminId: new Api.InputUserSelf(), limit: 10 }));
    expect((mine.invites as Api.ChatInviteExported[]).map((i) => i.link)).toEqual([MINE_IN_B]);
    const theirs = h.client.invoke(new Api.messages.GetExportedChatInvites({ peer: b, adminId: inputUser(h.world, OTHER_ADMIN), limit: 10 }));
    expect((await rpcError(theirs)).message).toBe('CHAT_ADMIN_REQUIRED');
    expect((await rpcError(importersPage(h.client, { peer: b, link: THEIRS_IN_B }))).message).toBe('CHAT_ADMIN_REQUIRED');
    expect((await importersPage(h.client, { peer: b, link: MINE_IN_B })).count).toBe(0);
    expect((await rpcError(h.client.invoke(new Api.messages.GetAdminsWithInvites({ peer: b })))).message).toBe('CHAT_ADMIN_REQUIRED');
    const owned = await h.client.invoke(new Api.messages.GetAdminsWithInvites({ peer: peer(h.world, OWNED) }));
    expect(owned.admins.map((a) => [a.adminId.toString(), a.invitesCount, a.revokedInvitesCount])).toEqual([[SELF.toString(), 1, 1]]);
  });
});

describe('sandbox MTProto: importers and their errors', () => {
  it('lists a revoked link, all pending requests, a link\'s requests, and searches requests by name', async () => {
    const p = peer(h.world, OWNED);
    expect((await importersPage(h.client, { peer: p, link: OLD })).importers.map((i) => i.userId.toString())).toEqual(['9000004']);
    const pending = await importersPage(h.client, { peer: p, requested: true });
    expect(pending.importers.map((i) => [i.userId.toString(), i.requested, i.about ?? null])).toEqual([
      ['9000003', true, null],
      ['9000002', true, 'hi'],
    ]);
    expect((await importersPage(h.client, { peer: p, requested: true, link: SPRING })).importers.map((i) => i.userId.toString())).toEqual(['9000003']);
    const found = await importersPage(h.client, { peer: p, requested: true, q: 'sto' });
    expect([found.count, found.importers.map((i) => i.userId.toString())]).toEqual([1, ['9000002']]);
  });

  it('refuses q with a link or without requested, unknown links, and callers without rights', async () => {
    const p = peer(h.world, OWNED);
    expect((await rpcError(importersPage(h.client, { peer: p, requested: true, link: SPRING, q: 'a' }))).message).toBe('SEARCH_WITH_LINK_NOT_SUPPORTED');
    expect((await rpcError(importersPage(h.client, { peer: p, link: SPRING, q: 'a' }))).message).toBe('SEARCH_WITH_LINK_NOT_SUPPORTED');
    expect((await rpcError(importersPage(h.client, { peer: p, link: 'https://t.me/+Unknown999' }))).message).toBe('INVITE_HASH_EXPIRED');
    expect((await rpcError(importersPage(h.client, { peer: p, link: MINE_IN_B }))).message).toBe('INVITE_HASH_EXPIRED');
    expect((await rpcError(importersPage(h.client, { peer: peer(h.world, MEMBER_ONLY), requested: true }))).message).toBe('CHAT_ADMIN_REQUIRED');
    expect((await rpcError(importersPage(h.client, { peer: peer(h.world, FOREIGN), requested: true }))).message).toBe('CHANNEL_PRIVATE');
    const wrongHash = new Api.InputPeerChannel({ channelId: returnBigInt(OWNED), accessHash: returnBigInt(7n) });
    expect((await rpcError(importersPage(h.client, { peer: wrongHash, requested: true }))).message).toBe('CHANNEL_INVALID');
    const userPeer = new Api.InputPeerUser({ userId: returnBigInt(9000001n), accessHash: returnBigInt(h.world.user(9000001n)!.accessHash) });
    expect((await rpcError(importersPage(h.client, { peer: userPeer as unknown as Api.InputPeerChannel, requested: true }))).message).toBe('PEER_ID_INVALID');
  });

  it('approve turns a request into a join dated now with approved_by; decline just removes it', async () => {
    const p = peer(h.world, OWNED);
    const updates = await h.client.invoke(new Api.messages.HideChatJoinRequest({ peer: p, userId: inputUser(h.world, 9000003n), approved: true }));
    expect(((updates as Api.Updates).updates[0] as Api.UpdatePendingJoinRequests).requestsPending).toBe(1);
    const joins = await importersPage(h.client, { peer: p, link: SPRING });
    const approved = joins.importers.find((i) => i.userId.toString() === '9000003')!;
    expect([approved.date, approved.approvedBy?.toString(), approved.requested]).toEqual([NOW, SELF.toString(), false]);
    expect(joins.importers[0]!.userId.toString()).toBe('9000003'); // newest first
    await h.client.invoke(new Api.messages.HideChatJoinRequest({ peer: p, userId: inputUser(h.world, 9000002n), approved: false }));
    expect(h.world.pendingCount(OWNED)).toBe(0);
    expect((await pageAll(h.client, { peer: p, requested: true })).rows).toHaveLength(0);
    const again = h.client.invoke(new Api.messages.HideChatJoinRequest({ peer: p, userId: inputUser(h.world, 9000002n), approved: false }));
    expect((await rpcError(again)).message).toBe('HIDE_REQUESTER_MISSING');
  });

  it('hideAllChatJoinRequests approves a link\'s requests, then the rest of the chat', async () => {
    const p = peer(h.world, OWNED);
    await h.client.invoke(new Api.messages.HideAllChatJoinRequests({ peer: p, link: SPRING, approved: true }));
    expect(h.world.pendingRequest(OWNED, 9000003n)).toBeUndefined();
    expect(h.world.pendingRequest(OWNED, 9000002n)).toBeDefined();
    await h.client.invoke(new Api.messages.HideAllChatJoinRequests({ peer: p, approved: true }));
    expect(h.world.pendingCount(OWNED)).toBe(0);
    const joins = await h.client.invoke(new Api.messages.GetChatInviteImporters({ peer: p, offsetDate: 0, offsetUser: new Api.InputUserEmpty(), limit: 100 }));
    expect(joins.importers.filter((i) => i.approvedBy?.toString() === SELF.toString()).map((i) => i.userId.toString()).sort()).toEqual(['9000002', '9000003']);
  });

  it('counts calls by their inner method, including the connect-time help.getConfig', async () => {
    h.server.resetCalls();
    await importersPage(h.client, { peer: peer(h.world, OWNED), requested: true });
    await importersPage(h.client, { peer: peer(h.world, OWNED), requested: true });
    expect(h.server.calls()).toEqual({ 'messages.getChatInviteImporters': 2 });
  });
});
