import type { Database as Db } from 'better-sqlite3';
import { toJoin, type JoinRow } from './joins.js';
import { toRequest, type RequestRow } from './requests.js';
import { optStr, type RawRow } from './row.js';
import { toUser, type UserRow } from './users.js';

export interface UserActivity {
  user: UserRow | undefined;
  joins: (JoinRow & { link: string; linkTitle: string | null })[]; // every stay through a link, newest first
  requests: RequestRow[]; // every status, newest first; decidedBy = the approver when known
}

export interface WhoisRepo {
  /** Everything about one user, limited to the given chats (the ones the asker administers). */
  whois(userId: bigint, chatIds: readonly bigint[]): UserActivity;
}

export function createWhoisRepo(db: Db): WhoisRepo {
  const user = db.prepare('SELECT * FROM users WHERE id = ?');
  const joins = db.prepare(`
    SELECT j.*, l.chat_id, l.link, l.title AS link_title FROM joins j
    JOIN invite_links l ON l.id = j.link_id
    WHERE j.user_id = ? ORDER BY j.date DESC`);
  const requests = db.prepare('SELECT * FROM join_requests WHERE user_id = ? ORDER BY date DESC, id DESC');

  return {
    whois(userId, chatIds) {
      // A user's rows are few: filter the chats here instead of building a variable IN (…) list.
      const allowed = new Set(chatIds);
      const u = user.get(userId) as RawRow | undefined;
      return {
        user: u && toUser(u),
        joins: (joins.all(userId) as RawRow[])
          .map((r) => ({ ...toJoin(r), link: String(r.link), linkTitle: optStr(r.link_title) }))
          .filter((j) => allowed.has(j.chatId)),
        requests: (requests.all(userId) as RawRow[]).map(toRequest).filter((r) => allowed.has(r.chatId)),
      };
    },
  };
}
