/**
 * The whole offline Telegram in one call: one World, the MTProto server (for GramJS) and the Bot API
 * server (for grammY) on 127.0.0.1, and everything a test, the demo or the `sandbox` command needs
 * to point joinwatch at them.
 */
import type { Faults } from './faults.js';
import type { BotDriver } from './botapi/driver.js';
import { startBotApiServer, type BotApiServer } from './botapi/server.js';
import { startMtprotoServer, type MtprotoServer } from './mtproto/server.js';
import { World } from './world.js';

export interface SandboxOptions {
  /** A ready world, or a scenario file to load (one of the two). */
  world?: World;
  worldFile?: string;
  /** false: Bot API only (tests of the bot side alone). Default true. */
  mtproto?: boolean;
  mtprotoPort?: number;
  botApiPort?: number;
  /** Cap on MTProto importer/invite pages (default 100); lower it to test short pages. */
  maxPageSize?: number;
  host?: string;
}

export interface Sandbox {
  world: World;
  /** 'host:port' of the MTProto server ('' when started without it). */
  mtproto: string;
  /** StringSession signed in as the scenario's `self`. */
  session: string;
  /** StringSession of a key not yet signed in (for `joinwatch login`). */
  loginSession: string;
  apiId: number;
  apiHash: string;
  botToken: string;
  botApiRoot: string;
  /** MTProto calls served per method since start (or the last resetCalls). */
  calls(): Record<string, number>;
  resetCalls(): void;
  setFaults(f: Partial<Faults>): void;
  revokeSessions(): void;
  /** The in-process driver: user messages, button presses, what the bot sent. */
  bot: BotDriver;
  botApi: BotApiServer;
  mtprotoServer: MtprotoServer | null;
  /** The environment the product reads, pointing at this sandbox. */
  env(): Record<string, string>;
  stop(): Promise<void>;
}

export async function startSandbox(o: SandboxOptions): Promise<Sandbox> {
  const world = o.world ?? (o.worldFile ? await World.load(o.worldFile) : undefined);
  if (!world) throw new Error('startSandbox needs a world or a worldFile');
  const host = o.host ?? '127.0.0.1';
  const mt = o.mtproto === false
    ? null
    : await startMtprotoServer({ world, host, ...(o.mtprotoPort !== undefined ? { port: o.mtprotoPort } : {}), ...(o.maxPageSize !== undefined ? { maxPageSize: o.maxPageSize } : {}) });
  let botApi: BotApiServer;
  try {
    botApi = await startBotApiServer({
      world, host, ...(o.botApiPort !== undefined ? { port: o.botApiPort } : {}),
      calls: () => mt?.calls() ?? {},
      ...(mt ? { setMtprotoFaults: (f: Partial<Faults>) => mt.setFaults(f) } : {}),
    });
  } catch (e) {
    await mt?.stop();
    throw e;
  }
  const sandbox: Sandbox = {
    world,
    mtproto: mt ? `${mt.host}:${mt.port}` : '',
    session: mt?.session ?? '',
    loginSession: mt?.loginSession ?? '',
    apiId: mt?.apiId ?? 0,
    apiHash: mt?.apiHash ?? '',
    botToken: botApi.token,
    botApiRoot: botApi.root,
    calls: () => mt?.calls() ?? {},
    resetCalls: () => mt?.resetCalls(),
    setFaults: (f) => mt?.setFaults(f),
    revokeSessions: () => mt?.revokeSessions(),
    bot: botApi.driver,
    botApi,
    mtprotoServer: mt,
    env: () => ({
      TELEGRAM_SESSION: sandbox.session, TELEGRAM_MTPROTO_SERVER: sandbox.mtproto, TELEGRAM_API_ID: String(sandbox.apiId),
      TELEGRAM_API_HASH: sandbox.apiHash, BOT_TOKEN: sandbox.botToken, BOT_API_ROOT: sandbox.botApiRoot,
    }),
    stop: async () => {
      await Promise.allSettled([botApi.stop(), mt?.stop()]);
    },
  };
  return sandbox;
}
