/**
 * The one place a GramJS TelegramClient is built: bounded connection retries (GramJS defaults
 * to retrying forever, so connect() would never return against a dead server), GramJS's console
 * logging silenced unless a logger is given, and an optional 'host:port' to reach a server that
 * is not Telegram's (the sandbox).
 */
import { TelegramClient } from 'telegram';
import { EntityCache } from 'telegram/entityCache.js';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { StringSession } from 'telegram/sessions/index.js';
import { connectionTo, parseServer } from './connection.js';

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
    ...(server ? { connection: connectionTo(server.host, server.port) } : {}),
  });
  if (o.cacheEntities === false) client._entityCache = new UncachedEntities();
  return client;
}

class UncachedStringSession extends StringSession {
  override processEntities(): void {}
}

class UncachedEntities extends EntityCache {
  override add(): void {}
}
