/**
 * `joinwatch export --chat <id|@username> (--link <link> | --pending | --all) [--format csv|json] [--out FILE]`.
 * Reads only the database (no Telegram session needed). A file is created 0600: it lists people.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { UserFacingError } from '../cli/run-command.js';
import { loadConfig } from '../config.js';
import { parseId } from '../domain/chat-id.js';
import { parseInviteLink } from '../domain/invite-link.js';
import { openStore, type Store } from '../store/index.js';
import { writeExport, type ExportFormat, type ExportQuery } from './write-export.js';

export interface ExportOptions {
  chat: string;
  link?: string;
  pending?: boolean;
  all?: boolean;
  format?: string;
  out?: string;
}

export async function runExport(opts: ExportOptions): Promise<number> {
  const format = parseFormat(opts.format);
  const { DATABASE_PATH } = loadConfig(['store']);
  const store = openStore(DATABASE_PATH);
  try {
    const query = buildQuery(store, opts);
    if (!opts.out) return await toStdout(() => writeExport(store, query, format, process.stdout));
    const file = opts.out;
    try {
      const out = createWriteStream(file, { mode: 0o600 });
      await once(out, 'open');
      const rows = await writeExport(store, query, format, out);
      out.end();
      await once(out, 'close');
      process.stderr.write(`wrote ${rows} rows to ${file}\n`);
    } catch (error) {
      throw new UserFacingError(`cannot write ${file}: ${writeProblem(error)}`);
    }
    return 0;
  } finally {
    store.close();
  }
}

/** A reader that went away (`joinwatch export … | head`) ends the export quietly, as Unix tools do. */
async function toStdout(write: () => Promise<number>): Promise<number> {
  const ignoreEpipe = (error: Error) => {
    if (!isEpipe(error)) process.stderr.write(`joinwatch: ${error.message}\n`);
  };
  process.stdout.on('error', ignoreEpipe); // an EPIPE can also arrive after the last write
  try {
    await write();
    return 0;
  } catch (error) {
    if (isEpipe(error)) return 0;
    throw error;
  }
}

function isEpipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

function writeProblem(error: unknown): string {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'ENOENT': return 'no such directory';
    case 'EISDIR': return 'it is a directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ENOSPC': return 'no space left on the device';
    default: return error instanceof Error ? error.message : String(error);
  }
}

export function buildQuery(store: Store, opts: ExportOptions): ExportQuery {
  const chosen = [opts.link !== undefined, opts.pending === true, opts.all === true].filter(Boolean).length;
  if (chosen !== 1) throw new UserFacingError('say what to export: exactly one of --link <link>, --pending or --all');
  const chatId = resolveChat(store, opts.chat);
  if (opts.link !== undefined) {
    let link: string;
    try {
      link = parseInviteLink(opts.link).link;
    } catch (e) {
      throw new UserFacingError(e instanceof Error ? e.message : String(e));
    }
    if (!store.links.get(chatId, link)) throw new UserFacingError(`${link} is not a known link of chat ${chatId}; run \`joinwatch sync --once\` first`);
    return { chatId, kind: 'link', link };
  }
  return { chatId, kind: opts.pending ? 'pending' : 'all' };
}

function resolveChat(store: Store, ref: string): bigint {
  const text = ref.trim();
  const chat = text.startsWith('@') ? store.chats.byUsername(text) : lookupId(store, text);
  if (!chat) throw new UserFacingError(`chat ${text} is not in the database; check WATCH_CHATS and run \`joinwatch sync --once\` first`);
  return chat.id;
}

function lookupId(store: Store, text: string) {
  const id = parseId(text);
  if (id === undefined) throw new UserFacingError(`--chat expects a -100… chat id or an @username, got "${text.slice(0, 40)}"`);
  return store.chats.get(id);
}

function parseFormat(format: string | undefined): ExportFormat {
  if (format === undefined || format === 'csv' || format === 'json') return format ?? 'csv';
  throw new UserFacingError(`--format must be csv or json, got "${format.slice(0, 20)}"`);
}
