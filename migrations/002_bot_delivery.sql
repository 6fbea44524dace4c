-- Notifications are delivered per recipient and per event (issue 9): an event is done for a
-- recipient once a message carrying it reached that recipient; outbox.delivered_at is set once
-- every recipient has it. A refusing target keeps its events here until it accepts again.
CREATE TABLE outbox_deliveries (
  event_id     INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
  recipient    TEXT    NOT NULL,               -- the chat id as decimal text (64-bit safe)
  delivered_at INTEGER NOT NULL,
  PRIMARY KEY (recipient, event_id)
) WITHOUT ROWID;
CREATE INDEX outbox_deliveries_event ON outbox_deliveries (event_id);

-- Targets that refused a notification (bot removed, blocked, no right to post): reported once per
-- refusal, retried now and then; a success clears the row.
CREATE TABLE notify_targets (
  recipient   TEXT    PRIMARY KEY,
  refused_at  INTEGER NOT NULL,                -- first refusal of the current streak
  reason      TEXT    NOT NULL,
  reported_at INTEGER,                         -- when the log and the admins were told
  next_try_at INTEGER NOT NULL
) WITHOUT ROWID;
