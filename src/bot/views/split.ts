/**
 * Telegram refuses a message over 4096 characters, counted on the text it renders (see
 * rendered.ts), not on our HTML. Answers are built as lists of self-contained HTML lines (no tag
 * spans two lines), so splitting at line boundaries keeps every part valid HTML.
 */
import { renderedLength } from './rendered.js';

export const MESSAGE_LIMIT = 4096;

export function splitMessage(lines: readonly string[], limit = MESSAGE_LIMIT): string[] {
  const parts: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = renderedLength(raw) > limit ? hardCut(raw, limit) : raw;
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (renderedLength(candidate) <= limit) {
      current = candidate;
      continue;
    }
    if (current !== '') parts.push(current);
    current = line;
  }
  if (current !== '' || parts.length === 0) parts.push(current);
  return parts;
}

/** Does this HTML fit one message? */
export function fitsOneMessage(lines: readonly string[], limit = MESSAGE_LIMIT): boolean {
  return renderedLength(lines.join('\n')) <= limit;
}

/**
 * Last resort for a single line over the limit (our views clip user text, so this should not
 * happen): drop the tags and cut, so the part is still valid HTML.
 */
function hardCut(line: string, limit: number): string {
  const plain = line.replace(/<[^>]*>/g, '');
  // Cut by raw characters until the rendered text fits; never leave half an entity such as `&am`.
  let cut = plain.slice(0, limit * 6);
  while (renderedLength(cut) > limit - 1) cut = cut.slice(0, Math.max(0, cut.length - Math.max(1, renderedLength(cut) - limit + 1)));
  return `${cut.replace(/&[a-z#0-9]*$/i, '')}…`;
}
