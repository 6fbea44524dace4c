/**
 * Telegram refuses a message over 4096 characters. Answers are built as lists of self-contained
 * HTML lines (no tag spans two lines), so splitting at line boundaries keeps every part valid HTML.
 * The limit is checked on the raw HTML, which is never shorter than the text Telegram counts, so a
 * part that fits here fits there.
 */
export const MESSAGE_LIMIT = 4096;

export function splitMessage(lines: readonly string[], limit = MESSAGE_LIMIT): string[] {
  const parts: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = raw.length > limit ? hardCut(raw, limit) : raw;
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length <= limit) {
      current = candidate;
      continue;
    }
    if (current !== '') parts.push(current);
    current = line;
  }
  if (current !== '' || parts.length === 0) parts.push(current);
  return parts;
}

/**
 * Last resort for a single line over the limit (our views clip user text, so this should not
 * happen): drop the tags and cut, so the part is still valid HTML.
 */
function hardCut(line: string, limit: number): string {
  const plain = line.replace(/<[^>]*>/g, '');
  // Never leave half an entity such as `&am` at the cut.
  return `${plain.slice(0, limit - 1).replace(/&[a-z#0-9]*$/i, '')}…`;
}
