/**
 * Sending and editing: sendMessage, editMessageText, editMessageReplyMarkup, sendDocument, sendPhoto,
 * answerCallbackQuery, sendChatAction. Texts go through Telegram's parse and length rules
 * (format.ts), keyboards through its button rules (keyboard.ts).
 */
import { isDeepStrictEqual } from 'node:util';
import { badRequest, BotApiError } from './errors.js';
import { formatText } from './format.js';
import { replyMarkup } from './keyboard.js';
import { Upload, type MethodContext } from './method-context.js';
import { forbidden, resolveChat } from './methods-chats.js';
import { chatRef, int, json, str } from './params.js';
import type { StoredFile, StoredMessage } from './state.js';
import { chatView, privateChatView, userView, type Json } from './views.js';

/** The chat as the message shows it, after checking the bot may post there. */
function postTarget(c: MethodContext): { chat: Json; chatId: number } {
  const target = resolveChat(c.world, chatRef(c.params));
  if (target.kind === 'private') {
    if (target.user.isBot) throw forbidden("bot can't send messages to bots");
    if (!c.world.botCanMessage(target.user.id)) throw forbidden("bot can't initiate conversation with a user");
    const chat = privateChatView(target.user);
    return { chat, chatId: chat.id as number };
  }
  const { chat } = target;
  const botId = c.world.bot.id;
  if (!c.world.isMember(chat.id, botId)) throw forbidden(`bot is not a member of the ${chat.type === 'channel' ? 'channel' : 'supergroup'} chat`);
  if (chat.type === 'channel' && !c.world.isAdmin(chat.id, botId)) throw badRequest('need administrator rights in the channel chat');
  const view = chatView(chat);
  return { chat: view, chatId: view.id as number };
}

function base(c: MethodContext, chat: Json, markup: Json | undefined): Json {
  return {
    message_id: c.state.nextMessageId(), from: userView(c.world.bot), chat, date: c.world.now(),
    // Only inline keyboards are part of the returned Message; reply keyboards are not echoed.
    ...(markup && 'inline_keyboard' in markup ? { reply_markup: markup } : {}),
  };
}

export function sendMessage(c: MethodContext): unknown {
  const { chat, chatId } = postTarget(c);
  const { text, entities } = formatText(c.params.text, c.params.parse_mode, json(c.params, 'entities', 'entities'), 'text');
  const markup = replyMarkup(c.params);
  const message: Json = { ...base(c, chat, markup), text, ...(entities.length ? { entities } : {}) };
  c.state.store({ message_id: message.message_id as number, chat_id: chatId, date: message.date as number, fromBot: true, method: c.method, message });
  return message;
}

function editable(c: MethodContext): StoredMessage {
  if (c.params.inline_message_id !== undefined) throw badRequest('MESSAGE_ID_INVALID');
  const { chatId } = postTarget(c);
  const m = c.state.messages.get(int(c.params, 'message_id'));
  if (!m || m.chat_id !== chatId) throw badRequest('message to edit not found');
  if (!m.fromBot) throw badRequest("message can't be edited");
  return m;
}

const NOT_MODIFIED = 'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

export function editMessageText(c: MethodContext): unknown {
  const m = editable(c);
  if (m.message.text === undefined) throw badRequest('there is no text in the message to edit');
  const { text, entities } = formatText(c.params.text, c.params.parse_mode, json(c.params, 'entities', 'entities'), 'text');
  const markup = replyMarkup(c.params);
  const next: Json = { ...m.message, text, edit_date: c.world.now() };
  delete next.entities;
  delete next.reply_markup;
  if (entities.length) next.entities = entities;
  if (markup && 'inline_keyboard' in markup) next.reply_markup = markup;
  if (sameContent(m.message, next)) throw badRequest(NOT_MODIFIED);
  m.message = next;
  c.state.edited(m, { date: next.edit_date as number, text, entities, ...(markup ? { reply_markup: markup } : {}) });
  return next;
}

export function editMessageReplyMarkup(c: MethodContext): unknown {
  const m = editable(c);
  const markup = replyMarkup(c.params);
  const next: Json = { ...m.message, edit_date: c.world.now() };
  delete next.reply_markup;
  if (markup && 'inline_keyboard' in markup) next.reply_markup = markup;
  if (sameContent(m.message, next)) throw badRequest(NOT_MODIFIED);
  m.message = next;
  c.state.edited(m, { date: next.edit_date as number, ...(markup ? { reply_markup: markup } : {}) });
  return next;
}

function sameContent(a: Json, b: Json): boolean {
  return isDeepStrictEqual([a.text, a.entities, a.caption, a.reply_markup], [b.text, b.entities, b.caption, b.reply_markup]);
}

/** The uploaded part, or a file_id sent earlier; URLs become an empty placeholder file. */
function inputFile(c: MethodContext, field: string, fallbackName: string): StoredFile {
  const v = c.params[field];
  if (v instanceof Upload) return c.state.addFile({ name: v.name || fallbackName, size: v.size, mime: v.mime, bytes: v.bytes });
  const ref = str(c.params, field);
  if (!ref) throw badRequest(`there is no ${field} in the request`);
  const known = c.state.files.get(ref);
  if (known) return known;
  if (/^https?:\/\//i.test(ref)) return c.state.addFile({ name: ref.split('/').pop() || fallbackName, size: 0, mime: 'application/octet-stream', bytes: Buffer.alloc(0) });
  throw badRequest('wrong file identifier/HTTP URL specified');
}

function sendFile(c: MethodContext, kind: 'document' | 'photo'): unknown {
  const { chat, chatId } = postTarget(c);
  const caption = formatText(c.params.caption, c.params.parse_mode, json(c.params, 'caption_entities', 'caption entities'), 'caption');
  const markup = replyMarkup(c.params);
  const file = inputFile(c, kind, kind === 'photo' ? 'photo.jpg' : 'document');
  if (file.size > 50 * 1024 * 1024) throw new BotApiError(413, 'Request Entity Too Large');
  const media = kind === 'document'
    ? { document: { file_name: file.name, mime_type: file.mime, file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.size } }
    : { photo: [{ file_id: file.fileId, file_unique_id: file.fileUniqueId, width: 1280, height: 720, file_size: file.size }] };
  const message: Json = {
    ...base(c, chat, markup), ...media,
    ...(caption.text ? { caption: caption.text } : {}), ...(caption.entities.length ? { caption_entities: caption.entities } : {}),
  };
  c.state.store({
    message_id: message.message_id as number, chat_id: chatId, date: message.date as number, fromBot: true, method: c.method, message,
    file: { kind, name: file.name, size: file.size, mime: file.mime, fileId: file.fileId },
  });
  return message;
}

export const sendDocument = (c: MethodContext): unknown => sendFile(c, 'document');
export const sendPhoto = (c: MethodContext): unknown => sendFile(c, 'photo');

export function answerCallbackQuery(c: MethodContext): true {
  const id = str(c.params, 'callback_query_id') ?? '';
  const q = c.state.callbacks.get(id);
  if (!q || q.answered) throw badRequest('query is too old and response timeout expired or query ID is invalid');
  const text = str(c.params, 'text');
  if (text !== undefined && [...text].length > 200) throw badRequest('MESSAGE_TOO_LONG');
  const url = str(c.params, 'url');
  q.answered = { ...(text !== undefined ? { text } : {}), show_alert: c.params.show_alert === true || c.params.show_alert === 'true', ...(url ? { url } : {}) };
  c.state.emit('answered', q);
  return true;
}

export function sendChatAction(c: MethodContext): true {
  postTarget(c);
  return true;
}
