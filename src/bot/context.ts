/**
 * The bot's context type, as in grammY's docs ("context flavors") and the grammY bot template:
 * every feature composer is a `Composer<BotContext>` and finds the store, a per-update logger
 * and the access decision on `ctx`, installed once by `create-bot.ts` before any feature runs.
 *
 * For feature authors (stats, export, …) the contract is:
 *   - `ctx.adminChats` is already filtered: only watched chats the sender may read.
 *   - `await ctx.withChat(arg, async (chat) => …)` picks the chat a command is about (the group
 *     itself in a group; in private the chat named by `arg`, the only one, or a button pick) and
 *     refuses everyone else; the callback runs only for an allowed chat.
 *   - `ctx.answer(text, other)` (or `ctx.deliver(id => ctx.api.sendPhoto(id, …))`) sends a result where join data may be shown: the admin's private
 *     chat (with a one-line pointer in the group, or a deep link when the admin never started
 *     the bot). Never `ctx.reply` with chat data.
 */
import type { I18nFlavor } from '@grammyjs/i18n';
import type { Context } from 'grammy';
import type { Message, Update } from 'grammy/types';
import type { Logger } from 'pino';
import type { SyncFigures } from '../domain/sync-figures.js';
import type { Store } from '../store/index.js';
import type { ButtonBook } from './buttons.js';
import type { Texts } from './i18n/texts.js';
import type { AdminCache } from './middlewares/admin-cache.js';
import type { WatchedRef } from './watched.js';

/** Handed in by app.ts: the bot never imports the sync engine (arrows point down). */
export interface SyncTrigger {
  syncNow(chatId: bigint): Promise<SyncAnswer>;
}

/** What a sync on demand did: `figures` are shown in the admin's language, `summary` when they are absent. */
export interface SyncAnswer {
  ok: boolean;
  summary: string;
  figures?: SyncFigures | undefined;
}

/** A watched chat the current sender may query. `id` is the Bot API `-100…` form. */
export interface AdminChat {
  readonly id: bigint;
  readonly title: string;
  readonly username?: string | undefined;
}

/** Options of `ctx.answer`: the parts of sendMessage's options the features use. */
export type AnswerOptions = Parameters<Context['api']['sendMessage']>[2];

/** Long-lived dependencies, the same object for every update. */
export interface BotDeps {
  readonly store: Store;
  readonly logger: Logger;
  /** Users who may read every watched chat (config ADMIN_IDS); deciding still needs Telegram's right. */
  readonly adminIds: ReadonlySet<bigint>;
  /** WATCH_CHATS: the only chats served, whatever else the store holds. */
  readonly watchChats: readonly WatchedRef[];
  /** Who may read (cached) and decide (asked fresh) in which chat. */
  readonly rights: AdminCache;
  /** Aborted when the bot stops: long work (bulk runs, 429 waits) ends with it. */
  readonly shutdown: AbortSignal;
  readonly syncTrigger?: SyncTrigger | undefined;
  /** Milliseconds since the epoch, like Date.now; injectable so tests control freshness lines. */
  readonly now: () => number;
  /** Signed callback data and what buttons stand for (SQLite: buttons outlive restarts). */
  readonly buttons: ButtonBook;
  /** Hands an update to the bot's own middleware (a command re-run by a button, see rerun.ts). */
  readonly dispatch: (update: Update) => void;
  /** The chat a "Which chat?" press picked, per re-run update. */
  readonly pickedChats: WeakMap<Update, bigint>;
}

export interface JoinwatchFlavor {
  readonly deps: BotDeps;
  /** Shortcut for deps.store. */
  readonly store: Store;
  /** Child logger carrying the update id (and never secrets). */
  logger: Logger;
  /** The sender's language (languageMiddleware): for views; `ctx.t` is the same texts' `t`. */
  texts: Texts;
  /** Watched chats the sender administers (or all of them for ADMIN_IDS); resolved per update. */
  adminChats: readonly AdminChat[];
  /**
   * Runs `run` for the chat this command is about, after the access check. In private with
   * several candidate chats and no usable `arg`, asks with buttons and runs `run` after the pick.
   * Anything that is not an allowed chat gets a one-line refusal; `run` is then not called.
   * `arg` may be a chat id (`-100…`) or `@username` of a watched chat.
   */
  withChat(arg: string | undefined, run: (chat: AdminChat) => Promise<void>): Promise<void>;
  /** Sends join data to the admin privately (see the file comment); returns the sent message. */
  answer(text: string, other?: AnswerOptions): Promise<Message.TextMessage | undefined>;
  /**
   * The general form of `answer` for photos and documents: `send` gets the private chat id where
   * the result goes (the sender's), and the group pointer / deep link is handled the same way.
   * Resolves to undefined when the admin could not be reached (they were told how to fix it).
   */
  deliver<T>(send: (privateChatId: number) => Promise<T>): Promise<T | undefined>;
}

export type BotContext = Context & JoinwatchFlavor & I18nFlavor;
