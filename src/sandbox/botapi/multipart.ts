/**
 * multipart/form-data as grammY writes it (headers without spaces, an unquoted filename, files
 * referenced from fields as attach://ID). A small parser of our own: undici's FormData parser is
 * stricter than Telegram's about the unquoted filename.
 */
import { Upload } from './method-context.js';
import type { Params } from './params.js';

const MIME: Record<string, string> = {
  csv: 'text/csv', txt: 'text/plain', json: 'application/json', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg',
  gif: 'image/gif', pdf: 'application/pdf', zip: 'application/zip', svg: 'image/svg+xml', webp: 'image/webp',
};

export function parseMultipart(body: Buffer, contentType: string): Params {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) throw new Error('multipart body without boundary');
  const delimiter = Buffer.from(`--${b}`);
  const fields: Params = {};
  const files = new Map<string, Upload>();
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    let start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body[start] === 13 && body[start + 1] === 10) start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    let end = next;
    if (body[end - 2] === 13 && body[end - 1] === 10) end -= 2;
    addPart(body.subarray(start, end), fields, files);
    pos = next;
  }
  // Resolve attach://ID references to the uploaded parts.
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string' && v.startsWith('attach://')) {
      const file = files.get(v.slice('attach://'.length));
      if (file) fields[k] = file;
    }
  }
  for (const [name, file] of files) if (!(name in fields) && !Object.values(fields).includes(file)) fields[name] = file;
  return fields;
}

function addPart(part: Buffer, fields: Params, files: Map<string, Upload>): void {
  const split = part.indexOf('\r\n\r\n');
  if (split < 0) return;
  const headers = part.subarray(0, split).toString('utf8');
  const content = part.subarray(split + 4);
  const disposition = headers.split(/\r\n/).find((h) => /^content-disposition\s*:/i.test(h)) ?? '';
  const name = /;\s*name=(?:"([^"]*)"|([^;\s]+))/i.exec(disposition);
  const key = name?.[1] ?? name?.[2];
  if (!key) return;
  const filename = /;\s*filename=(?:"([^"]*)"|(.+))$/i.exec(disposition);
  if (filename) {
    const fname = (filename[1] ?? filename[2] ?? '').trim();
    const ext = fname.split('.').pop()?.toLowerCase() ?? '';
    files.set(key, new Upload(fname, MIME[ext] ?? 'application/octet-stream', Buffer.from(content)));
  } else {
    fields[key] = content.toString('utf8');
  }
}
