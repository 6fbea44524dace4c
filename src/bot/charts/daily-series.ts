/**
 * The per-day counts a chart plots. The store returns only days that had activity; a chart
 * must show the quiet days as zero, or a line would jump straight over them.
 */

/** One UTC day: `day` is `YYYY-MM-DD`. */
export interface DayCount {
  day: string;
  joins: number;
  requests: number;
}

const DAY_MS = 86_400_000;

export function utcDay(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}

/**
 * Every day from `days - 1` days before `endUnix` up to `endUnix`'s day, in order, with the
 * store's counts where it had some and zeros elsewhere. Days outside the window are dropped.
 */
export function fillDays(rows: readonly DayCount[], endUnix: number, days: number): DayCount[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const endMs = Date.parse(`${utcDay(endUnix)}T00:00:00Z`);
  const out: DayCount[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(endMs - i * DAY_MS).toISOString().slice(0, 10);
    const found = byDay.get(day);
    out.push({ day, joins: found?.joins ?? 0, requests: found?.requests ?? 0 });
  }
  return out;
}
