/**
 * The in-process driver tests use (and the HTTP control endpoints wrap): a user sends a message or
 * presses a button, and what the bot sent is read back (text, entities, keyboards, files, edits).
 */
import { botApiChatIdFromChannel, channelIdFromBotApiChatId, isChannelChatId } from '../../domain/chat-id.js';
import type { World } from '../world.js';
import { detect } from './format.js';
import { callbackDatas } from './keyboard.js';
import type { BotState, CallbackQuery, SentRecord, StoredFile } from './state.js';
import { chatView, privateChatView, userView, type Json } from './views.js';

export class DriverError extends Error {
  override name = 'DriverError';
}

/** The user Telegram puts in `from` of a message an admin sends as the group. */
export const GROUP_ANONYMOUS_BOT: Json = { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' };

export class BotDriver {
  constructor(
    private readonly world: World,
    private readonly state: BotState,
  ) {}

  /**
   * `from` sends `text` to the bot: in private (chat omitted or = from) or in a group (-100… or
   * MTProto id). `anonymous`: an admin of the group writes as the group, as Telegram lets admins
   * with "remain anonymous" do: the bot sees `from` = GroupAnonymousBot and `sender_chat` = the group.
   */
  message(o: { from: bigint; chat?: bigint; text: string; anonymous?: boolean }): Json {
    const user = this.world.user(o.from);
    if (!user) throw new DriverError(`unknown user ${o.from}`);
    if (typeof o.text !== 'string' || o.text.length === 0) throw new DriverError('text is empty');
    let chat: Json;
    let sender: Json = userView(user);
    if (o.chat === undefined || o.chat === o.from) {
      if (o.anonymous) throw new DriverError('only a group admin can write anonymously, in the group');
      chat = privateChatView(user);
      this.world.startBot(user.id);
    } else {
      const channelId = isChannelChatId(o.chat) ? channelIdFromBotApiChatId(o.chat) : o.chat;
      const c = this.world.chat(channelId);
      if (!c) throw new DriverError(`unknown chat ${o.chat}`);
      chat = chatView(c);
      if (o.anonymous) {
        if (!this.world.isAdmin(c.id, user.id)) throw new DriverError(`${o.from} is not an admin of ${o.chat}: only admins can write as the group`);
        sender = GROUP_ANONYMOUS_BOT;
      }
    }
    const entities = detect(o.text);
    const message: Json = {
      message_id: this.state.nextMessageId(), from: sender, ...(o.anonymous ? { sender_chat: chat } : {}), chat, date: this.world.now(), text: o.text,
      ...(entities.length ? { entities } : {}),
    };
    this.state.store({ message_id: message.message_id as number, chat_id: chat.id as number, date: message.date as number, fromBot: false, method: 'user', message });
    this.state.updates.push('message', message);
    return message;
  }

  /**
   * `from` presses the inline button carrying `data` under the bot's message; returns the query id.
   * `forged`: a modified client sends `data` whatever the message's buttons say (the bot must not
   * trust callback data); otherwise the message must carry a button with that data.
   */
  press(o: { from: bigint; messageId: number; data: string; forged?: boolean }): string {
    const user = this.world.user(o.from);
    if (!user) throw new DriverError(`unknown user ${o.from}`);
    const m = this.state.messages.get(o.messageId);
    if (!m || !m.fromBot) throw new DriverError(`no bot message ${o.messageId}`);
    if (!o.forged && !callbackDatas(m.message.reply_markup).includes(o.data)) throw new DriverError(`message ${o.messageId} has no button with data ${JSON.stringify(o.data)}`);
    const id = this.state.nextCallbackId();
    const query: CallbackQuery = { id, from: Number(o.from), messageId: o.messageId, data: o.data };
    this.state.callbacks.set(id, query);
    this.state.updates.push('callback_query', {
      id, from: userView(user), message: m.message, chat_instance: String(m.chat_id), data: o.data,
    });
    return id;
  }

  sent(after = 0): SentRecord[] {
    return this.state.sent(after);
  }

  /** The latest sequence number: pass it as `after` to see only what comes next. */
  get cursor(): number {
    const all = this.state.sent(0);
    return all[all.length - 1]?.seq ?? 0;
  }

  /** Resolves with the first bot message (new or edited) after `after` that matches. */
  waitForSent(match: (r: SentRecord) => boolean = () => true, o: { after?: number; timeoutMs?: number } = {}): Promise<SentRecord> {
    const after = o.after ?? 0;
    const found = this.state.sent(after).find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onSent = (r: SentRecord): void => {
        if (r.seq <= after || !match(r)) return;
        clearTimeout(timer);
        this.state.off('sent', onSent);
        resolve(r);
      };
      const timer = setTimeout(() => {
        this.state.off('sent', onSent);
        reject(new DriverError(`no matching bot message within ${o.timeoutMs ?? 10_000} ms`));
      }, o.timeoutMs ?? 10_000);
      this.state.on('sent', onSent);
    });
  }

  /** How the bot answered a callback query (undefined while unanswered). */
  answer(callbackId: string): CallbackQuery['answered'] {
    return this.state.callbacks.get(callbackId)?.answered;
  }

  /** A file the bot uploaded, with its bytes (e.g. an exported CSV). */
  file(fileId: string): StoredFile | undefined {
    return this.state.files.get(fileId);
  }

  /** The next `count` calls (of `method`, or any; about `chat`, or any) answer 429 with `retry_after`. */
  tooManyRequests(o: { method?: string; chat?: bigint | number; count?: number; retryAfter?: number } = {}): void {
    this.state.tooMany.push({ method: o.method ?? null, chat: o.chat === undefined ? null : String(o.chat), remaining: o.count ?? 1, retryAfter: o.retryAfter ?? 1 });
  }

  /** The next `count` calls (of `method`, or any; about `chat`, or any) answer 500 Internal Server Error. */
  serverErrors(o: { method?: string; chat?: bigint | number; count?: number } = {}): void {
    this.state.tooMany.push({ method: o.method ?? null, chat: o.chat === undefined ? null : String(o.chat), remaining: o.count ?? 1, retryAfter: 0, status: 500 });
  }

  /** An admin change made in a Telegram app (promote, demote, take `can_invite_users` away). */
  setAdmin(chatId: bigint, userId: bigint, rights: { admin: boolean; canInvite?: boolean }): void {
    this.world.setAdmin(isChannelChatId(chatId) ? channelIdFromBotApiChatId(chatId) : chatId, userId, rights);
  }

  /** Bot API calls the bot made of `method` since the server started. */
  calls(method: string): number {
    return this.state.calls.get(method) ?? 0;
  }

  /** Commands set for a scope (default scope, no language when omitted). */
  commands(scope: Json = { type: 'default' }, languageCode = ''): Json[] {
    return this.state.commands.get(`${JSON.stringify(scope)}|${languageCode}`) ?? [];
  }

  /** The Bot API id of a world chat, for tests. */
  chatId(channelId: bigint): number {
    return Number(botApiChatIdFromChannel(channelId));
  }
}
