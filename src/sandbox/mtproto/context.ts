/**
 * What the RPC handlers see: the server's shared state and the calling auth key. Handlers are
 * registered by Telegram method name; `needsUser` ones run only on a signed-in key (everything
 * else answers AUTH_KEY_UNREGISTERED, as Telegram does before sign-in).
 */
import type { World } from '../world.js';
import type { CallCounter } from './calls.js';
import type { FaultInjector } from './fault-injector.js';
import type { AuthKeyRecord, AuthKeys } from './keys.js';
import type { ServerMsgIds } from './msg-id.js';
import type { PasswordSetup } from './srp.js';
import type { TlValue } from './tl.js';

export interface ServerState {
  world: World;
  keys: AuthKeys;
  calls: CallCounter;
  faults: FaultInjector;
  maxPageSize: number;
  apiId: number;
  apiHash: string;
  host: string;
  port: number;
  salt: bigint;
  /** SRP parameters of the scenario's 2FA password, when it has one. */
  password?: PasswordSetup;
  /** Results above this many bytes travel as gzip_packed. */
  gzipThreshold: number;
  msgIds: ServerMsgIds;
  /** Called with handler crashes (sandbox bugs); the client gets SANDBOX_INTERNAL_ERROR. */
  reportError: (method: string, error: unknown) => void;
}

export interface CallContext {
  server: ServerState;
  key: AuthKeyRecord;
}

export interface UserContext extends CallContext {
  /** The signed-in user (world.self for the sandbox session). */
  me: bigint;
}

export type Answer = TlValue | Promise<TlValue>;

export interface HandlerEntry {
  needsUser: boolean;
  run: (req: unknown, ctx: UserContext) => Answer;
}

type RequestClass<T> = { className: string; new (...args: never[]): T };

export type HandlerTable = Map<string, HandlerEntry>;

/** A method any key may call (login, config). `me` is 0n when not signed in. */
export function openMethod<T>(cls: RequestClass<T>, run: (req: T, ctx: UserContext) => Answer): [string, HandlerEntry] {
  return [cls.className, { needsUser: false, run: run as HandlerEntry['run'] }];
}

/** A method of a signed-in account. */
export function userMethod<T>(cls: RequestClass<T>, run: (req: T, ctx: UserContext) => Answer): [string, HandlerEntry] {
  return [cls.className, { needsUser: true, run: run as HandlerEntry['run'] }];
}
