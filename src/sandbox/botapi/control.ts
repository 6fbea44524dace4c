/**
 * `<botApiRoot>/sandbox/...`: the driver over HTTP, for the demo and for tests that run joinwatch
 * as a separate process. Answers are plain JSON (not the Bot API envelope); a bad request is a 400
 * with `{ "error": "…" }`. Documented in docs/sandbox.md.
 */
import { botApiChatIdFromChannel, channelIdFromBotApiChatId, isChannelChatId } from '../../domain/chat-id.js';
import type { Faults } from '../faults.js';
import { parseFaultsChange, ScenarioError } from '../scenario.js';
import { WorldError, type World } from '../world.js';
import type { BotDriver } from './driver.js';
import type { Json } from './views.js';

export interface ControlDeps {
  world: World;
  driver: BotDriver;
  calls: () => Record<string, number>;
  setMtprotoFaults?: (f: Partial<Faults>) => void;
}

export class ControlError extends Error {}

function id(v: unknown, what: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d{1,20}$/.test(v)) return BigInt(v);
  throw new ControlError(`${what} must be an integer id`);
}

const optInt = (v: unknown, what: string): number | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ControlError(`${what} must be an integer`);
  return v;
};

/** A chat given either as the MTProto id or the Bot API -100… id. */
function chatId(world: World, v: unknown): bigint {
  const raw = id(v, 'chat');
  const channel = isChannelChatId(raw) ? channelIdFromBotApiChatId(raw) : raw;
  if (!world.chat(channel)) throw new ControlError(`unknown chat ${raw}`);
  return channel;
}

export function handleControl(deps: ControlDeps, method: string, path: string, query: URLSearchParams, body: Json): unknown {
  const { world, driver } = deps;
  const route = `${method} ${path}`;
  switch (route) {
    case 'POST message':
      return driver.message({ from: id(body.from, 'from'), ...(body.chat !== undefined ? { chat: id(body.chat, 'chat') } : {}), text: String(body.text ?? ''), anonymous: body.anonymous === true });
    case 'POST press':
      return { callback_query_id: driver.press({ from: id(body.from, 'from'), messageId: Number(body.message_id), data: String(body.data ?? ''), forged: body.forged === true }) };
    case 'GET sent':
      return driver.sent(Number(query.get('after') ?? 0) || 0);
    case 'GET calls':
      return deps.calls();
    case 'GET world':
      return worldSummary(world);
    case 'POST world':
      return addToWorld(world, body);
    case 'POST faults':
      return setFaults(deps, body);
    default:
      return undefined;
  }
}

function addToWorld(world: World, body: Json): Json {
  const added = { users: 0, links: 0, joins: 0, requests: 0, leaves: 0, decisions: 0 };
  const list = (k: string): Json[] => (Array.isArray(body[k]) ? (body[k] as Json[]) : []);
  try {
    for (const u of list('users')) {
      if (typeof u.first_name !== 'string' || !u.first_name) throw new ControlError('users[].first_name is required');
      world.addUser({ id: id(u.id, 'users[].id'), firstName: u.first_name, ...(typeof u.last_name === 'string' ? { lastName: u.last_name } : {}), ...(typeof u.username === 'string' ? { username: u.username } : {}) });
      added.users++;
    }
    for (const l of list('links')) {
      world.createLink(chatId(world, l.chat), {
        adminId: id(l.admin_id, 'links[].admin_id'), ...(typeof l.link === 'string' ? { link: l.link } : {}), ...(typeof l.title === 'string' ? { title: l.title } : {}),
        requestNeeded: l.request_needed === true, ...(optInt(l.date, 'links[].date') !== undefined ? { date: l.date as number } : {}),
      });
      added.links++;
    }
    const known = (uid: bigint): bigint => {
      if (!world.user(uid)) throw new ControlError(`unknown user ${uid}: add it under "users" first`);
      return uid;
    };
    for (const j of list('joins')) {
      const date = optInt(j.date, 'joins[].date');
      world.addJoin(chatId(world, j.chat), {
        userId: known(id(j.user_id, 'joins[].user_id')), link: typeof j.link === 'string' ? j.link : null, ...(date !== undefined ? { date } : {}),
        ...(j.approved_by != null ? { approvedBy: id(j.approved_by, 'joins[].approved_by') } : {}), viaChatlist: j.via_chatlist === true,
      });
      added.joins++;
    }
    for (const r of list('requests')) {
      const date = optInt(r.date, 'requests[].date');
      world.addRequest(chatId(world, r.chat), {
        userId: known(id(r.user_id, 'requests[].user_id')), link: typeof r.link === 'string' ? r.link : null, ...(date !== undefined ? { date } : {}),
        ...(typeof r.about === 'string' ? { about: r.about } : {}),
      });
      added.requests++;
    }
    for (const l of list('leaves')) {
      const date = optInt(l.date, 'leaves[].date');
      world.leave(chatId(world, l.chat), id(l.user_id, 'leaves[].user_id'), { ...(date !== undefined ? { date } : {}), kicked: l.kicked === true });
      added.leaves++;
    }
    for (const d of list('decisions')) {
      // An admin deciding in their own Telegram app: the sync sees it only as the request vanishing.
      if (typeof d.approved !== 'boolean') throw new ControlError('decisions[].approved must be true or false');
      const date = optInt(d.date, 'decisions[].date');
      world.resolveRequest(chatId(world, d.chat), id(d.user_id, 'decisions[].user_id'), d.approved, id(d.by, 'decisions[].by'), date);
      added.decisions++;
    }
  } catch (e) {
    if (e instanceof WorldError) throw new ControlError(e.rpc);
    throw e;
  }
  return { added };
}

function worldSummary(world: World): Json {
  return {
    self: Number(world.self.id), bot: Number(world.bot.id),
    chats: world.chats().map((c) => ({
      id: Number(c.id), bot_api_id: Number(botApiChatIdFromChannel(c.id)), title: c.title, pending: world.pendingCount(c.id),
      links: world.links(c.id).map((l) => ({ link: l.link, admin_id: Number(l.adminId), title: l.title ?? null, revoked: l.revoked, usage: world.usage(l.link), requested: world.requested(l.link) })),
    })),
  };
}

function setFaults(deps: ControlDeps, body: Json): Json {
  const tmr = body.too_many_requests as Json | undefined;
  if (tmr) {
    deps.driver.tooManyRequests({
      ...(typeof tmr.method === 'string' ? { method: tmr.method } : {}), ...(tmr.chat !== undefined ? { chat: id(tmr.chat, 'too_many_requests.chat') } : {}), count: optInt(tmr.count, 'count') ?? 1, retryAfter: optInt(tmr.retry_after, 'retry_after') ?? 1,
    });
  }
  const errors = body.server_errors as Json | undefined;
  if (errors) {
    deps.driver.serverErrors({
      ...(typeof errors.method === 'string' ? { method: errors.method } : {}), ...(errors.chat !== undefined ? { chat: id(errors.chat, 'server_errors.chat') } : {}), count: optInt(errors.count, 'count') ?? 1,
    });
  }
  if (body.mtproto !== undefined) {
    if (!deps.setMtprotoFaults) throw new ControlError('the MTProto server is not running');
    let change: Partial<Faults>;
    try {
      change = parseFaultsChange(body.mtproto);
    } catch (e) {
      if (e instanceof ScenarioError) throw new ControlError(`mtproto ${e.path.replace(/^\$/, '')}: ${e.problem}`);
      throw e;
    }
    deps.setMtprotoFaults(change);
  }
  return { ok: true };
}
