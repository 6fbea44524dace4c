/**
 * The userbot side's Telegram, built from configuration: the GramJS client (bounded retries,
 * GramJS logs into pino, TELEGRAM_MTPROTO_SERVER honoured) connected with the stored session,
 * and the `InviteSource` over it. Used by `sync --once` and by app.ts for `start`.
 */
import type { TelegramClient } from 'telegram';
import type { Logger } from 'pino';
import type { ConfigFor } from '../config.js';
import { addLogSecrets } from '../log.js';
import type { InviteSource, LiveSignals } from '../sync/types.js';
import { connectClient, createTelegramClient } from './client.js';
import { toSourceError } from './errors.js';
import { GramJsInviteSource } from './invite-source.js';
import { listenForSignals } from './live-signals.js';
import { PinoGramJsLogger } from './pino-logger.js';
import { loadSession, SessionInvalidError, SessionMissingError } from './session-store.js';

export interface Userbot {
  client: TelegramClient;
  source: InviteSource;
  /** Starts listening for pushed pending counts and reconnects (once; `start` does, `sync --once` need not). */
  signals(): LiveSignals;
  close(): Promise<void>;
}

export type TelegramConfig = ConfigFor<'telegram'> & { SYNC_FLOOD_SLEEP_MAX_SECONDS?: number };

/**
 * Connects with the stored session, within `connectTimeoutMs`. Fails with a `SourceError`:
 * SessionRevoked when Telegram does not accept the session, Transient when it cannot be reached;
 * `describeConnectFailure` turns it into the line a person reads.
 */
export async function openUserbot(
  cfg: TelegramConfig,
  logger: Logger,
  o: { connectTimeoutMs?: number; onFloodSleep?: (seconds: number) => void; signal?: AbortSignal } = {},
): Promise<Userbot> {
  // Read from TELEGRAM_SESSION_FILE, the session was unknown when the logger was made.
  const session = await loadSession(cfg, (secret) => addLogSecrets(logger, secret));
  const client = createTelegramClient({
    apiId: cfg.TELEGRAM_API_ID,
    apiHash: cfg.TELEGRAM_API_HASH,
    session,
    ...(cfg.TELEGRAM_MTPROTO_SERVER ? { server: cfg.TELEGRAM_MTPROTO_SERVER } : {}),
    floodSleepThreshold: cfg.SYNC_FLOOD_SLEEP_MAX_SECONDS ?? 60,
    logger: new PinoGramJsLogger(logger, undefined, o.onFloodSleep),
    cacheEntities: false, // the adapter keeps the few hashes it needs; GramJS would keep every importer
  });
  try {
    await connectClient(client, o.connectTimeoutMs, o.signal);
  } catch (e) {
    await client.destroy().catch(() => undefined);
    throw toSourceError(e);
  }
  let signals: LiveSignals | undefined;
  return {
    client,
    source: new GramJsInviteSource(client),
    signals: () => (signals ??= listenForSignals(client)),
    // destroy(), not disconnect(): only destroy stops GramJS's ping loop and lets the process exit.
    close: () => client.destroy(),
  };
}

/**
 * One line for a failed connect (`openUserbot`, login): what went wrong and what to do. `fix` is
 * the advice for a session the server does not accept.
 */
export function describeConnectFailure(e: unknown, server: string | undefined, fix = 'run `joinwatch login`'): string {
  const where = server ? `the MTProto server ${server}` : 'Telegram';
  const check = `check the network${server ? ' and TELEGRAM_MTPROTO_SERVER' : ''}`;
  if (e instanceof SessionMissingError || e instanceof SessionInvalidError) return e.message;
  const err = toSourceError(e);
  if (err.code === 'AUTH_KEY_UNKNOWN') return `${where} does not know this session (its auth key was dropped, or it was made for another server): ${fix}`;
  if (err.kind === 'SessionRevoked') return `${where} no longer accepts this session (${err.code}): ${fix}`;
  if (err.code === 'CONNECT_TIMEOUT') return `no answer from ${where} while connecting: ${check}`;
  if (err.code === 'CONNECT_FAILED') return `cannot connect to ${where}: ${check}`;
  return `cannot reach ${where}: ${err.message}`;
}
