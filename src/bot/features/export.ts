/**
 * /export <link | pending | all>: the same CSV `joinwatch export` writes (src/export, with the
 * issue-4 header), sent as a document. The CSV is streamed to a private temporary file first: a
 * 500,000-row link is never held in memory, and the upload reads the file back as a stream. The
 * rows are read from a connection of their own (store.reader()), so no write waits or fails on it.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Composer, InputFile } from 'grammy';
import { channelIdFromBotApiChatId, isChannelChatId } from '../../domain/chat-id.js';
import { writeExport } from '../../export/index.js';
import type { AdminChat, BotContext } from '../context.js';
import type { Texts } from '../i18n/texts.js';
import { clip, code, userText } from '../views/html.js';
import { freshness, isChatRef, looksLikeLink, parsedArgs } from './common.js';
import { withLinkOrChat } from './link-lookup.js';

/** The Bot API refuses uploads over 50 MB. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

export type ExportTarget = { kind: 'link'; link: string; chat?: string } | { kind: 'pending' | 'all'; chat?: string };

export const exportFeature = new Composer<BotContext>();

exportFeature.command('export', async (ctx) => {
  const example = ctx.t('export-example');
  const target = await parsedArgs(ctx, example, (text) => parseExportArgs(ctx.texts, text));
  if (target) await withLinkOrChat(ctx, target, example, (chat, link) => sendExport(ctx, chat, target.kind, link?.link));
});

/** What to export, or a one-line explanation of what is wrong with the arguments. */
export function parseExportArgs(tx: Texts, text: string): ExportTarget | string {
  let chat: string | undefined;
  let what: string | undefined;
  for (const token of text.split(/\s+/).filter(Boolean)) {
    if (isChatRef(token)) {
      if (chat !== undefined) return tx.t('args-one-chat');
      chat = token;
    } else {
      if (what !== undefined) return tx.t('export-one-thing');
      what = token;
    }
  }
  if (what === undefined) return tx.t('export-what');
  const keyword = what.toLowerCase();
  const withChat = chat === undefined ? {} : { chat };
  if (keyword === 'pending' || keyword === 'all') return { kind: keyword, ...withChat };
  if (!looksLikeLink(what)) return tx.t('export-not-a-target', { token: clip(what, 40) });
  return { kind: 'link', link: what, ...withChat };
}

async function sendExport(ctx: BotContext, chat: AdminChat, kind: 'link' | 'pending' | 'all', link?: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'joinwatch-export-'));
  const file = join(dir, 'export.csv');
  try {
    const out = createWriteStream(file, { mode: 0o600 });
    // Its own connection (or snapshot): the sync, the notifier and decisions keep writing meanwhile.
    const reader = ctx.store.reader();
    try {
      await writeExport(reader, { chatId: chat.id, kind, ...(link ? { link } : {}) }, 'csv', out);
    } finally {
      reader.close();
    }
    await closed(out);
    const { size } = await stat(file);
    if (size > MAX_UPLOAD_BYTES) {
      await ctx.answer(ctx.t('export-too-big', { megabytes: Math.round(size / 1048576) }));
      return;
    }
    const name = exportFileName(chat, kind, link, ctx.deps.now());
    const what = kind === 'link' ? code(link ?? '') : ctx.t(kind === 'pending' ? 'export-kind-pending' : 'export-kind-all');
    const caption = [`${userText(chat.title)} · ${what}`, freshness(ctx, chat.id)].join('\n');
    await ctx.deliver((chatId) => ctx.api.sendDocument(chatId, new InputFile(file, name), { caption, parse_mode: 'HTML' }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Resolves once the stream flushed and closed (writeExport may or may not end it). */
function closed(out: ReturnType<typeof createWriteStream>): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.closed) return resolve();
    out.once('error', reject);
    out.once('close', () => resolve());
    if (!out.writableEnded) out.end();
  });
}

/** e.g. `joinwatch-1700000001-link-AbCdEf0123-20260101-1405.csv`: sortable, safe on every file system. */
export function exportFileName(chat: AdminChat, kind: 'link' | 'pending' | 'all', link: string | undefined, nowMs: number): string {
  const iso = new Date(nowMs).toISOString();
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 16).replace(':', '')}`;
  const who = chat.username ?? String(isChannelChatId(chat.id) ? channelIdFromBotApiChatId(chat.id) : chat.id);
  const what = kind === 'link' ? `link-${(link ?? '').replace(/^https:\/\/t\.me\/\+/, '')}` : kind;
  return `joinwatch-${who}-${what}-${stamp}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
}
