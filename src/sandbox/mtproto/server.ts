/**
 * The sandbox MTProto server: a loopback TCP server that the real GramJS client connects to,
 * serving the shared World. It mints two auth keys at start and hands them out as
 * StringSessions: `session` (signed in as world.self) and `loginSession` (for the login flow).
 * Both are derived from self's id, so a restart on the same scenario hands out the same keys;
 * an unknown key gets the transport error -404, as on Telegram.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import type { World } from '../world.js';
import type { Faults } from '../faults.js';
import { CallCounter } from './calls.js';
import { ClientConnection } from './conn.js';
import type { ServerState } from './context.js';
import { FaultInjector } from './fault-injector.js';
import { SANDBOX_DC } from './handlers/connection.js';
import { AuthKeys, encodeStringSession } from './keys.js';
import { ServerMsgIds } from './msg-id.js';
import { setupPassword } from './srp.js';
import { pendingJoinRequestsUpdates } from './handlers/requests.js';

export interface MtprotoServerOptions {
  world: World;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Cap on importer / invite pages (Telegram: 100); lower it to test short pages. */
  maxPageSize?: number;
  /** Results larger than this (bytes) are sent gzip_packed. Default 64 KiB. */
  gzipThreshold?: number;
  /** Sandbox bugs (a handler threw something that is not a Telegram error). Default: stderr. */
  onInternalError?: (method: string, error: unknown) => void;
}

export interface MtprotoServer {
  host: string;
  port: number;
  /** StringSession of an auth key signed in as world.self. */
  session: string;
  /** StringSession of an auth key not yet signed in (auth.sendCode / signIn / checkPassword). */
  loginSession: string;
  apiId: number;
  apiHash: string;
  /** Calls served per method, inner method of invokeWithLayer/initConnection. */
  calls(): Record<string, number>;
  resetCalls(): void;
  /** updatePendingJoinRequests pushed to signed-in sessions since start. */
  pushes(): number;
  setFaults(f: Partial<Faults>): void;
  /** Signs every signed-in key out: their calls answer AUTH_KEY_UNREGISTERED. */
  revokeSessions(): void;
  stop(): Promise<void>;
}

/** The sandbox's app credentials; auth.sendCode checks them like Telegram does. */
export const SANDBOX_API_ID = 94575;
export const SANDBOX_API_HASH = createHash('sha256').update('joinwatch-sandbox').digest('hex').slice(0, 32);

export async function startMtprotoServer(o: MtprotoServerOptions): Promise<MtprotoServer> {
  const host = o.host ?? '127.0.0.1';
  const keys = new AuthKeys();
  const faults = new FaultInjector(() => o.world.now());
  faults.set(o.world.faults);
  const state: ServerState = {
    world: o.world,
    keys,
    calls: new CallCounter(),
    faults,
    maxPageSize: Math.max(1, Math.min(o.maxPageSize ?? 100, 100)),
    apiId: SANDBOX_API_ID,
    apiHash: SANDBOX_API_HASH,
    host,
    port: 0,
    salt: randomBytes(8).readBigInt64LE(0),
    gzipThreshold: o.gzipThreshold ?? 64 * 1024,
    msgIds: new ServerMsgIds(),
    reportError: o.onInternalError ?? ((method, e) => console.error(`sandbox mtproto: ${method} crashed`, e)),
  };
  const password = o.world.loginSpec?.password;
  if (password !== undefined) state.password = await setupPassword(password);

  const connections = new Set<ClientConnection>();
  const sockets = new Set<Socket>();
  const tcp = createServer((socket) => {
    sockets.add(socket);
    const conn = new ClientConnection(socket, state);
    connections.add(conn);
    socket.on('close', () => {
      sockets.delete(socket);
      connections.delete(conn);
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(o.port ?? 0, host, () => resolve());
  });
  const address = tcp.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  state.port = port;

  let pushes = 0;
  // Telegram pushes the chat's new pending count to its admins with invite rights (user accounts).
  const onPending = (chatId: bigint): void => {
    for (const conn of connections) {
      const me = conn.signedInUser;
      if (me === undefined || !o.world.canInvite(chatId, me)) continue;
      const updates = pendingJoinRequestsUpdates(o.world, chatId, me);
      if (!updates) continue;
      conn.push(updates.getBytes());
      pushes++;
    }
  };
  o.world.on('pending', onPending);

  const signedIn = keys.mint(`joinwatch-sandbox/session/${o.world.self.id}`, o.world.self.id);
  const unsigned = keys.mint(`joinwatch-sandbox/login/${o.world.self.id}`);
  return {
    host,
    port,
    session: encodeStringSession(SANDBOX_DC, host, port, signedIn.key),
    loginSession: encodeStringSession(SANDBOX_DC, host, port, unsigned.key),
    apiId: state.apiId,
    apiHash: state.apiHash,
    calls: () => state.calls.snapshot(),
    resetCalls: () => state.calls.reset(),
    pushes: () => pushes,
    setFaults: (f) => faults.set(f),
    revokeSessions: () => keys.revokeSignedIn(),
    stop: async () => {
      o.world.off('pending', onPending);
      for (const c of connections) c.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}
