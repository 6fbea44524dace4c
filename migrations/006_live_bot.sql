-- joinwatch schema: facts observed live (issue 10, the bot side).
-- Upgrades the previous version in place; every row it held is kept.

-- Which source first stored a request: 'sync' (a listing of the userbot) or 'bot' (the Bot API's
-- chat_join_request, stored and announced the moment it arrives). A request first seen live was
-- announced then, so the sync attributing its link later is not news a second time. Rows stored
-- before this version were all stored by the sync.
ALTER TABLE join_requests ADD COLUMN source TEXT NOT NULL DEFAULT 'sync'
  CHECK (source IN ('sync', 'bot', 'admin_log'));

-- A leave or removal a live source reported before any stay it could end was stored (the join was
-- still on its way from another source, or late): kept until that join arrives and is ended by it,
-- so a late join never leaves a person who has gone counted as a member. Forgotten after a week.
CREATE TABLE live_leaves (
  chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL,
  date    INTEGER NOT NULL,                 -- when the person left
  how     TEXT    NOT NULL CHECK (how IN ('left', 'kicked')),
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (chat_id, user_id, date)
) WITHOUT ROWID;
