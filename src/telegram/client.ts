/**
 * The one place a GramJS TelegramClient is built: bounded connection retries (GramJS defaults
 * to retrying forever, so connect() would never return against a dead server), GramJS's console
 * logging silenced unless a logger is given, and an optional 'host:port' to reach a server that
 * is not Telegram's (the sandbox). `connectClient` is the bounded connect: GramJS has no request
 * timeout, so an unknown auth key (-404) or a silent server would otherwise hang it for ever.
 */
import { TelegramClient } from 'telegram';
import { EntityCache } from 'telegram/entityCache.js';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { StringSession } from 'telegram/sessions/index.js';
import { connectionClass, parseServer } from './connection.js';
import { SourceError } from '../sync/types.js';

export interface TelegramClientOptions {
  apiId: number;
  apiHash: string;
  /** GramJS StringSession; '' for a fresh login. */
  session: string;
  /** 'host:port' of an MTProto server other than Telegram's (the sandbox). */
  server?: string;
  /** Connection attempts per connect or reconnect. Default 3. */
  connectionRetries?: number;
  /** Seconds of FLOOD_WAIT GramJS sleeps through by itself; above it a FloodWaitError is thrown. Default 60. */
  floodSleepThreshold?: number;
  /** GramJS logger; default: silent. */
  logger?: Logger;
  /**
   * false: GramJS keeps no copy of the users and chats in results (its session and entity cache
   * otherwise grow by every importer ever paged: ~1 GB for a million). The sync forms its peers
   * itself. Default true (GramJS's behaviour).
   */
  cacheEntities?: boolean;
}

export function createTelegramClient(o: TelegramClientOptions): TelegramClient {
  const server = o.server === undefined ? undefined : parseServer(o.server);
  if (o.server !== undefined && !server) throw new Error(`not a host:port MTProto server address: ${o.server}`);
  const session = o.cacheEntities === false ? new UncachedStringSession(o.session) : new StringSession(o.session);
  const client = new TelegramClient(session, o.apiId, o.apiHash, {
    connectionRetries: o.connectionRetries ?? 3,
    retryDelay: 500,
    autoReconnect: true,
    floodSleepThreshold: o.floodSleepThreshold ?? 60,
    baseLogger: o.logger ?? new Logger(LogLevel.NONE),
    connection: connectionClass({ address: server, onTransportError: (code) => heardTransportError(client, code) }),
  });
  if (o.cacheEntities === false) client._entityCache = new UncachedEntities();
  return client;
}

/** Per client: who hears a transport error its connections read (set while `connectClient` waits). */
const transportErrors = new WeakMap<TelegramClient, (code: number) => void>();
/** Per client: who must know, at any time, that the server no longer knows the auth key (-404). */
const keyLossListeners = new WeakMap<TelegramClient, Set<() => void>>();

function heardTransportError(client: TelegramClient, code: number): void {
  transportErrors.get(client)?.(code);
  if (code === 404) for (const listener of keyLossListeners.get(client) ?? []) listener();
}

/**
 * Calls `listener` whenever the server answers -404 (it does not know the session's auth key),
 * also in the middle of a run: GramJS then only logs "Broken authorization key" and leaves every
 * call pending, so whoever waits on calls must hear it here. Returns the unsubscribe.
 */
export function onKeyUnknown(client: TelegramClient, listener: () => void): () => void {
  let set = keyLossListeners.get(client);
  if (!set) keyLossListeners.set(client, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

export const CONNECT_TIMEOUT_MS = 20_000;

/**
 * `client.connect()`, bounded: fails with a `SourceError` that says what happened instead of
 * hanging — SessionRevoked (AUTH_KEY_UNKNOWN) when the server does not know the session's key,
 * Transient (CONNECT_TIMEOUT) when it does not answer in time, Transient (CONNECT_FAILED) when
 * every connection attempt failed, Transient (CONNECT_ABORTED) when `signal` gave up (joinwatch is
 * stopping). The client is destroyed on failure.
 */
export async function connectClient(client: TelegramClient, timeoutMs = CONNECT_TIMEOUT_MS, signal?: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const failed = new Promise<never>((_, reject) => {
    transportErrors.set(client, (code) => {
      if (code === 404) reject(new SourceError('SessionRevoked', 'AUTH_KEY_UNKNOWN'));
    });
    timer = setTimeout(() => reject(new SourceError('Transient', 'CONNECT_TIMEOUT')), timeoutMs);
    onAbort = () => reject(new SourceError('Transient', 'CONNECT_ABORTED'));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  const connecting = client.connect();
  connecting.catch(() => undefined); // it may settle (or fail) after we gave up on it
  try {
    if (!(await Promise.race([connecting, failed]))) throw new SourceError('Transient', 'CONNECT_FAILED');
  } catch (e) {
    await client.destroy().catch(() => undefined);
    throw e;
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    transportErrors.delete(client);
  }
}

class UncachedStringSession extends StringSession {
  override processEntities(): void {}
}

class UncachedEntities extends EntityCache {
  override add(): void {}
}
