-- Issue 11: everything that must outlive a restart lives here, not in a process's memory.

-- What a button's short key stands for (a /pending list and its page, an "approve all" question,
-- a "Which chat?" pick, a long link, an anonymous admin's command): callback data holds 64 bytes,
-- so it carries the key and the row holds the rest, until `expires_at`. A button whose row is gone
-- is answered "no longer available", never silently.
CREATE TABLE button_contexts (
  token      TEXT    PRIMARY KEY,              -- random, base64url, inside the callback data
  kind       TEXT    NOT NULL,
  user_id    INTEGER,                          -- who asked (NULL: anyone the access check lets in)
  payload    TEXT    NOT NULL,                 -- JSON (bigints as decimal strings)
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX button_contexts_expiry ON button_contexts (expires_at);
CREATE INDEX button_contexts_kind ON button_contexts (kind);

-- Small settings the bot keeps for itself; `button_key` signs callback data (a secret).
CREATE TABLE bot_settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Each notification to one recipient, written before its first part is sent: once a part is out,
-- a restart finishes it (the parts not sent yet, then the events marked delivered and `effects`
-- applied to the notifier's memory) instead of planning it again, so a crash between "sent" and
-- "marked" sends nothing twice. `in_flight` = a part's send began and its outcome is unknown (the
-- process died meanwhile): that part alone is sent again. One of which nothing went out is
-- dropped and planned afresh.
CREATE TABLE notify_messages (
  id           INTEGER PRIMARY KEY,
  recipient    TEXT    NOT NULL,               -- chat id as decimal text
  key          TEXT    NOT NULL,               -- what it is (digest:…, raid:…, alerts:…, import:…)
  chat_id      INTEGER,
  parts        TEXT    NOT NULL,               -- JSON array of HTML texts
  event_ids    TEXT    NOT NULL,               -- JSON array of the outbox ids it carries
  effects      TEXT    NOT NULL DEFAULT '[]',  -- JSON: what completing it records (digest window, raid, throttle)
  sent_parts   INTEGER NOT NULL DEFAULT 0,
  in_flight    INTEGER NOT NULL DEFAULT 0,
  message_ids  TEXT    NOT NULL DEFAULT '[]',  -- JSON array: Telegram's id of each part sent
  repeated     INTEGER NOT NULL DEFAULT 0,     -- parts sent again after a restart (outcome was unknown)
  created_at   INTEGER NOT NULL,
  completed_at INTEGER
);
CREATE INDEX notify_messages_open ON notify_messages (recipient, id) WHERE completed_at IS NULL;
CREATE INDEX notify_messages_completed ON notify_messages (completed_at) WHERE completed_at IS NOT NULL;

-- The notifier's memory per recipient: when a chat's last digest went out ('digest', key = chat
-- id), when a sync failure was last told ('throttle'), which raid was alerted and how big ('raid').
CREATE TABLE notify_memory (
  recipient TEXT    NOT NULL,
  kind      TEXT    NOT NULL,
  key       TEXT    NOT NULL,
  at_ms     INTEGER NOT NULL,
  count     INTEGER,
  PRIMARY KEY (recipient, kind, key)
) WITHOUT ROWID;

-- The raid detector's window: recent joins it has seen, per recipient (a raid can straddle a
-- restart as well as two sync cycles). Pruned by date.
CREATE TABLE raid_samples (
  recipient TEXT    NOT NULL,
  chat_id   INTEGER NOT NULL,
  link      TEXT    NOT NULL,                  -- '' for a join through no link
  user_id   INTEGER NOT NULL,
  date      INTEGER NOT NULL,
  PRIMARY KEY (recipient, chat_id, link, user_id, date)
) WITHOUT ROWID;
CREATE INDEX raid_samples_date ON raid_samples (recipient, date);

-- Telegram calls of the sync (unix ms), for the per-minute budget: a restart, or a `sync --once`
-- beside `start`, sees the calls already made this minute. Pruned as it goes.
CREATE TABLE sync_calls (
  at_ms INTEGER NOT NULL
);
CREATE INDEX sync_calls_at ON sync_calls (at_ms);

-- A chat's initial import: its first sync that completed (or, for a chat Telegram keeps slowing
-- down, the first one that stored progress an hour after the first began). Events written before
-- it are summed up in one "initial import" message instead of digests; `event_id` is that
-- message's outbox event (NULL for chats imported before this version, nothing to sum up).
CREATE TABLE chat_imports (
  chat_id     INTEGER PRIMARY KEY REFERENCES chats (id) ON DELETE CASCADE,
  run_id      INTEGER,
  imported_at INTEGER NOT NULL,
  event_id    INTEGER
) WITHOUT ROWID;
INSERT INTO chat_imports (chat_id, run_id, imported_at, event_id)
  SELECT chat_id, max(id), max(finished_at), NULL FROM sync_runs
  WHERE chat_id IS NOT NULL AND outcome IN ('ok', 'partial') AND finished_at IS NOT NULL
  GROUP BY chat_id;

-- Written by the database itself when a run finishes, in the run's own transaction: whoever
-- finishes runs (the sync engine) cannot forget it, and the event lands after every page of the
-- import. Inside a trigger, last_insert_rowid() is the row this trigger just inserted.
CREATE TRIGGER chat_imported AFTER UPDATE OF outcome ON sync_runs
WHEN new.chat_id IS NOT NULL AND new.finished_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM chat_imports WHERE chat_id = new.chat_id)
  AND (new.outcome = 'ok' OR (new.outcome = 'partial' AND new.finished_at -
       (SELECT min(started_at) FROM sync_runs WHERE chat_id = new.chat_id) >= 3600))
BEGIN
  INSERT INTO outbox (kind, chat_id, payload, created_at)
    VALUES ('chat.imported', new.chat_id, json_object('runId', new.id), new.finished_at);
  INSERT INTO chat_imports (chat_id, run_id, imported_at, event_id)
    VALUES (new.chat_id, new.id, new.finished_at, last_insert_rowid());
END;
