/**
 * The store's page write (issue 2): rows/s of the page write the sync performs, next to a bare
 * better-sqlite3 insert of the same rows in the same run (see lib/page-write.ts for both sides).
 * Run: npx tsx bench/store-write.ts [rows=200000] [rounds=3]   (target: at most 2x the bare cost per row)
 */
import { medianPageWrite, PAGE_WRITE_DESCRIPTION } from './lib/page-write.js';

const rows = Number(process.argv[2] ?? 200_000);
const rounds = Number(process.argv[3] ?? 3);
if (!Number.isInteger(rows) || rows < 100 || !Number.isInteger(rounds) || rounds < 1) {
  console.error('usage: npx tsx bench/store-write.ts [rows >= 100] [rounds >= 1]');
  process.exit(2);
}
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const median = medianPageWrite(rows, rounds, (r, i) =>
  console.log(`round ${i + 1}: store ${fmt(r.storeRowsPerSecond)} rows/s, bare ${fmt(r.bareRowsPerSecond)} rows/s, ratio ${r.ratio.toFixed(2)}x (tuned bare ${r.tunedRatio.toFixed(2)}x)`),
);
console.log(
  `store page write: ${fmt(median.storeRowsPerSecond)} rows/s (${median.storeMicrosPerRow.toFixed(2)} µs/row) vs bare insert ` +
    `${fmt(median.bareRowsPerSecond)} rows/s (${median.bareMicrosPerRow.toFixed(2)} µs/row): ${median.ratio.toFixed(2)}x per row ` +
    `(median of ${rounds} rounds of ${fmt(rows)} rows; target <= 2x); ` +
    `${median.tunedRatio.toFixed(2)}x a tuned bare insert (${median.tunedBareMicrosPerRow.toFixed(2)} µs/row)`,
);
console.log(PAGE_WRITE_DESCRIPTION);
