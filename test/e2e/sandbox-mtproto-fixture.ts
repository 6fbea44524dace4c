/**
 * Shared set-up for the sandbox MTProto e2e tests: a small scenario with three chats (one self
 * owns, one self only admins, one self is a plain member of, one self is not in), a server on
 * 127.0.0.1 port 0, and a real GramJS client from our factory.
 */
import { Api, type TelegramClient } from 'telegram';
import { startMtprotoServer, type MtprotoServer, type MtprotoServerOptions } from '../../src/sandbox/mtproto/server.js';
import { World } from '../../src/sandbox/world.js';
import { createTelegramClient } from '../../src/telegram/client.js';
import { returnBigInt } from 'telegram/Helpers.js';

export const SELF = 7000001n;
export const OTHER_ADMIN = 9000009n;
export const OWNED = 1700000001n; // self owns
export const ADMINED = 1700000002n; // self is a non-owner admin
export const MEMBER_ONLY = 1700000003n; // self joined, no admin rights
export const FOREIGN = 1700000004n; // self is not in it
export const SPRING = 'https://t.me/+AbCdEf0123';
export const OLD = 'https://t.me/+Revoked000';
export const MINE_IN_B = 'https://t.me/+SelfInB01';
export const THEIRS_IN_B = 'https://t.me/+OtherInB1';

const link = (l: string, admin: bigint, date: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  link: l, admin_id: String(admin), date, ...extra,
});

export function baseScenario(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    self: { id: Number(SELF), first_name: 'Moderator', username: 'mod_account' },
    bot: { id: 8000001, first_name: 'Joinwatch', username: 'joinwatch_bot' },
    users: [
      { id: 9000001, first_name: 'Ann', last_name: 'Lee', username: 'ann_lee' },
      { id: 9000002, first_name: 'Bob', last_name: 'Stone' },
      { id: 9000003, first_name: 'Cleo', username: 'cleo_x' },
      { id: 9000004, first_name: 'Dan' },
      { id: Number(OTHER_ADMIN), first_name: 'Owner', username: 'b_owner' },
    ],
    chats: [
      {
        id: Number(OWNED), type: 'supergroup', title: 'Rust Learners', owner_id: Number(SELF), admins: [Number(SELF), 8000001],
        links: [link(SPRING, SELF, 1767225600, { title: 'Spring ads' }), link(OLD, SELF, 1767000000, { revoked: true })],
        joins: [
          { user_id: 9000001, link: SPRING, date: 1767226000 },
          // A member cannot ask to join (telegram-semantics.md, Churn): 9000003 only asks.
          { user_id: 9000004, link: OLD, date: 1767100000 },
        ],
        requests: [
          { user_id: 9000002, link: null, date: 1767227000, about: 'hi' },
          { user_id: 9000003, link: SPRING, date: 1767228000 },
        ],
      },
      {
        id: Number(ADMINED), type: 'channel', title: 'News B', username: 'news_b', owner_id: Number(OTHER_ADMIN),
        admins: [Number(OTHER_ADMIN), Number(SELF)],
        links: [link(MINE_IN_B, SELF, 1767300000), link(THEIRS_IN_B, OTHER_ADMIN, 1767300100)],
        joins: [{ user_id: 9000001, link: THEIRS_IN_B, date: 1767300200 }],
      },
      {
        id: Number(MEMBER_ONLY), type: 'supergroup', title: 'Just Member', owner_id: Number(OTHER_ADMIN), admins: [Number(OTHER_ADMIN)],
        links: [link('https://t.me/+MemberC001', OTHER_ADMIN, 1767400000)],
        joins: [{ user_id: Number(SELF), link: 'https://t.me/+MemberC001', date: 1767400100 }],
      },
      { id: Number(FOREIGN), type: 'supergroup', title: 'Elsewhere', owner_id: Number(OTHER_ADMIN), admins: [Number(OTHER_ADMIN)] },
    ],
    ...extra,
  };
}

export interface Harness {
  world: World;
  server: MtprotoServer;
  client: TelegramClient;
  stop(): Promise<void>;
}

export async function startHarness(
  world: World,
  opts: Omit<MtprotoServerOptions, 'world'> & { useLoginSession?: boolean; connect?: boolean } = {},
): Promise<Harness> {
  const crashes: string[] = [];
  const server = await startMtprotoServer({ world, ...opts, onInternalError: (m, e) => crashes.push(`${m}: ${String(e)}`) });
  const client = createTelegramClient({
    apiId: server.apiId,
    apiHash: server.apiHash,
    session: opts.useLoginSession ? server.loginSession : server.session,
    server: `127.0.0.1:${server.port}`,
  });
  if (opts.connect !== false) await client.connect();
  return {
    world,
    server,
    client,
    stop: async () => {
      await client.destroy();
      await server.stop();
      // A handler crash is a sandbox bug even when the test's own assertions passed.
      if (crashes.length > 0) throw new Error(`sandbox handlers crashed: ${crashes.join('; ')}`);
    },
  };
}

/** The InputPeerChannel of a world chat, with its access hash as the world knows it. */
export function peer(world: World, chatId: bigint): Api.InputPeerChannel {
  const chat = world.chat(chatId);
  if (!chat) throw new Error(`no chat ${chatId}`);
  return new Api.InputPeerChannel({ channelId: returnBigInt(chat.id), accessHash: returnBigInt(chat.accessHash) });
}

export function inputUser(world: World, userId: bigint): Api.InputUser {
  const u = world.user(userId);
  if (!u) throw new Error(`no user ${userId}`);
  return new Api.InputUser({ userId: returnBigInt(u.id), accessHash: returnBigInt(u.accessHash) });
}

export interface ImporterQuery {
  peer: Api.InputPeerChannel;
  link?: string;
  requested?: boolean;
  q?: string;
  limit?: number;
}

/** One page, the cursor given as (date, user) of the previous page's last row. */
export function importersPage(client: TelegramClient, q: ImporterQuery, offsetDate = 0, offsetUser: Api.TypeInputUser = new Api.InputUserEmpty()): Promise<Api.messages.ChatInviteImporters> {
  return client.invoke(
    new Api.messages.GetChatInviteImporters({
      peer: q.peer,
      ...(q.link !== undefined ? { link: q.link } : {}),
      ...(q.requested ? { requested: true } : {}),
      ...(q.q !== undefined ? { q: q.q } : {}),
      offsetDate,
      offsetUser,
      limit: q.limit ?? 100,
    }),
  );
}

/**
 * Pages to the end the way the sync engine must: the exclusive cursor is the last row's date and
 * user (access hash from the page's users), and only an empty page ends it (short pages do not).
 */
export async function pageAll(client: TelegramClient, q: ImporterQuery): Promise<{ rows: Api.ChatInviteImporter[]; pages: number; counts: number[] }> {
  const rows: Api.ChatInviteImporter[] = [];
  const counts: number[] = [];
  let offsetDate = 0;
  let offsetUser: Api.TypeInputUser = new Api.InputUserEmpty();
  for (let pages = 1; ; pages++) {
    const page = await importersPage(client, q, offsetDate, offsetUser);
    counts.push(page.count);
    const last = page.importers[page.importers.length - 1];
    if (!last) return { rows, pages, counts };
    rows.push(...page.importers);
    const user = page.users.find((u): u is Api.User => u instanceof Api.User && u.id.equals(last.userId));
    if (!user?.accessHash) throw new Error(`page lacks the user ${last.userId} of its last row`);
    offsetDate = last.date;
    offsetUser = new Api.InputUser({ userId: user.id, accessHash: user.accessHash });
  }
}

/** The error a promise rejects with, as GramJS surfaces it (RPCError: code + errorMessage). */
export async function rpcError(p: Promise<unknown>): Promise<{ code: number | undefined; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code?: number; errorMessage?: string; message?: string };
    return { code: err.code, message: err.errorMessage ?? err.message ?? String(e) };
  }
  throw new Error('expected the call to fail');
}

/** Connects a fresh client with `session` and returns the id of the account it is signed in as. */
export async function sessionUserId(o: { apiId: number; apiHash: string; session: string; server: string }): Promise<bigint> {
  const client = createTelegramClient(o);
  try {
    await client.connect();
    const [me] = await client.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }));
    return BigInt((me as Api.User).id.toString());
  } finally {
    await client.destroy();
  }
}
