/**
 * What a person sees after a program wrote `output` to a terminal: carriage returns move to the
 * line's start, `ESC[K` erases to its end, newlines (a pty writes \r\n) end it, colours are dropped.
 * Enough of a terminal to tell whether a log line was written into a progress bar's line.
 */
export function screenLines(output: string): string[] {
  const lines: string[] = [];
  let line: string[] = [];
  let col = 0;
  // eslint-disable-next-line no-control-regex
  const tokens = output.replace(/\x1b\[[0-9;]*m/g, '').match(/\x1b\[[0-9;]*[A-Za-z]|\r|\n|[^\r\n\x1b]/gu) ?? [];
  for (const t of tokens) {
    if (t === '\r') col = 0;
    else if (t === '\n') {
      lines.push(line.join(''));
      line = [];
      col = 0;
    } else if (t === '\x1b[K') line = line.slice(0, col);
    else if (t.startsWith('\x1b')) continue; // other controls: not used by joinwatch
    else {
      line[col] = t;
      col++;
    }
  }
  if (line.length > 0) lines.push(line.join(''));
  return lines;
}
