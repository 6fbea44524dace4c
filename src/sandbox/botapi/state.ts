/**
 * Everything the Bot API server remembers besides the world: messages (the bot's and the users'),
 * uploaded files, open callback queries, the command lists, injected 429s, and the update queue.
 * The sent log is what tests and the demo read back: every bot message with its edits and files.
 */
import { EventEmitter } from 'node:events';
import type { BotEntity } from './entity-types.js';
import { UpdateQueue } from './update-queue.js';
import type { Json } from './views.js';

export interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  name: string;
  size: number;
  mime: string;
  bytes: Buffer;
}

export interface Edit {
  date: number;
  text?: string;
  entities?: BotEntity[];
  reply_markup?: unknown;
}

export interface StoredMessage {
  message_id: number;
  /** Sequence of the last change (send or edit): `sent?after=N` returns messages changed after N. */
  seq: number;
  chat_id: number;
  date: number;
  fromBot: boolean;
  method: string;
  /** The Message object as the Bot API returns it (kept current through edits). */
  message: Json;
  edits: Edit[];
  file?: { kind: 'document' | 'photo'; name: string; size: number; mime: string; fileId: string };
}

/** The record `GET /sandbox/sent` and the in-process driver hand out. */
export interface SentRecord {
  seq: number;
  message_id: number;
  chat: number;
  date: number;
  method: string;
  text?: string;
  caption?: string;
  entities?: BotEntity[];
  reply_markup?: unknown;
  edits: Edit[];
  file?: { kind: 'document' | 'photo'; name: string; size: number; mime: string; file_id: string };
}

export interface CallbackQuery {
  id: string;
  from: number;
  messageId: number;
  data: string;
  answered?: { text?: string; show_alert?: boolean; url?: string };
}

export interface TooManyRequests {
  method: string | null;
  /** Only calls about this chat (`chat_id` as sent, e.g. "-1001700000001"); null: any. */
  chat: string | null;
  remaining: number;
  retryAfter: number;
  /** 500: an internal server error instead of a 429. */
  status?: 429 | 500;
}

export class BotState extends EventEmitter {
  readonly updates = new UpdateQueue();
  readonly messages = new Map<number, StoredMessage>();
  readonly files = new Map<string, StoredFile>();
  readonly callbacks = new Map<string, CallbackQuery>();
  readonly commands = new Map<string, Json[]>();
  readonly tooMany: TooManyRequests[] = [];
  /** Bot API calls served per method (what a test asks "did the bot re-check?"). */
  readonly calls = new Map<string, number>();
  private messageSeq = 0;
  private changeSeq = 0;

  constructor() {
    super();
    // Every waitForSent listens here: many people waiting for the bot at once is normal, not a leak.
    this.setMaxListeners(0);
  }

  private callbackSeq = 0;
  private fileSeq = 0;

  nextMessageId(): number {
    return ++this.messageSeq;
  }

  nextCallbackId(): string {
    return `${Date.now()}${++this.callbackSeq}`;
  }

  store(m: Omit<StoredMessage, 'seq' | 'edits'>): StoredMessage {
    const stored: StoredMessage = { ...m, seq: ++this.changeSeq, edits: [] };
    this.messages.set(m.message_id, stored);
    if (stored.fromBot) this.emit('sent', this.record(stored));
    return stored;
  }

  edited(m: StoredMessage, edit: Edit): void {
    m.edits.push(edit);
    m.seq = ++this.changeSeq;
    this.emit('sent', this.record(m));
  }

  addFile(f: Omit<StoredFile, 'fileId' | 'fileUniqueId'>): StoredFile {
    const n = ++this.fileSeq;
    const file: StoredFile = { ...f, fileId: `BQACAgSBX${n.toString(36).padStart(6, '0')}`, fileUniqueId: `AgAD${n}` };
    this.files.set(file.fileId, file);
    return file;
  }

  /** The bot's messages changed after `after` (a seq), in order of change. */
  sent(after = 0): SentRecord[] {
    return [...this.messages.values()]
      .filter((m) => m.fromBot && m.seq > after)
      .sort((a, b) => a.seq - b.seq)
      .map((m) => this.record(m));
  }

  /** Consumes one injected 429 (or 500) for `method` (about `chat`), if any is armed. */
  takeTooMany(method: string, chat?: string): TooManyRequests | undefined {
    const f = this.tooMany.find((t) => t.remaining > 0 && (t.method === null || t.method === method) && (t.chat === null || t.chat === chat));
    if (f) f.remaining--;
    return f;
  }

  record(m: StoredMessage): SentRecord {
    const msg = m.message;
    return {
      seq: m.seq, message_id: m.message_id, chat: m.chat_id, date: m.date, method: m.method,
      ...(msg.text !== undefined ? { text: msg.text as string } : {}),
      ...(msg.caption !== undefined ? { caption: msg.caption as string } : {}),
      ...(msg.entities || msg.caption_entities ? { entities: (msg.entities ?? msg.caption_entities) as BotEntity[] } : {}),
      ...(msg.reply_markup ? { reply_markup: msg.reply_markup } : {}),
      edits: m.edits,
      ...(m.file ? { file: { kind: m.file.kind, name: m.file.name, size: m.file.size, mime: m.file.mime, file_id: m.file.fileId } } : {}),
    };
  }
}
