-- joinwatch schema, version 1.
-- Conventions: Telegram ids are INTEGER (64-bit) and read back as bigint; chat ids are in the
-- Bot API form (-100… for supergroups and channels). Dates are unix seconds (INTEGER). Booleans
-- are 0/1. Links are stored normalised (https://t.me/+HASH) by the caller's one normaliser.

CREATE TABLE chats (
  id          INTEGER PRIMARY KEY,            -- Bot API form, e.g. -1001234567890
  title       TEXT    NOT NULL DEFAULT '',
  username    TEXT,                           -- public @username without '@', NULL when private
  type        TEXT    NOT NULL DEFAULT 'supergroup'
              CHECK (type IN ('supergroup', 'channel', 'group')),
  access_hash INTEGER,                        -- MTProto channel access hash, when known
  is_owner    INTEGER NOT NULL DEFAULT 0,     -- is the userbot account the creator
  first_seen  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL
);
CREATE INDEX chats_username ON chats (username COLLATE NOCASE);

-- Facts about a chat worth showing to its admins, keyed by kind so a re-sync replaces the text,
-- e.g. kind 'invisible_links': "links of other admins are invisible: the account is not the owner".
CREATE TABLE chat_notes (
  chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  kind       TEXT    NOT NULL,
  text       TEXT    NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (chat_id, kind)
) WITHOUT ROWID;

CREATE TABLE users (
  id          INTEGER PRIMARY KEY,
  access_hash INTEGER,
  username    TEXT,
  first_name  TEXT    NOT NULL DEFAULT '',
  last_name   TEXT    NOT NULL DEFAULT '',
  first_seen  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL
);
CREATE INDEX users_username ON users (username COLLATE NOCASE) WHERE username IS NOT NULL;

-- One row per observed change of a user's name or username (old and new values).
CREATE TABLE user_history (
  id             INTEGER PRIMARY KEY,
  user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  changed_at     INTEGER NOT NULL,
  old_username   TEXT,
  old_first_name TEXT NOT NULL,
  old_last_name  TEXT NOT NULL,
  new_username   TEXT,
  new_first_name TEXT NOT NULL,
  new_last_name  TEXT NOT NULL
);
CREATE INDEX user_history_user ON user_history (user_id, changed_at);

-- The history is written by the database itself, so no writer can forget it and an unchanged
-- upsert costs nothing extra. users.last_seen is kept current by the upsert (see users.ts).
CREATE TRIGGER users_history AFTER UPDATE OF username, first_name, last_name ON users
WHEN old.username IS NOT new.username OR old.first_name IS NOT new.first_name
  OR old.last_name IS NOT new.last_name
BEGIN
  INSERT INTO user_history (user_id, changed_at, old_username, old_first_name, old_last_name,
                            new_username, new_first_name, new_last_name)
  VALUES (new.id, new.last_seen, old.username, old.first_name, old.last_name,
          new.username, new.first_name, new.last_name);
END;

CREATE TABLE invite_links (
  id                   INTEGER PRIMARY KEY,   -- local key: joins refer to it (8 bytes, not the URL)
  chat_id              INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  link                 TEXT    NOT NULL,      -- normalised https://t.me/+HASH
  -- chatInviteExported fields
  admin_id             INTEGER NOT NULL,
  date                 INTEGER NOT NULL,
  start_date           INTEGER,
  expire_date          INTEGER,
  usage_limit          INTEGER,
  usage                INTEGER NOT NULL DEFAULT 0,
  requested            INTEGER NOT NULL DEFAULT 0,
  subscription_expired INTEGER,
  title                TEXT,
  subscription_period  INTEGER,               -- StarsSubscriptionPricing.period (seconds)
  subscription_amount  INTEGER,               -- StarsSubscriptionPricing.amount (stars)
  revoked              INTEGER NOT NULL DEFAULT 0,
  permanent            INTEGER NOT NULL DEFAULT 0,
  request_needed       INTEGER NOT NULL DEFAULT 0,
  first_seen           INTEGER NOT NULL,
  last_seen            INTEGER NOT NULL,
  -- sync state: (usage, requested) as of the last finished page walk
  synced_usage         INTEGER,
  synced_requested     INTEGER,
  -- newest (date, user_id) stored for this link: incremental syncs stop there
  hwm_date             INTEGER,
  hwm_user_id          INTEGER,
  -- resumable backfill: the last (date, user_id) written, exclusive cursor of the next page
  backfill_date        INTEGER,
  backfill_user_id     INTEGER,
  backfill_done        INTEGER NOT NULL DEFAULT 0,
  deferred_until       INTEGER,               -- flood wait: do not page before this time
  deferred_reason      TEXT,
  visible              INTEGER NOT NULL DEFAULT 1, -- 0: known to exist but not listable by us
  gone_at              INTEGER,               -- INVITE_HASH_EXPIRED: Telegram forgot it
  revoked_at           INTEGER,               -- when we first saw it revoked
  -- derived, kept by joins.insertMany per page: /links must not count a 500,000-row link
  joins_stored         INTEGER NOT NULL DEFAULT 0,
  last_join_date       INTEGER,
  UNIQUE (chat_id, link)
);
CREATE INDEX invite_links_link ON invite_links (link);

-- Joiners of a link. The link (and through it the chat) is the local invite_links.id: an integer
-- key instead of the URL in the table and both indexes makes each page write ~1.5x cheaper.
CREATE TABLE joins (
  link_id      INTEGER NOT NULL REFERENCES invite_links (id) ON DELETE CASCADE,
  user_id      INTEGER NOT NULL REFERENCES users (id),
  date         INTEGER NOT NULL,
  approved_by  INTEGER,                       -- admin who approved the request, when it was one
  via_chatlist INTEGER NOT NULL DEFAULT 0,
  first_seen   INTEGER NOT NULL,
  -- user first: the key itself answers /whois (a user's joins), so no separate user index
  PRIMARY KEY (user_id, link_id)
) WITHOUT ROWID;
-- Keyset pages newest first per link (also per-chat date ranges, link by link: stats.ts).
-- Every index on joins is paid on each joiner written: this is the only secondary one.
CREATE INDEX joins_page ON joins (link_id, date DESC, user_id DESC);

-- One row per request; at most one pending per (chat, user), as in Telegram.
CREATE TABLE join_requests (
  id         INTEGER PRIMARY KEY,
  chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  link       TEXT,                            -- NULL: made through the public @username
  date       INTEGER NOT NULL,                -- when the user asked
  about      TEXT,
  status     TEXT    NOT NULL DEFAULT 'pending'
             CHECK (status IN ('pending', 'approved', 'declined', 'gone')),
  first_seen INTEGER NOT NULL,
  decided_at INTEGER,                         -- when the outcome was observed
  decided_by INTEGER,                         -- admin id, when known
  -- Requester's name, username and the bio in one string, kept by the triggers below: searches
  -- too short for the trigram index scan this column instead of joining every request to users.
  search_text TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX join_requests_one_pending ON join_requests (chat_id, user_id)
  WHERE status = 'pending';
-- search_text rides along so that short searches (a scan, see pending.ts) read only this index.
CREATE INDEX join_requests_page ON join_requests (chat_id, status, date DESC, user_id DESC, link, search_text);
CREATE INDEX join_requests_link ON join_requests (chat_id, link, status);
CREATE INDEX join_requests_user ON join_requests (user_id);

-- Every status a request went through, with when it was observed and by whom when known.
CREATE TABLE join_request_history (
  id          INTEGER PRIMARY KEY,
  request_id  INTEGER NOT NULL REFERENCES join_requests (id) ON DELETE CASCADE,
  status      TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'gone')),
  observed_at INTEGER NOT NULL,
  decided_by  INTEGER
);
CREATE INDEX join_request_history_request ON join_request_history (request_id);

CREATE TABLE sync_runs (
  id          INTEGER PRIMARY KEY,
  chat_id     INTEGER REFERENCES chats (id) ON DELETE CASCADE, -- NULL: a run not tied to one chat
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  calls       INTEGER NOT NULL DEFAULT 0,
  rows_added  INTEGER NOT NULL DEFAULT 0,
  outcome     TEXT CHECK (outcome IN ('ok', 'partial', 'deferred', 'failed')),
  error       TEXT
);
CREATE INDEX sync_runs_chat ON sync_runs (chat_id, finished_at);

-- Transactional outbox: events are written in the same transaction as the rows that cause them.
-- No json_valid() check: the payload is always JSON.stringify output. Delivered rows are purged by
-- the notifier after a week (outbox.purgeDelivered).
CREATE TABLE outbox (
  id           INTEGER PRIMARY KEY,
  kind         TEXT    NOT NULL,
  chat_id      INTEGER,
  payload      TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  delivered_at INTEGER
);
-- The notifier's scan for undelivered events: a partial index holds only the waiting rows, so it
-- stays tiny (events are one per page, not per row) and the scan never walks delivered history.
CREATE INDEX outbox_undelivered ON outbox (id) WHERE delivered_at IS NULL;


-- Search over join requests: the requester's name, username and the request's bio. Triggers keep
-- join_requests.search_text (that text in one string) current on insert, on a new bio and when the
-- requester is renamed; the FTS index follows search_text. Trigram: substring matches ("ann" in
-- "Joanna"), case-folded Cyrillic, emoji. Only requesters are indexed, not every joiner: the bot
-- searches requests, and trigram-indexing a million joiners' names would triple the cost of writing
-- a page of joins. Contentless with delete support: the text lives once, in join_requests.
CREATE VIRTUAL TABLE requests_fts USING fts5 (
  text, content = '', contentless_delete = 1, tokenize = 'trigram'
);
CREATE TRIGGER requests_search_insert AFTER INSERT ON join_requests BEGIN
  UPDATE join_requests SET search_text = (
    SELECT u.first_name || ' ' || u.last_name || ' ' || coalesce(u.username, '') || ' ' || coalesce(new.about, '')
    FROM users u WHERE u.id = new.user_id)
  WHERE id = new.id;
END;
CREATE TRIGGER requests_search_about AFTER UPDATE OF about ON join_requests
WHEN old.about IS NOT new.about
BEGIN
  UPDATE join_requests SET search_text = (
    SELECT u.first_name || ' ' || u.last_name || ' ' || coalesce(u.username, '') || ' ' || coalesce(new.about, '')
    FROM users u WHERE u.id = new.user_id)
  WHERE id = new.id;
END;
-- A requester renamed: their requests (a handful) get the current name, so searches find it.
CREATE TRIGGER requests_search_rename AFTER UPDATE OF username, first_name, last_name ON users
WHEN old.username IS NOT new.username OR old.first_name IS NOT new.first_name
  OR old.last_name IS NOT new.last_name
BEGIN
  UPDATE join_requests
  SET search_text = new.first_name || ' ' || new.last_name || ' ' || coalesce(new.username, '') || ' ' || coalesce(about, '')
  WHERE user_id = new.id;
END;
-- The FTS index mirrors search_text (set by the triggers above, never empty after them).
CREATE TRIGGER requests_fts_sync AFTER UPDATE OF search_text ON join_requests BEGIN
  DELETE FROM requests_fts WHERE rowid = old.id;
  INSERT INTO requests_fts (rowid, text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER requests_fts_delete AFTER DELETE ON join_requests BEGIN
  DELETE FROM requests_fts WHERE rowid = old.id;
END;
