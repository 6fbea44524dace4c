/**
 * One row per fact across sources, through the real grammY bot (Bot API sandbox) and the real sync
 * (GramJS against the MTProto sandbox): a request and a join the bot stored live are the rows the
 * sync completes later, not second rows, and a request is announced once.
 */
import type { TelegramClient } from 'telegram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botApiChatIdFromChannel } from '../../src/domain/chat-id.js';
import { World } from '../../src/sandbox/world.js';
import { SyncEngine } from '../../src/sync/engine.js';
import { createTelegramClient } from '../../src/telegram/client.js';
import { GramJsInviteSource } from '../../src/telegram/invite-source.js';
import { ADMIN_A, CHAT_A, CHAT_B, eventually, scenario, startBotWorld, type BotWorld } from './bot-harness.js';

const chatA = botApiChatIdFromChannel(CHAT_A);
let w: BotWorld;
let client: TelegramClient;
let engine: SyncEngine;

const announced = (userId: bigint) =>
  w.store.outbox.undelivered(10_000).filter((e) => e.kind === 'requests.new' && JSON.stringify(e.payload).includes(`"${userId}"`)).length;

beforeAll(async () => {
  const world = World.fromScenario(scenario({ joiners: 30, pending: 4 }));
  world.setClock(() => Math.floor(Date.now() / 1000));
  w = await startBotWorld({ world, fill: 'none', mtproto: true, bot: { now: Date.now } });
  client = createTelegramClient({ apiId: w.sandbox.apiId, apiHash: w.sandbox.apiHash, session: w.sandbox.session, server: w.sandbox.mtproto });
  await client.connect();
  engine = new SyncEngine({ store: w.store, source: new GramJsInviteSource(client) });
  const report = await engine.runCycle([chatA, botApiChatIdFromChannel(CHAT_B)]);
  expect(report.chats.map((c) => c.outcome)).toEqual(['ok', 'ok']);
});

afterAll(async () => {
  await client?.destroy();
  await w?.stop();
});

describe('a fact reported by both sources', () => {
  it('a request the bot stored before the sync knew its link is one row, attributed by the sync, announced once', async () => {
    const fresh = w.world.createLink(CHAT_A, { adminId: ADMIN_A, requestNeeded: true, title: 'new ads' });
    const ann = 9_700_001n;
    w.world.addUser({ id: ann, firstName: 'Annette' });
    w.world.addRequest(CHAT_A, { userId: ann, link: fresh.link, about: 'bio' });
    await eventually(() => w.store.requests.pendingOf(chatA, ann));
    expect(w.store.requests.pendingOf(chatA, ann)).toMatchObject({ via: 'unknown', link: null, source: 'bot' });
    expect(announced(ann)).toBe(1);

    const report = await engine.runCycle([chatA]);
    expect(report.chats[0]?.outcome).toBe('ok');
    const rows = w.store.db.prepare('SELECT link, via, status, source FROM join_requests WHERE user_id = ?').all(ann);
    expect(rows).toEqual([{ link: fresh.link, via: 'link', status: 'pending', source: 'bot' }]);
    expect(announced(ann)).toBe(1);
  });

  it('a join the bot saw (through a link it sees cut) is the stay the sync lists: one row, counted once', async () => {
    const [link] = w.world.links(CHAT_A, { revoked: false }).filter((l) => !l.requestNeeded);
    const bo = 9_700_002n;
    w.world.addUser({ id: bo, firstName: 'Bo' });
    const joined = w.world.addJoin(CHAT_A, { userId: bo, link: link!.link });
    const seen = await eventually(() => w.store.joins.ofUser(chatA, bo)[0]);
    expect(seen.link).toBe(link!.link);
    const before = w.store.links.get(chatA, link!.link)!;
    await engine.runCycle([chatA]);
    expect(w.store.joins.ofUser(chatA, bo).map((j) => [j.link, j.date, j.leftAt])).toEqual([[link!.link, joined.date, null]]);
    const after = w.store.links.get(chatA, link!.link)!;
    expect(after.joinsStored).toBe(before.joinsStored);
    expect(after.membersStored).toBe(w.world.usage(link!.link));
  });
});
