-- Per-chat settings (issue 12): the language joinwatch speaks in a chat. A person's settings are
-- those of their private chat with the bot, whose id is their user id; a group's are set there by
-- one of its admins (/language) and decide the language of the notifications sent to it.
CREATE TABLE chat_settings (
  chat_id           INTEGER PRIMARY KEY,       -- Bot API id: a user id, or a -100… group id
  language          TEXT,                      -- chosen with /language ('en', 'ru'); NULL: not chosen
  telegram_language TEXT,                      -- a person's Telegram app language (language_code) as last seen
  updated_at        INTEGER NOT NULL
);
