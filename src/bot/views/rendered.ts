/**
 * How long a message is for Telegram: the text after the HTML is parsed (tags gone, `&amp;` one
 * character), in UTF-16 code units, trimmed — what the 4096 limit applies to. Names and bios full
 * of `&` or `<` are five times longer as raw HTML than as text, so sizing by the raw HTML splits
 * pages that fit, and a split page is what made a redraw renumber its parts.
 */
const ENTITY = /&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-f]{1,6});/gi;

export function renderedText(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(ENTITY, (_m, name: string) => {
    const lower = name.toLowerCase();
    if (lower === 'lt') return '<';
    if (lower === 'gt') return '>';
    if (lower === 'amp') return '&';
    if (lower === 'quot') return '"';
    const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** Telegram's measure of a message (or caption) given as HTML. */
export function renderedLength(html: string): number {
  return renderedText(html).trim().length;
}
