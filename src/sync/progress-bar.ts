/**
 * Progress of a long backfill: on a terminal a one-line bar (stderr, redrawn at most 10 times a
 * second); off a terminal (a log file, a service manager) a plain line at most every 10 seconds,
 * so a backfill of hours still shows it is alive. The per-link lines printed afterwards say the rest.
 * Anything else meant for the same terminal (log lines) goes through `print`, which lifts the bar
 * off its line first and draws it again below, so nothing is ever written into the bar's line.
 */
import type { Progress } from './report.js';

const WIDTH = 30;
const TTY_EVERY_MS = 100;
const PLAIN_EVERY_MS = 10_000;

export function progressBar(
  stream: Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean },
  now: () => number = Date.now,
): ProgressBar {
  const tty = stream.isTTY === true;
  let last = tty ? 0 : now(); // plain lines start after the first interval: short syncs print none
  let drawn = false;
  let frame = '';
  return {
    isTTY: tty,
    print(text) {
      if (drawn) stream.write('\r\x1b[K');
      stream.write(text);
      if (drawn) stream.write(frame);
      return true;
    },
    update(p) {
      const t = now();
      if (t - last < (tty ? TTY_EVERY_MS : PLAIN_EVERY_MS)) return;
      last = t;
      const counts = `${p.stored.toLocaleString('en')} / ${p.total.toLocaleString('en')}`;
      if (!tty) {
        stream.write(`backfilling ${p.link}: ${counts} joins\n`);
        return;
      }
      const share = p.total > 0 ? Math.min(1, p.stored / p.total) : 0;
      const filled = Math.round(share * WIDTH);
      const bar = `${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}`;
      frame = `\r[${bar}] ${counts}  ${p.link}\x1b[K`;
      stream.write(frame);
      drawn = true;
    },
    clear() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

export interface ProgressBar {
  update(p: Progress): void;
  clear(): void;
  /** Writes a complete line (or lines) above the bar: for the logger's destination. */
  print(text: string): boolean;
  readonly isTTY: boolean;
}
