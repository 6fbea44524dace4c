-- joinwatch schema: facts observed live (issue 10, the bot side).
-- Upgrades the previous version in place; every row it held is kept.

-- Which source first stored a request: 'sync' (a listing of the userbot) or 'bot' (the Bot API's
-- chat_join_request, stored and announced the moment it arrives). A request first seen live was
-- announced then, so the sync attributing its link later is not news a second time. Rows stored
-- before this version were all stored by the sync.
ALTER TABLE join_requests ADD COLUMN source TEXT NOT NULL DEFAULT 'sync'
  CHECK (source IN ('sync', 'bot', 'admin_log'));
