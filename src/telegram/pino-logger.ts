/**
 * GramJS's own log lines (reconnects, flood sleeps) routed into pino instead of its console,
 * one level lower than GramJS rates them: its "warn" includes the routine "Disconnecting..."
 * of every clean shutdown, its "info" is chatter.
 */
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import type { Logger as Pino } from 'pino';

export class PinoGramJsLogger extends Logger {
  constructor(
    private readonly pino: Pino,
    level: LogLevel = LogLevel.WARN,
  ) {
    super(level);
  }

  override log(level: LogLevel, message: string): void {
    const line = { component: 'gramjs' };
    if (level === LogLevel.ERROR) this.pino.error(line, message);
    else if (level === LogLevel.WARN) this.pino.info(line, message);
    else this.pino.debug(line, message);
  }
}
