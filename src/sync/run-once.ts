/**
 * `joinwatch sync --once [--chat X]`: one cycle over the watched chats (or one), printing per
 * chat and per link what it did. This is a CLI action (a composition root like app.ts), so it may
 * build the GramJS userbot; the engine itself only sees `InviteSource`.
 */
import { UserFacingError } from '../cli/run-command.js';
import { interruptedCode } from '../cli/shutdown.js';
import { loadConfig, type ChatRef } from '../config.js';
import { createLogger } from '../log.js';
import { openStore } from '../store/index.js';
import { describeConnectFailure, openUserbot } from '../telegram/userbot.js';
import { SyncEngine } from './engine.js';
import { progressBar } from './progress-bar.js';
import type { ChatReport, CycleReport, LinkReport } from './report.js';
import type { SourceErrorKind } from './types.js';

export interface SyncOnceOptions {
  once?: boolean;
  chat?: string;
  /** The full reconcile for every chat (default: the ordinary cycle, which reconciles only chats that need it). */
  full?: boolean;
  /** Show info-level log lines (the report says what happened; the log is quiet by default). */
  verbose?: boolean;
}

/** How long a stop waits for the Telegram call in flight, so its page is written. */
const PAGE_IN_FLIGHT_MS = 4_000;

/**
 * `signal` (SIGINT/SIGTERM): no further Telegram call is made; the call in flight gets a few seconds
 * to land and be written, then the command ends (exit 128 + the signal) saying what was kept.
 */
export async function runSyncOnce(opts: SyncOnceOptions, out: NodeJS.WritableStream = process.stdout, signal?: AbortSignal): Promise<number> {
  const cfg = loadConfig(['telegram', 'store', 'sync', 'log', ...(opts.chat ? [] : (['watch'] as const))]);
  const chats = opts.chat ? [opts.chat.trim()] : (cfg as { WATCH_CHATS: ChatRef[] }).WATCH_CHATS.map(refText);
  const bar = progressBar(process.stderr);
  // Log lines go above the bar, never into its line; pretty on a terminal.
  const logger = createLogger({ level: reportCommandLogLevel(cfg.LOG_LEVEL, opts.verbose), secrets: [cfg.TELEGRAM_SESSION, cfg.TELEGRAM_API_HASH], destination: { write: (text: string) => bar.print(text), isTTY: bar.isTTY } });
  const store = openStore(cfg.DATABASE_PATH);
  try {
    const userbot = await openUserbot(cfg, logger, signal ? { signal } : {}).catch((e: unknown) => {
      if (signal?.aborted) return undefined;
      throw new UserFacingError(describeConnectFailure(e, cfg.TELEGRAM_MTPROTO_SERVER));
    });
    if (!userbot) return interrupted(out, signal);
    try {
      const engine = new SyncEngine({
        store,
        source: userbot.source,
        maxCallsPerCycle: cfg.SYNC_MAX_CALLS_PER_CYCLE,
        maxCallsPerMinute: cfg.SYNC_MAX_CALLS_PER_MINUTE,
        callLog: store.syncCalls,
        fullReconcileSeconds: cfg.SYNC_FULL_RECONCILE_HOURS * 3600,
        log: logger,
        onProgress: (p) => bar.update(p),
      });
      const cycle = engine.runCycle(chats, { full: opts.full === true });
      const stopRequested = signal ? new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })) : new Promise<void>(() => undefined);
      const report = await Promise.race([cycle, stopRequested.then(() => stopCycle(engine, cycle))]);
      bar.clear();
      if (report) out.write(formatCycle(report));
      if (signal?.aborted) return interrupted(out, signal);
      return report!.sessionRevoked || report!.chats.some((c) => c.outcome === 'failed') ? 1 : 0;
    } finally {
      await Promise.race([userbot.close(), new Promise((resolve) => setTimeout(resolve, 1_500).unref())]);
    }
  } finally {
    bar.clear();
    store.close();
  }
}

/** Stops the cycle at its next call; its report if it ended within the grace, else undefined. */
async function stopCycle(engine: SyncEngine, cycle: Promise<CycleReport>): Promise<CycleReport | undefined> {
  void engine.stop();
  return Promise.race([cycle, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), PAGE_IN_FLIGHT_MS).unref())]);
}

function interrupted(out: NodeJS.WritableStream, signal: AbortSignal | undefined): number {
  out.write(`Interrupted by ${String(signal?.reason ?? 'a signal')}: every page fetched so far is stored; the next sync resumes from there.\n`);
  return signal ? interruptedCode(signal) : 1;
}

/**
 * A command that prints its own report keeps info-level chatter ("chat synced", GramJS's
 * "Disconnecting...") out of it: warnings and errors only, unless LOG_LEVEL or --verbose asks.
 */
export function reportCommandLogLevel(configured: string, verbose = false, env: Record<string, string | undefined> = process.env): string {
  if (verbose) return configured === 'debug' || configured === 'trace' ? configured : 'info';
  return env.LOG_LEVEL?.trim() ? configured : 'warn';
}

function refText(ref: ChatRef): string {
  return ref.kind === 'id' ? ref.chatId.toString() : `@${ref.username}`;
}

export function formatCycle(r: CycleReport): string {
  const lines: string[] = [];
  for (const chat of r.chats) lines.push(...formatChat(chat));
  if (r.sessionRevoked) lines.push('Telegram revoked the session: syncing stopped. Run `joinwatch login` to sign in again.');
  if (r.budgetExhausted) lines.push('The call budget of this cycle is used up: the rest resumes next cycle.');
  lines.push(`${count(r.calls, 'Telegram call')} in ${Math.max(0, r.finishedAt - r.startedAt)} s`);
  return `${lines.join('\n')}\n`;
}

function formatChat(c: ChatReport): string[] {
  const name = c.title ? `${c.title} (${c.chatId})` : c.chatRef;
  const why = c.failure ? explainFailure(c.failure) : c.error;
  const mode = c.mode === 'ordinary' ? ' (admin log and pending check)' : '';
  const lines = [`${name}: ${c.outcome}${mode}${why ? ` — ${why}` : ''}`];
  if (c.logEvents) lines.push(`  admin log: ${count(c.logEvents, 'event')} applied`);
  for (const l of c.links) if (l.action !== 'skipped') lines.push(`  ${formatLink(l)}`);
  const quiet = c.links.filter((l) => l.action === 'skipped').length;
  if (quiet > 0) lines.push(`  ${quiet} of ${count(c.links.length, 'link')}: nothing new`);
  if (c.invisibleLinks) lines.push("  other admins' links are invisible to this account (it is not the owner)");
  const q = c.requests;
  if (q.pages > 0) {
    lines.push(`  requests: ${q.newRequests} new, ${q.approved} approved, ${q.declined} declined, ${q.gone} gone (${count(q.pages, 'page')})`);
  }
  if (c.calls > 0) lines.push(`  ${count(c.calls, 'call')}, ${count(c.rowsAdded, 'row')} added`);
  return lines;
}

function formatLink(l: LinkReport): string {
  const title = l.title ? ` "${l.title}"` : '';
  const note = l.note ? ` (${l.note})` : '';
  const left = l.left > 0 ? `, ${l.left} left` : '';
  const paged = l.pages > 0 ? `, ${count(l.newJoins, 'new join')}${left} in ${count(l.pages, 'page')}` : '';
  return `${l.link}${title}: ${l.action}${paged}${note}`;
}

/** What a person should know about a failed chat (`sync --once`, `doctor`); the kind decides, not the text. */
export function explainFailure(f: { kind: SourceErrorKind; code: string }): string {
  switch (f.kind) {
    case 'PeerInvalid':
      return `the account cannot find this chat (${f.code}): use the -100… id of a chat it is in, or the chat's @username`;
    case 'NotPermitted':
      return `the account may not list invite links there (${f.code}): it must be an admin allowed to invite users`;
    case 'Transient':
      return `Telegram did not answer properly (${f.code}); the next cycle tries again`;
    case 'FloodWait':
      return `Telegram asks to slow down (${f.code}); the next cycle tries again`;
    case 'SessionRevoked':
      return `Telegram no longer accepts the session (${f.code})`;
    case 'LinkGone':
      return `a link disappeared mid-sync (${f.code}); the next cycle tries again`;
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
