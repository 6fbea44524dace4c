/** What the bot says to an admin who writes as the group (anonymous admins): one place for these texts. */

export const ANONYMOUS_ASK =
  'You wrote as the group, so Telegram does not tell me which admin you are. Press the button to confirm it is you: the answer then comes to you privately.';

/** The button under ANONYMOUS_ASK (plain text). */
export const ANONYMOUS_BUTTON = "✋ It's me: confirm";

/** The answer to the press of the admin who confirmed. */
export const ANONYMOUS_CONFIRMED = 'Confirmed: the answer comes to you privately.';

/** What the question becomes once an admin confirmed (its button removed). */
export const ANONYMOUS_DONE = 'An admin confirmed; the answer went to them privately.';

/** The question's data is gone (kept a day), or the button is pressed elsewhere. */
export const ANONYMOUS_GONE = 'This question has expired; send the command again.';
