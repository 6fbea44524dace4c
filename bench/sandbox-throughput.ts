/**
 * Sandbox throughput: importers served per second to a real GramJS client paging 100 at a time
 * over one link's joins (default 200,000), through the full MTProto path (TCPFull, AES-IGE,
 * TL). Later benchmarks use the figure to show the sandbox is not their bottleneck.
 *
 *   npx tsx bench/sandbox-throughput.ts [joins]
 */
import { Api } from 'telegram';
import { returnBigInt } from 'telegram/Helpers.js';
import { startMtprotoServer } from '../src/sandbox/mtproto/server.js';
import { World } from '../src/sandbox/world.js';
import { createTelegramClient } from '../src/telegram/client.js';

const JOINS = Number(process.argv[2] ?? 200_000);
const CHAT = 1700000001n;
const LINK = 'https://t.me/+Throughput01';

function buildWorld(): World {
  const world = World.fromScenario({
    self: { id: 7000001, first_name: 'Moderator' },
    bot: { id: 8000001, first_name: 'Joinwatch' },
    chats: [{ id: Number(CHAT), type: 'supergroup', title: 'Bench', owner_id: 7000001, admins: [7000001] }],
  });
  world.createLink(CHAT, { link: LINK, adminId: 7000001n, date: 1767000000 });
  for (let i = 0; i < JOINS; i++) {
    const userId = 30_000_000n + BigInt(i);
    world.addUser({ id: userId, firstName: `User${i}`, lastName: 'Bench', username: `bench_user_${i}` });
    world.addJoin(CHAT, { userId, link: LINK, date: 1767000000 + Math.floor(i / 5) });
  }
  return world;
}

async function main(): Promise<void> {
  const world = buildWorld();
  const server = await startMtprotoServer({ world });
  const client = createTelegramClient({ apiId: server.apiId, apiHash: server.apiHash, session: server.session, server: `127.0.0.1:${server.port}` });
  await client.connect();
  const chat = world.chat(CHAT)!;
  const peer = new Api.InputPeerChannel({ channelId: returnBigInt(chat.id), accessHash: returnBigInt(chat.accessHash) });
  let offsetDate = 0;
  let offsetUser: Api.TypeInputUser = new Api.InputUserEmpty();
  let rows = 0;
  let pages = 0;
  const started = process.hrtime.bigint();
  for (;;) {
    const page: Api.messages.ChatInviteImporters = await client.invoke(new Api.messages.GetChatInviteImporters({ peer, link: LINK, offsetDate, offsetUser, limit: 100 }));
    pages++;
    const last = page.importers[page.importers.length - 1];
    if (!last) break;
    rows += page.importers.length;
    const u = page.users.find((x): x is Api.User => x instanceof Api.User && x.id.equals(last.userId));
    offsetDate = last.date;
    offsetUser = new Api.InputUser({ userId: last.userId, accessHash: u!.accessHash! });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await client.destroy();
  await server.stop();
  if (rows !== JOINS) throw new Error(`paged ${rows} rows, expected ${JOINS}`);
  console.log(JSON.stringify({
    joins: JOINS, pages, seconds: Number(seconds.toFixed(2)),
    importersPerSecond: Math.round(rows / seconds), msPerPage: Number(((seconds * 1000) / pages).toFixed(2)),
  }));
}

await main();
