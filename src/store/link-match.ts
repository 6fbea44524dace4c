/**
 * Which stored link a live source means. The Bot API gives a bot its own links whole and other
 * admins' links cut: the visible start, then "..." (tdlib) or "…" (the Bot API documentation); the
 * admin log cuts other admins' links the same way for a viewer who is not the owner. A whole link
 * is looked up exactly (in any spelling Telegram uses); a cut one matches the stored links that start
 * with its visible part, narrowed by the creator and the name when the source gives them, and only
 * when exactly one is left: a guess between two links would put a person on the wrong one.
 */
import type { Database as Db } from 'better-sqlite3';
import { canonicalInviteLink, tryParseInviteLink } from '../domain/invite-link.js';
import { id, optStr, str, type RawRow } from './row.js';

/** A link as a live source shows it. */
export interface ShownLink {
  /** The link's text as received, whole or cut ("https://t.me/+AbCd..."). */
  shown: string;
  /** The link's creator, when the source names it. */
  creatorId?: bigint | null;
  /** The link's name; `undefined`: the source does not say, `null`: it has none. */
  name?: string | null;
}

export interface LinkMatch {
  /** The stored (canonical) link, or null when none is certain. */
  link: string | null;
  how: 'exact' | 'prefix' | 'none';
}

const CUT = /(?:\.\.\.|…)$/;
// The part of a cut link before its hash: every spelling Telegram uses for invite links.
const VISIBLE = /^(?:https?:\/\/)?(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)\/(?:\+|joinchat\/)([A-Za-z0-9_-]*)$/i;
const MAX_SHOWN = 300;

export function createLinkMatcher(db: Db): (chatId: bigint, shown: ShownLink) => LinkMatch {
  const exact = db.prepare('SELECT link FROM invite_links WHERE chat_id = ? AND (link = ? OR raw_link = ?) LIMIT 1').pluck();
  const startingWith = db.prepare('SELECT link, admin_id, title FROM invite_links WHERE chat_id = ? AND substr(link, 1, ?) = ?');

  return (chatId, s) => {
    const text = typeof s.shown === 'string' ? s.shown.trim().slice(0, MAX_SHOWN) : '';
    if (!CUT.test(text)) {
      const parsed = tryParseInviteLink(text);
      const found = parsed && (exact.get(chatId, parsed.link, text) as string | undefined);
      return found ? { link: found, how: 'exact' } : { link: null, how: 'none' };
    }
    const hashStart = VISIBLE.exec(text.replace(CUT, ''))?.[1];
    // Too little of the hash left to tell links apart safely.
    if (hashStart === undefined || hashStart.length < 4) return { link: null, how: 'none' };
    const prefix = canonicalInviteLink(hashStart);
    const candidates = (startingWith.all(chatId, prefix.length, prefix) as RawRow[]).filter(
      (r) =>
        (s.creatorId == null || id(r.admin_id) === s.creatorId) &&
        (s.name === undefined || (optStr(r.title) ?? '') === (s.name ?? '')),
    );
    const only = candidates.length === 1 ? candidates[0] : undefined;
    return only ? { link: str(only.link), how: 'prefix' } : { link: null, how: 'none' };
  };
}
