/** Prints a bot reply readably in a terminal: text, buttons and files, indented under the command. */
import type { SentRecord } from '../sandbox/botapi/state.js';
import { buttonsOf, type Reply } from './conversation.js';

const MAX_LINES_PER_MESSAGE = 14;

export function renderReply(reply: Reply): string {
  return reply.records.map(renderRecord).join('\n');
}

function renderRecord(record: SentRecord): string {
  const out: string[] = [];
  if (record.file) out.push(`📎 ${record.file.kind}: ${record.file.name} (${formatSize(record.file.size)}, ${record.file.mime})`);
  // The bot wraps names in Unicode isolates (FSI…PDI) so RTL names cannot flip a line; a terminal shows them as junk.
  const body = (record.text ?? record.caption ?? '').replace(/[\u2068\u2069]/g, '');
  const lines = body.split('\n');
  const shown = lines.slice(0, MAX_LINES_PER_MESSAGE);
  if (lines.length > shown.length) shown.push(`… (${lines.length - shown.length} more lines)`);
  out.push(...shown);
  const buttons = buttonsOf(record).map((b) => `[${b.text}]`);
  if (buttons.length > 0) out.push(wrapButtons(buttons));
  return out.map((line) => `  │ ${line}`).join('\n');
}

function wrapButtons(buttons: string[]): string {
  const lines: string[] = [];
  let current = '';
  for (const b of buttons) {
    if (current.length + b.length > 72) {
      lines.push(current);
      current = '';
    }
    current += (current ? ' ' : '') + b;
  }
  if (current) lines.push(current);
  return lines.join('\n  │ ');
}

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}
