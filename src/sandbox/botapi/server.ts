/**
 * The sandbox Bot API server on 127.0.0.1: `/bot<token>/<method>` with JSON, multipart, urlencoded
 * or query-string parameters, answered in Telegram's envelope (`{ok, result}` / `{ok:false,
 * error_code, description}`) with the same HTTP status, plus the `/sandbox/...` control endpoints.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Faults } from '../faults.js';
import { accessHashFor, type World } from '../world.js';
import { ControlError, handleControl } from './control.js';
import { BotDriver, DriverError } from './driver.js';
import { BotApiError } from './errors.js';
import type { Method, MethodContext } from './method-context.js';
import * as bot from './methods-bot.js';
import * as chats from './methods-chats.js';
import * as msgs from './methods-messages.js';
import { parseMultipart } from './multipart.js';
import type { Params } from './params.js';
import { BotState } from './state.js';
import { bridgeWorldUpdates } from './world-updates.js';

const METHODS: Record<string, Method> = {
  getMe: chats.getMe, getChat: chats.getChat, getChatMember: chats.getChatMember, getChatAdministrators: chats.getChatAdministrators,
  getChatMemberCount: chats.getChatMemberCount, approveChatJoinRequest: chats.approveChatJoinRequest, declineChatJoinRequest: chats.declineChatJoinRequest,
  getUpdates: bot.getUpdates, deleteWebhook: bot.deleteWebhook, setWebhook: bot.setWebhook, getWebhookInfo: bot.getWebhookInfo,
  setMyCommands: bot.setMyCommands, getMyCommands: bot.getMyCommands, deleteMyCommands: bot.deleteMyCommands,
  sendMessage: msgs.sendMessage, editMessageText: msgs.editMessageText, editMessageReplyMarkup: msgs.editMessageReplyMarkup,
  sendDocument: msgs.sendDocument, sendPhoto: msgs.sendPhoto, answerCallbackQuery: msgs.answerCallbackQuery, sendChatAction: msgs.sendChatAction,
};
const BY_LOWER = new Map(Object.entries(METHODS).map(([k, v]) => [k.toLowerCase(), { name: k, fn: v }]));
const MAX_BODY = 60 * 1024 * 1024;

export interface BotApiServerOptions {
  world: World;
  host?: string;
  port?: number;
  /** Defaults to a token derived from the bot's id (stable across restarts). */
  token?: string;
  /** The MTProto server's per-method call counter, for GET /sandbox/calls. */
  calls?: () => Record<string, number>;
  setMtprotoFaults?: (f: Partial<Faults>) => void;
}

export interface BotApiServer {
  host: string;
  port: number;
  root: string;
  token: string;
  state: BotState;
  driver: BotDriver;
  stop(): Promise<void>;
}

export function sandboxBotToken(world: World): string {
  const secret = BigInt.asUintN(64, accessHashFor('user', world.bot.id)).toString(36);
  return `${world.bot.id}:AAS${secret.padStart(14, '0')}sandbox`;
}

export async function startBotApiServer(o: BotApiServerOptions): Promise<BotApiServer> {
  const { world } = o;
  const token = o.token ?? sandboxBotToken(world);
  const state = new BotState();
  const driver = new BotDriver(world, state);
  const unbridge = bridgeWorldUpdates(world, state);
  const control = { world, driver, calls: o.calls ?? (() => ({})), ...(o.setMtprotoFaults ? { setMtprotoFaults: o.setMtprotoFaults } : {}) };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => send(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${(e as Error).message}` }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const botCall = /^\/bot([^/]*)\/([A-Za-z0-9_]+)\/?$/.exec(url.pathname);
    const controlCall = /^\/sandbox\/([a-z]+)\/?$/.exec(url.pathname);
    if (controlCall) return runControl(req, res, controlCall[1] as string, url);
    if (!botCall) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (botCall[1] !== token) return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const entry = BY_LOWER.get((botCall[2] as string).toLowerCase());
    if (!entry) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    state.calls.set(entry.name, (state.calls.get(entry.name) ?? 0) + 1);
    try {
      const params = await readParams(req, url);
      const injected = state.takeTooMany(entry.name, params.chat_id === undefined ? undefined : String(params.chat_id));
      if (injected?.status === 500) throw new BotApiError(500, 'Internal Server Error');
      if (injected) throw new BotApiError(429, `Too Many Requests: retry after ${injected.retryAfter}`, { retry_after: injected.retryAfter });
      const ctx: MethodContext = { world, state, params, method: entry.name, onClose: (cb) => res.on('close', cb) };
      const result = await entry.fn(ctx);
      if (!res.writableEnded && !res.destroyed) send(res, 200, { ok: true, result });
    } catch (e) {
      if (e instanceof BotApiError) return send(res, e.code, e.toJSON());
      if (e instanceof SyntaxError) return send(res, 400, { ok: false, error_code: 400, description: `Bad Request: can't parse JSON object` });
      throw e;
    }
  }

  async function runControl(req: IncomingMessage, res: ServerResponse, name: string, url: URL): Promise<void> {
    try {
      const body = req.method === 'POST' ? await readParams(req, url) : {};
      const out = handleControl(control, req.method ?? 'GET', name, url.searchParams, body);
      if (out === undefined) return send(res, 404, { error: `no control endpoint ${req.method} /sandbox/${name}` });
      send(res, 200, out);
    } catch (e) {
      if (e instanceof ControlError || e instanceof DriverError || e instanceof SyntaxError) return send(res, 400, { error: e.message });
      // A body that is not a JSON object, or too large: the control API's own error shape, not a 500.
      if (e instanceof BotApiError) return send(res, e.code, { error: e.message });
      throw e;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    host: addr.address, port: addr.port, root: `http://${addr.address}:${addr.port}`, token, state, driver,
    stop: async () => {
      unbridge();
      state.updates.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const params: Params = Object.fromEntries(url.searchParams);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BotApiError(413, 'Request Entity Too Large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return params;
  const body = Buffer.concat(chunks);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return { ...params, ...parseMultipart(body, req.headers['content-type'] ?? '') };
  if (type.startsWith('application/x-www-form-urlencoded')) return { ...params, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  const parsed = JSON.parse(body.toString('utf8')) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new BotApiError(400, "Bad Request: can't parse JSON object");
  return { ...params, ...(parsed as Params) };
}
