/**
 * Progress of a long backfill: on a terminal a one-line bar (stderr, redrawn at most 10 times a
 * second); off a terminal (a log file, a service manager) a plain line at most every 10 seconds,
 * so a backfill of hours still shows it is alive. The per-link lines printed afterwards say the rest.
 */
import type { Progress } from './report.js';

const WIDTH = 30;
const TTY_EVERY_MS = 100;
const PLAIN_EVERY_MS = 10_000;

export function progressBar(
  stream: Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean },
  now: () => number = Date.now,
): { update(p: Progress): void; clear(): void } {
  const tty = stream.isTTY === true;
  let last = tty ? 0 : now(); // plain lines start after the first interval: short syncs print none
  let drawn = false;
  return {
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
      stream.write(`\r[${bar}] ${counts}  ${p.link}\x1b[K`);
      drawn = true;
    },
    clear() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
