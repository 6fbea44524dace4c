import type { Database as Db } from 'better-sqlite3';
import { bool, id, num, optId, optStr, str, unixNow, type RawRow } from './row.js';

export type ChatType = 'supergroup' | 'channel' | 'group';

/** Note kind written when the account is not the owner and other admins' links cannot be listed. */
export const INVISIBLE_LINKS_NOTE = 'invisible_links';

export interface ChatInput {
  id: bigint; // Bot API form, -100…
  title: string;
  username?: string | null; // with or without '@'
  type: ChatType;
  accessHash?: bigint | null; // null/undefined keeps the stored one
  isOwner: boolean;
  /** undefined: leave as is; null: clear; text: why other admins' links are invisible. */
  invisibleLinksNote?: string | null;
}

export interface ChatRow {
  id: bigint;
  title: string;
  username: string | null;
  type: ChatType;
  accessHash: bigint | null;
  isOwner: boolean;
  firstSeen: number;
  lastSeen: number;
}

export interface ChatNote {
  kind: string;
  text: string;
  updatedAt: number;
}

export interface ChatsRepo {
  upsert(chat: ChatInput, now?: number): void;
  get(chatId: bigint): ChatRow | undefined;
  list(): ChatRow[];
  byUsername(username: string): ChatRow | undefined;
  setNote(chatId: bigint, kind: string, text: string | null, now?: number): void;
  notes(chatId: bigint): ChatNote[];
}

export function stripAt(username: string): string {
  return username.trim().replace(/^@/, '');
}

function toChat(r: RawRow): ChatRow {
  return {
    id: id(r.id),
    title: str(r.title),
    username: optStr(r.username),
    type: str(r.type) as ChatType,
    accessHash: optId(r.access_hash),
    isOwner: bool(r.is_owner),
    firstSeen: num(r.first_seen),
    lastSeen: num(r.last_seen),
  };
}

export function createChatsRepo(db: Db): ChatsRepo {
  const upsert = db.prepare(`
    INSERT INTO chats (id, title, username, type, access_hash, is_owner, first_seen, last_seen)
    VALUES (@id, @title, @username, @type, @accessHash, @isOwner, @now, @now)
    ON CONFLICT (id) DO UPDATE SET
      title = excluded.title, username = excluded.username, type = excluded.type,
      access_hash = coalesce(excluded.access_hash, access_hash),
      is_owner = excluded.is_owner, last_seen = excluded.last_seen`);
  const get = db.prepare('SELECT * FROM chats WHERE id = ?');
  const list = db.prepare('SELECT * FROM chats ORDER BY title, id');
  const byUsername = db.prepare('SELECT * FROM chats WHERE username = ? COLLATE NOCASE LIMIT 1');
  const putNote = db.prepare(`
    INSERT INTO chat_notes (chat_id, kind, text, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (chat_id, kind) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`);
  const dropNote = db.prepare('DELETE FROM chat_notes WHERE chat_id = ? AND kind = ?');
  const notes = db.prepare('SELECT kind, text, updated_at FROM chat_notes WHERE chat_id = ? ORDER BY kind');

  const setNote = (chatId: bigint, kind: string, text: string | null, now = unixNow()): void => {
    if (text === null) dropNote.run(chatId, kind);
    else putNote.run(chatId, kind, text, now);
  };

  return {
    upsert(chat, now = unixNow()) {
      db.transaction(() => {
        upsert.run({
          id: chat.id,
          title: chat.title,
          username: chat.username ? stripAt(chat.username) : null,
          type: chat.type,
          accessHash: chat.accessHash ?? null,
          isOwner: chat.isOwner ? 1 : 0,
          now,
        });
        if (chat.invisibleLinksNote !== undefined) {
          setNote(chat.id, INVISIBLE_LINKS_NOTE, chat.invisibleLinksNote, now);
        }
      })();
    },
    get: (chatId) => {
      const r = get.get(chatId) as RawRow | undefined;
      return r && toChat(r);
    },
    list: () => (list.all() as RawRow[]).map(toChat),
    byUsername: (username) => {
      const r = byUsername.get(stripAt(username)) as RawRow | undefined;
      return r && toChat(r);
    },
    setNote,
    notes: (chatId) =>
      (notes.all(chatId) as RawRow[]).map((r) => ({
        kind: str(r.kind),
        text: str(r.text),
        updatedAt: num(r.updated_at),
      })),
  };
}
