/**
 * Prints a bot reply readably in a terminal: text, buttons and files, indented under the command.
 * In the playable demo the buttons one can press are numbered across the reply, in the order
 * `pressableButtons` lists them (`/press 3` or `3`).
 */
import type { SentRecord } from '../sandbox/botapi/state.js';
import { buttonsOf, type Reply } from './conversation.js';

const MAX_LINES_PER_MESSAGE = 14;

export interface RenderOptions {
  /** Number the buttons that carry callback data, from 1, across the reply. */
  numbered?: boolean;
}

export function renderReply(reply: Reply, o: RenderOptions = {}): string {
  let next = 1;
  return reply.records
    .map((record) => renderRecord(record, (text, pressable) => (o.numbered && pressable ? `[${next++} ${text}]` : `[${text}]`)))
    .join('\n');
}

/** The buttons of a reply one can press, in the order `renderReply({ numbered: true })` numbers them. */
export function pressableButtons(reply: Reply): Array<{ record: SentRecord; data: string; text: string }> {
  return reply.records.flatMap((record) => buttonsOf(record).flatMap((b) => (b.data === undefined ? [] : [{ record, data: b.data, text: b.text }])));
}

function renderRecord(record: SentRecord, label: (text: string, pressable: boolean) => string): string {
  const out: string[] = [];
  if (record.file) out.push(`📎 ${record.file.kind}: ${record.file.name} (${formatSize(record.file.size)}, ${record.file.mime})`);
  // The bot wraps names in Unicode isolates (FSI…PDI) so RTL names cannot flip a line; a terminal shows them as junk.
  const body = (record.text ?? record.caption ?? '').replace(/[\u2068\u2069]/g, '');
  const lines = body.split('\n');
  const shown = lines.slice(0, MAX_LINES_PER_MESSAGE);
  if (lines.length > shown.length) shown.push(`… (${lines.length - shown.length} more lines)`);
  out.push(...shown);
  const buttons = buttonsOf(record).map((b) => label(b.text, b.data !== undefined));
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
