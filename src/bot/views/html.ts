/**
 * THE escaping function of the bot. Every piece of text that did not come from our own source code
 * (names, usernames, link titles, bios, queries, error descriptions) goes through `escapeHtml`
 * before it is put into a `parse_mode: 'HTML'` message; nothing else escapes. Telegram's HTML
 * needs exactly `&`, `<`, `>` (and `"` inside attributes) replaced.
 */

/** Telegram's own upper bound for a first name is 64; anything longer is cut so one line stays short. */
const DEFAULT_MAX = 64;

/**
 * Makes arbitrary user text safe for a single line of an HTML message: removes control characters
 * (a NUL or a newline inside a name would break the line layout), repairs lone surrogates (they
 * make the JSON body invalid UTF-8), cuts to `max` code points, and escapes.
 */
export function escapeHtml(text: string, max = DEFAULT_MAX): string {
  return escapeRaw(clip(cleanText(text), max));
}

/** Escapes without clipping or cleaning: for our own multi-line text that may contain `&`. */
export function escapeRaw(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Wraps user text in Unicode directional isolates (FSI … PDI) so right-to-left marks or Arabic /
 * Hebrew names cannot reorder the rest of the line (dates, usernames) around them. Names, titles,
 * bios and queries only; never a @username (see `atUsername`).
 */
export function isolate(escaped: string): string {
  return `\u2068${escaped}\u2069`;
}

/**
 * `@username` as Telegram needs it to make a mention: never isolated (usernames are [A-Za-z0-9_]
 * only, nothing to reorder, and an isolate inside would stop the mention and break copy-paste).
 */
export function atUsername(username: string): string {
  return `@${escapeHtml(username, 40)}`;
}

/** Escaped, clipped and isolated user text: what a name, title or bio looks like inside a line. Not for usernames: `atUsername`. */
export function userText(text: string, max = DEFAULT_MAX): string {
  return isolate(escapeHtml(text, max));
}

export function bold(escaped: string): string {
  return `<b>${escaped}</b>`;
}

export function code(text: string, max = 200): string {
  return `<code>${escapeHtml(text, max)}</code>`;
}

export function link(href: string, escapedLabel: string): string {
  return `<a href="${escapeRaw(href)}">${escapedLabel}</a>`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  const noControls = String(text).replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return noControls.replace(LONE_SURROGATE, '\uFFFD');
}

/** Cuts at a code point boundary (never halves an emoji) and marks the cut. */
export function clip(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(1, max - 1)).join('')}…`;
}
