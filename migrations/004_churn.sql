-- joinwatch schema, version 2 (issue 8: the sync stays true under churn).
-- Upgrades a version-1 database in place; every row it held is kept.

-- A join is a *stay*: one row per person, chat and join date (the natural key: a person is a
-- member of a chat at most once at a time, so two stays never share a join date). Leaving ends the
-- stay (left_at, left_how: 'left' or 'kicked' when a live source said so, 'unseen' when a listing
-- no longer showed the person); joining again is a new stay, never an overwrite. The link is not
-- part of the key and may be NULL, so a stay seen by a live source that knows no link (the bot's
-- chat_member, the admin log) is the same row the sync completes later. At most one open stay per
-- person and chat is the writer's rule (store/joins.ts): an index for it would cost every page
-- write another B-tree.
CREATE TABLE joins_v2 (
  user_id      INTEGER NOT NULL REFERENCES users (id),
  chat_id      INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  date         INTEGER NOT NULL,                -- when the stay began (Telegram's join date)
  link_id      INTEGER REFERENCES invite_links (id) ON DELETE CASCADE,
  approved_by  INTEGER,                         -- admin who approved the request, when it was one
  via_chatlist INTEGER NOT NULL DEFAULT 0,
  first_seen   INTEGER NOT NULL,
  left_at      INTEGER,                         -- when the stay ended, as known (see left_how)
  left_how     TEXT CHECK (left_how IN ('left', 'kicked', 'unseen')),
  CHECK ((left_at IS NULL) = (left_how IS NULL)),
  -- user first: the key itself answers "this person's stays" (/whois), newest last
  PRIMARY KEY (user_id, chat_id, date)
) WITHOUT ROWID;
-- Version 1 kept one row per person and link. Two of one person in one chat at the same second
-- (never a real pair of stays) keep the one through the newer link.
INSERT OR REPLACE INTO joins_v2 (user_id, chat_id, date, link_id, approved_by, via_chatlist, first_seen)
  SELECT j.user_id, l.chat_id, j.date, j.link_id, j.approved_by, j.via_chatlist, j.first_seen
  FROM joins j JOIN invite_links l ON l.id = j.link_id
  ORDER BY j.link_id;
DROP TABLE joins;
ALTER TABLE joins_v2 RENAME TO joins;
-- Keyset pages newest first per link; also the ranges a listing page covers.
CREATE INDEX joins_page ON joins (link_id, date DESC, user_id DESC);
-- Version 1 never closed a stay: a person found on several links of a chat is a member through
-- the newest only; each older stay ended when the next one began.
UPDATE joins SET left_how = 'unseen', left_at = (
    SELECT min(n.date) FROM joins n WHERE n.user_id = joins.user_id AND n.chat_id = joins.chat_id AND n.date > joins.date)
  WHERE EXISTS (SELECT 1 FROM joins n WHERE n.user_id = joins.user_id AND n.chat_id = joins.chat_id AND n.date > joins.date);

-- Per link: the spelling Telegram returns when it is not the canonical one (t.me/joinchat/HASH
-- links go back out in that form), the open stays (members as far as the store knows, kept per
-- page like joins_stored), and when the last complete full listing began (leaves before it are known).
ALTER TABLE invite_links ADD COLUMN raw_link TEXT;
ALTER TABLE invite_links ADD COLUMN members_stored INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invite_links ADD COLUMN full_listed_from INTEGER;
UPDATE invite_links SET members_stored = (
  SELECT count(*) FROM joins WHERE joins.link_id = invite_links.id AND joins.left_at IS NULL);

-- A walk over one link's members, resumable page by page. 'news' walks from the top down to the
-- high-water mark (to the end for a link's first walk); its top becomes the mark only once it is
-- complete, so what arrives while it is paused is found by the next one. 'full' lists every member
-- (how leaves are learnt when counters alone cannot tell who left).
CREATE TABLE link_walks (
  link_id        INTEGER NOT NULL REFERENCES invite_links (id) ON DELETE CASCADE,
  kind           TEXT    NOT NULL CHECK (kind IN ('news', 'full')),
  started_at     INTEGER NOT NULL,
  usage          INTEGER,                       -- the link's usage when the walk began
  top_date       INTEGER,                       -- newest row of its first page
  top_user_id    INTEGER,
  floor_date     INTEGER,                       -- news: the mark it walks down to (NULL: the end)
  floor_user_id  INTEGER,
  cursor_date    INTEGER,                       -- last row of the last page written (exclusive)
  cursor_user_id INTEGER,
  cursor_hash    INTEGER,                       -- that user's access hash, as Telegram sent it
  seen           INTEGER NOT NULL DEFAULT 0,    -- rows read down to the cursor
  total          INTEGER,                       -- `count` of its first page
  PRIMARY KEY (link_id, kind)
) WITHOUT ROWID;
-- A version-1 backfill that was interrupted resumes from its cursor; its first page's newest row
-- (stored as the mark too early by version 1) becomes the walk's top.
INSERT INTO link_walks (link_id, kind, started_at, usage, top_date, top_user_id, cursor_date, cursor_user_id)
  SELECT id, 'news', last_seen, usage, hwm_date, hwm_user_id, backfill_date, backfill_user_id
  FROM invite_links WHERE backfill_done = 0 AND backfill_date IS NOT NULL;
UPDATE invite_links SET hwm_date = NULL, hwm_user_id = NULL WHERE backfill_done = 0;
ALTER TABLE invite_links DROP COLUMN backfill_date;
ALTER TABLE invite_links DROP COLUMN backfill_user_id;
-- A flood wait holds a method for the whole account (flood_holds), not one link.
ALTER TABLE invite_links DROP COLUMN deferred_until;
ALTER TABLE invite_links DROP COLUMN deferred_reason;

-- How a request reached the chat: through `link`; through the public username (only the owner can
-- tell); through a link this account cannot list ('unlisted': another admin's, or one made since
-- the listing); or not attributed yet ('unknown': seen in the chat-wide list, its link being read).
ALTER TABLE join_requests ADD COLUMN via TEXT NOT NULL DEFAULT 'username'
  CHECK (via IN ('link', 'username', 'unlisted', 'unknown'));
UPDATE join_requests SET via = 'link' WHERE link IS NOT NULL;
-- The few still being attributed, oldest first (each pending check asks for them).
CREATE INDEX join_requests_unknown ON join_requests (chat_id, date) WHERE status = 'pending' AND via = 'unknown';

-- Per chat: the newest pending request (date, user) below which the chat-wide list is known
-- (advanced only when a pending check completes, like a link's high-water mark).
ALTER TABLE chats ADD COLUMN pending_hwm_date INTEGER;
ALTER TABLE chats ADD COLUMN pending_hwm_user_id INTEGER;

-- FLOOD_WAIT binds the account and the method: no call of `method` before `until` (a restart too).
CREATE TABLE flood_holds (
  method TEXT    PRIMARY KEY,                   -- Telegram's method, e.g. messages.getChatInviteImporters
  until  INTEGER NOT NULL,
  code   TEXT    NOT NULL
) WITHOUT ROWID;

-- Small named positions of the sync that must outlive a restart (the round-robin start).
CREATE TABLE sync_state (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
