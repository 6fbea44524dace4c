/**
 * `joinwatch sync --once [--chat X]`: one cycle over the watched chats (or one), printing per
 * chat and per link what it did. This is a CLI action (a composition root like app.ts), so it may
 * build the GramJS userbot; the engine itself only sees `InviteSource`.
 */
import { UserFacingError } from '../cli/run-command.js';
import { loadConfig, type ChatRef } from '../config.js';
import { createLogger } from '../log.js';
import { openStore } from '../store/index.js';
import { SessionMissingError } from '../telegram/session-store.js';
import { describeConnectFailure, openUserbot } from '../telegram/userbot.js';
import { SyncEngine } from './engine.js';
import { progressBar } from './progress-bar.js';
import type { ChatReport, CycleReport, LinkReport } from './report.js';

export interface SyncOnceOptions {
  once?: boolean;
  chat?: string;
}

export async function runSyncOnce(opts: SyncOnceOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const cfg = loadConfig(['telegram', 'store', 'sync', 'log', ...(opts.chat ? [] : (['watch'] as const))]);
  const chats = opts.chat ? [opts.chat.trim()] : (cfg as { WATCH_CHATS: ChatRef[] }).WATCH_CHATS.map(refText);
  const logger = createLogger({ level: cfg.LOG_LEVEL, secrets: [cfg.TELEGRAM_SESSION, cfg.TELEGRAM_API_HASH], destination: process.stderr });
  const store = openStore(cfg.DATABASE_PATH);
  const bar = progressBar(process.stderr);
  try {
    const userbot = await openUserbot(cfg, logger).catch((e: unknown) => {
      throw new UserFacingError(e instanceof SessionMissingError ? e.message : describeConnectFailure(e, cfg.TELEGRAM_MTPROTO_SERVER));
    });
    try {
      const engine = new SyncEngine({
        store,
        source: userbot.source,
        maxCallsPerCycle: cfg.SYNC_MAX_CALLS_PER_CYCLE,
        maxCallsPerMinute: cfg.SYNC_MAX_CALLS_PER_MINUTE,
        log: logger,
        onProgress: (p) => bar.update(p),
      });
      const report = await engine.runCycle(chats);
      bar.clear();
      out.write(formatCycle(report));
      return report.sessionRevoked || report.chats.some((c) => c.outcome === 'failed') ? 1 : 0;
    } finally {
      await userbot.close();
    }
  } finally {
    bar.clear();
    store.close();
  }
}

function refText(ref: ChatRef): string {
  return ref.kind === 'id' ? ref.chatId.toString() : `@${ref.username}`;
}

export function formatCycle(r: CycleReport): string {
  const lines: string[] = [];
  for (const chat of r.chats) lines.push(...formatChat(chat));
  if (r.sessionRevoked) lines.push('Telegram revoked the session: syncing stopped. Run `joinwatch login` to sign in again.');
  if (r.budgetExhausted) lines.push('The call budget of this cycle is used up: the rest resumes next cycle.');
  lines.push(`${r.calls} Telegram calls in ${Math.max(0, r.finishedAt - r.startedAt)} s`);
  return `${lines.join('\n')}\n`;
}

function formatChat(c: ChatReport): string[] {
  const name = c.title ? `${c.title} (${c.chatId})` : c.chatRef;
  const q = c.requests;
  const lines = [`${name}: ${c.outcome}${c.error ? ` — ${c.error}` : ''}`];
  const skipped = c.links.filter((l) => l.action === 'skipped').length;
  for (const l of c.links) if (l.action !== 'skipped') lines.push(`  ${formatLink(l)}`);
  if (c.links.length > 0) lines.push(`  ${skipped} of ${c.links.length} links unchanged`);
  if (c.invisibleLinks) lines.push("  other admins' links are invisible to this account (it is not the owner)");
  lines.push(`  requests: +${q.newRequests} new, ${q.approved} approved, ${q.declined} declined, ${q.gone} gone (${q.pages} pages)`);
  lines.push(`  ${c.calls} calls, ${c.rowsAdded} rows added`);
  return lines;
}

function formatLink(l: LinkReport): string {
  const title = l.title ? ` "${l.title}"` : '';
  const note = l.note ? ` (${l.note})` : '';
  return `${l.link}${title}: ${l.action}, +${l.newJoins} joins in ${l.pages} pages${note}`;
}
