/**
 * The userbot side's Telegram, built from configuration: the GramJS client (bounded retries,
 * GramJS logs into pino, TELEGRAM_MTPROTO_SERVER honoured) connected with the stored session,
 * and the `InviteSource` over it. Used by `sync --once` and by app.ts for `start`.
 */
import type { TelegramClient } from 'telegram';
import type { Logger } from 'pino';
import type { ConfigFor } from '../config.js';
import { addLogSecrets } from '../log.js';
import type { InviteSource } from '../sync/types.js';
import { createTelegramClient } from './client.js';
import { toSourceError } from './errors.js';
import { GramJsInviteSource } from './invite-source.js';
import { PinoGramJsLogger } from './pino-logger.js';
import { loadSession } from './session-store.js';

export interface Userbot {
  client: TelegramClient;
  source: InviteSource;
  close(): Promise<void>;
}

export type TelegramConfig = ConfigFor<'telegram'> & { SYNC_FLOOD_SLEEP_MAX_SECONDS?: number };

export async function openUserbot(cfg: TelegramConfig, logger: Logger): Promise<Userbot> {
  const session = await loadSession(cfg);
  addLogSecrets(logger, session); // read from TELEGRAM_SESSION_FILE, it was unknown when the logger was made
  const client = createTelegramClient({
    apiId: cfg.TELEGRAM_API_ID,
    apiHash: cfg.TELEGRAM_API_HASH,
    session,
    ...(cfg.TELEGRAM_MTPROTO_SERVER ? { server: cfg.TELEGRAM_MTPROTO_SERVER } : {}),
    floodSleepThreshold: cfg.SYNC_FLOOD_SLEEP_MAX_SECONDS ?? 60,
    logger: new PinoGramJsLogger(logger),
    cacheEntities: false, // the adapter keeps the few hashes it needs; GramJS would keep every importer
  });
  try {
    await client.connect();
  } catch (e) {
    await client.destroy().catch(() => undefined);
    throw toSourceError(e);
  }
  return {
    client,
    source: new GramJsInviteSource(client),
    // destroy(), not disconnect(): only destroy stops GramJS's ping loop and lets the process exit.
    close: () => client.destroy(),
  };
}
