/**
 * Who administers a chat, as the Bot API says (`getChatAdministrators`), cached for a few minutes:
 * every command asks, and Telegram rate-limits bots. Concurrent lookups of one chat share a single
 * call. A failed lookup (the bot was removed, the chat is gone) counts as "no admins" for a short
 * while, so access is denied rather than granted when Telegram cannot confirm it.
 */
import type { Api } from 'grammy';
import type { Logger } from 'pino';
import { toApiId } from '../api-ids.js';

interface Entry {
  expires: number;
  admins: Promise<ReadonlySet<bigint>>;
}

export interface AdminCacheOptions {
  ttlMs?: number;
  failureTtlMs?: number;
  now?: () => number;
  logger?: Logger;
}

export class AdminCache {
  private readonly entries = new Map<bigint, Entry>();
  private readonly ttlMs: number;
  private readonly failureTtlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly api: Api,
    private readonly opts: AdminCacheOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 5 * 60_000;
    this.failureTtlMs = opts.failureTtlMs ?? 30_000;
    this.now = opts.now ?? Date.now;
  }

  async isAdmin(chatId: bigint, userId: bigint): Promise<boolean> {
    return (await this.admins(chatId)).has(userId);
  }

  admins(chatId: bigint): Promise<ReadonlySet<bigint>> {
    const cached = this.entries.get(chatId);
    if (cached && cached.expires > this.now()) return cached.admins;
    const entry: Entry = { expires: this.now() + this.ttlMs, admins: this.fetch(chatId, () => {
      entry.expires = this.now() + this.failureTtlMs;
    }) };
    this.entries.set(chatId, entry);
    return entry.admins;
  }

  /** Forget a chat (e.g. after an approve failed with "not enough rights"). */
  invalidate(chatId: bigint): void {
    this.entries.delete(chatId);
  }

  private async fetch(chatId: bigint, onFailure: () => void): Promise<ReadonlySet<bigint>> {
    try {
      const members = await this.api.getChatAdministrators(toApiId(chatId));
      return new Set(members.filter((m) => !m.user.is_bot).map((m) => BigInt(m.user.id)));
    } catch (error) {
      onFailure();
      this.opts.logger?.warn({ chatId: chatId.toString(), err: describe(error) }, 'getChatAdministrators failed; treating the chat as having no admins for now');
      return new Set();
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
