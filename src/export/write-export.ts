/**
 * Streams an export of a chat's joins and requests to any writable, as CSV (csv-stringify, RFC 4180
 * quoting) or a JSON array. Rows come one at a time from the store's iterators, and writing waits
 * for the destination to drain, so a 500,000-row link is never held whole. The writable is not
 * ended: the caller owns it (stdout must stay open).
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Store } from '../store/index.js';
import type { ExportRow } from '../store/index.js';
import { EXPORT_COLUMNS, toCells, toRecord } from './format.js';

export type ExportKind = 'link' | 'pending' | 'all';
export type ExportFormat = 'csv' | 'json';

export interface ExportQuery {
  /** Bot API form, `-100…`. */
  chatId: bigint;
  kind: ExportKind;
  /** Canonical `https://t.me/+HASH`; required for kind 'link'. */
  link?: string;
}

/** Writes the export; resolves with the number of data rows once all of it reached `out`. */
export async function writeExport(store: Store, q: ExportQuery, format: ExportFormat, out: Writable): Promise<number> {
  const rows = exportRows(store, q);
  return format === 'csv' ? writeCsv(rows, out) : writeJson(rows, out);
}

export function exportRows(store: Store, q: ExportQuery): IterableIterator<ExportRow> {
  if (q.kind === 'link') {
    if (!q.link) throw new Error('an export of a link needs the link');
    return store.exports.joinsOfLink(q.chatId, q.link);
  }
  return q.kind === 'pending' ? store.exports.pending(q.chatId) : store.exports.all(q.chatId);
}

async function writeCsv(rows: Iterable<ExportRow>, out: Writable): Promise<number> {
  const csv = stringify({ header: true, columns: [...EXPORT_COLUMNS], record_delimiter: 'unix' });
  const forwarded = forward(csv, out);
  forwarded.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
  let n = 0;
  try {
    for (const row of rows) {
      if (!csv.write(toCells(toRecord(row)))) await once(csv, 'drain');
      n++;
    }
  } catch (error) {
    // A failing destination tears the stringifier down, which aborts the wait for 'drain': report
    // the destination's error (ENOENT, EPIPE…), not the abort it caused.
    csv.destroy();
    await forwarded;
    throw error;
  }
  csv.end();
  await forwarded;
  return n;
}

/** Pipes the stringifier into `out` without ending it, honouring backpressure. */
async function forward(csv: ReturnType<typeof stringify>, out: Writable): Promise<void> {
  for await (const chunk of csv) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
}

async function writeJson(rows: Iterable<ExportRow>, out: Writable): Promise<number> {
  let n = 0;
  await put(out, '[');
  for (const row of rows) {
    await put(out, `${n === 0 ? '\n' : ',\n'}${JSON.stringify(toRecord(row))}`);
    n++;
  }
  await put(out, n === 0 ? ']\n' : '\n]\n');
  return n;
}

async function put(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}
