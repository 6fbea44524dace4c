/**
 * A one-line progress bar for long backfills on a terminal (stderr, redrawn at most 10 times a
 * second). Off a TTY nothing is drawn: the per-link lines printed afterwards say it all.
 */
import type { Progress } from './report.js';

const WIDTH = 30;

export function progressBar(stream: NodeJS.WriteStream): { update(p: Progress): void; clear(): void } {
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      if (!stream.isTTY || now - last < 100) return;
      last = now;
      const share = p.total > 0 ? Math.min(1, p.stored / p.total) : 0;
      const filled = Math.round(share * WIDTH);
      const bar = `${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}`;
      stream.write(`\r[${bar}] ${p.stored.toLocaleString('en')} / ${p.total.toLocaleString('en')}  ${p.link}\x1b[K`);
      drawn = true;
    },
    clear() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
