/**
 * GramJS's own log lines (reconnects, flood sleeps) routed into pino instead of its console,
 * one level lower than GramJS rates them: its "warn" includes the routine "Disconnecting..."
 * of every clean shutdown, its "info" is chatter.
 *
 * GramJS also prints raw errors with `console.error` wherever `canSend(level)` is true (a
 * refused connection dumps a stack per attempt onto the CLI's stderr). So `canSend` says no to
 * everything, and the lines GramJS does log are routed here by `_log`, against our own level.
 */
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import type { Logger as Pino } from 'pino';

const ORDER: readonly LogLevel[] = [LogLevel.ERROR, LogLevel.WARN, LogLevel.INFO, LogLevel.DEBUG];
/** GramJS's only word on a flood wait it sleeps through itself (client/users.js, 2.26.22). */
const FLOOD_SLEEP = /^Sleeping for (\d+)s on flood wait/;

export class PinoGramJsLogger extends Logger {
  constructor(
    private readonly pino: Pino,
    private readonly level: LogLevel = LogLevel.WARN,
    /** Hears the flood waits GramJS sleeps through (under SYNC_FLOOD_SLEEP_MAX_SECONDS): metrics. */
    private readonly onFloodSleep?: (seconds: number) => void,
  ) {
    super(level);
  }

  /** Asked by GramJS only before printing to the console itself: never. */
  override canSend(_level: LogLevel): boolean {
    return false;
  }

  override _log(level: LogLevel, message: string): void {
    const flood = this.onFloodSleep && FLOOD_SLEEP.exec(message);
    if (flood) this.onFloodSleep?.(Number(flood[1]));
    if (this.level === LogLevel.NONE || ORDER.indexOf(level) > ORDER.indexOf(this.level)) return;
    this.log(level, message);
  }

  override log(level: LogLevel, message: string): void {
    const line = { component: 'gramjs' };
    if (level === LogLevel.ERROR) this.pino.error(line, message);
    else if (level === LogLevel.WARN) this.pino.info(line, message);
    else this.pino.debug(line, message);
  }
}
