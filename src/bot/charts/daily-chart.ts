/** The one call /stats makes: store rows in, PNG bytes out. */
import { fillDays } from './daily-series.js';
import type { DayCount } from './daily-series.js';
import { renderSpecPng } from './render.js';
import { dailyActivitySpec } from './spec.js';

export type { DayCount } from './daily-series.js';

export interface DailyChartInput {
  rows: readonly DayCount[];
  /** Unix seconds; the last day drawn is this one's UTC day. */
  endUnix: number;
  days: number;
  title: string;
}

export async function renderDailyChart(input: DailyChartInput): Promise<Buffer> {
  const days = fillDays(input.rows, input.endUnix, input.days);
  return renderSpecPng(dailyActivitySpec(days, { title: input.title }));
}
