-- joinwatch schema: the live sync (issue 10, the userbot side).
-- Upgrades the previous version in place; every row it held is kept.

-- Per watched chat, what the live sync knows between cycles and between processes (the bot side
-- and the sync may run as two processes on one database: the store is how they tell each other).
--  * the admin log: the newest event applied (the next read asks only for newer ones) and when the
--    log was last read to its top (Telegram keeps 48 hours: a longer gap means events were missed,
--    so the chat gets the full reconcile); log_status is 'live' or why the log cannot be read;
--  * the dirty mark: a signal (a pushed pending count, a reconnect, the bot) said the chat's pending
--    requests changed; a targeted check clears it (pending_checked_at debounces those checks);
--  * the full reconcile: when it last completed for the chat, whether one is due (the reconcile
--    schedule, a link event), and whether the links must be listed again (an unknown link).
CREATE TABLE chat_live (
  chat_id             INTEGER PRIMARY KEY REFERENCES chats (id) ON DELETE CASCADE,
  log_event_id        INTEGER,
  log_read_at         INTEGER,
  log_status          TEXT,
  dirty_at            INTEGER,
  pending_checked_at  INTEGER,
  pushed_at           INTEGER,
  reconciled_at       INTEGER,
  reconcile_due       INTEGER NOT NULL DEFAULT 0,
  links_stale         INTEGER NOT NULL DEFAULT 0
);
-- The scheduler looks for dirty chats every few seconds.
CREATE INDEX chat_live_dirty ON chat_live (dirty_at) WHERE dirty_at IS NOT NULL;
