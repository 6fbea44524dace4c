/**
 * The longest wait between two ticks of a cron schedule, so "overdue" is judged against the
 * schedule the operator set (SYNC_CRON) rather than a second setting to keep in step with it.
 */
import { createTask } from 'node-cron';

/** Ticks looked at: a week of a 5-minute schedule, years of a daily one (~0.1 s, once at start). */
const TICKS = 2000;

export function longestCronGapSeconds(expression: string): number {
  const task = createTask(expression, () => undefined);
  try {
    const ticks = task.getNextRuns(TICKS).map((d) => d.getTime());
    let longest = 0;
    for (let i = 1; i < ticks.length; i++) longest = Math.max(longest, (ticks[i] ?? 0) - (ticks[i - 1] ?? 0));
    return Math.round(longest / 1000);
  } finally {
    void task.destroy();
  }
}
