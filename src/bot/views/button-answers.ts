/**
 * What the bot answers about a button itself (not about what it does): one place for these texts.
 */

/** Callback data someone forged or changed: refused before anything reads it, nothing happens. */
export const BUTTON_NOT_OURS = 'This button was changed or is not from this bot, so it does nothing.';

/** The "Which chat?" answer was given by someone else than who asked. */
export const PICK_NOT_YOURS = 'This question was asked to someone else.';

/** The "Which chat?" data is gone (kept a day). */
export const PICK_GONE = 'This question has expired; send the command again.';

/** An "all" question answered again once its run started (a double press, or a press after a restart). */
export const RUN_ALREADY_STARTED = 'This question has expired: its run has already started.';
