/**
 * Who may do what in a chat, as the Bot API says, checked the way Telegram itself would:
 *   - reading a chat's data needs its owner or an administrator (`getChatAdministrators`);
 *   - deciding a join request needs the owner, or an administrator with `can_invite_users`.
 * The admin list is cached for a few minutes (every command asks, and Telegram rate-limits bots);
 * concurrent lookups of one chat share a single call. A failed lookup counts as "no admins" for a
 * short while, so access is denied rather than granted when Telegram cannot confirm it.
 * Deciding never trusts the cache: `decider()` asks `getChatMember` fresh at every decision. A
 * `chat_member` / `my_chat_member` update or a "not enough rights" answer drops the chat's entry
 * at once (`invalidate`), so a demotion takes effect on the next update, not 5 minutes later.
 */
import type { Api } from 'grammy';
import type { ChatMember } from 'grammy/types';
import type { Logger } from 'pino';
import { toApiId } from '../api-ids.js';
import type { Phrase } from '../i18n/texts.js';

/** What Telegram lets one person do in one chat. */
export interface Rights {
  readonly read: boolean;
  readonly decide: boolean;
}

export const NO_RIGHTS: Rights = { read: false, decide: false };

/** A ChatMember as Telegram reports it, reduced to what joinwatch cares about. */
export function rightsOf(member: ChatMember): Rights {
  if (member.status === 'creator') return { read: true, decide: true };
  if (member.status === 'administrator') return { read: true, decide: member.can_invite_users };
  return NO_RIGHTS;
}

/** Why a decision is refused to the person who pressed, in words an admin understands (a text of locales/). */
export type DeciderCheck = { ok: true } | { ok: false; reason: Phrase };

interface Entry {
  expires: number;
  admins: Promise<ReadonlyMap<bigint, Rights>>;
}

export interface AdminCacheOptions {
  ttlMs?: number | undefined;
  failureTtlMs?: number | undefined;
  now?: (() => number) | undefined;
  logger?: Logger | undefined;
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

  /** May `userId` read `chatId`'s data (cached admin list)? */
  async isAdmin(chatId: bigint, userId: bigint): Promise<boolean> {
    return (await this.admins(chatId)).get(userId)?.read ?? false;
  }

  admins(chatId: bigint): Promise<ReadonlyMap<bigint, Rights>> {
    const cached = this.entries.get(chatId);
    if (cached && cached.expires > this.now()) return cached.admins;
    const entry: Entry = {
      expires: this.now() + this.ttlMs,
      admins: this.fetch(chatId, () => {
        entry.expires = this.now() + this.failureTtlMs;
      }),
    };
    this.entries.set(chatId, entry);
    return entry.admins;
  }

  /**
   * May `userId` decide join requests in `chatId` right now? Asked fresh (getChatMember), never
   * from the cache: a demotion a second ago must count. A refusal also drops the cached list.
   */
  async decider(chatId: bigint, userId: bigint): Promise<DeciderCheck> {
    let rights: Rights;
    try {
      rights = rightsOf(await this.api.getChatMember(toApiId(chatId), toApiId(userId)));
    } catch (error) {
      this.opts.logger?.warn({ chatId: chatId.toString(), err: describe(error) }, 'getChatMember failed; refusing the decision');
      this.invalidate(chatId);
      return { ok: false, reason: { key: 'decide-unconfirmed' } };
    }
    if (rights.decide) return { ok: true };
    this.invalidate(chatId);
    return { ok: false, reason: { key: rights.read ? 'decide-no-invite-right' : 'decide-not-admin' } };
  }

  /** Forget a chat: an admin change was seen, or Telegram answered "not enough rights". */
  invalidate(chatId: bigint): void {
    this.entries.delete(chatId);
  }

  private async fetch(chatId: bigint, onFailure: () => void): Promise<ReadonlyMap<bigint, Rights>> {
    try {
      const members = await this.api.getChatAdministrators(toApiId(chatId));
      return new Map(members.filter((m) => !m.user.is_bot).map((m) => [BigInt(m.user.id), rightsOf(m)]));
    } catch (error) {
      onFailure();
      this.opts.logger?.warn({ chatId: chatId.toString(), err: describe(error) }, 'getChatAdministrators failed; treating the chat as having no admins for now');
      return new Map();
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
