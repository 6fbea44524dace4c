/** The one call /stats makes: store rows in, PNG bytes out. */
import type { Texts } from '../i18n/texts.js';
import { fillDays } from './daily-series.js';
import type { DayCount } from './daily-series.js';
import { renderSpecPng } from './render.js';
import { dailyActivitySpec, type ChartLabels } from './spec.js';

export type { DayCount } from './daily-series.js';

export interface DailyChartInput {
  rows: readonly DayCount[];
  /** Unix seconds; the last day drawn is this one's UTC day. */
  endUnix: number;
  days: number;
  title: string;
  /** The words on the chart, in the admin's language (`chartLabels`). */
  labels: ChartLabels;
}

export async function renderDailyChart(input: DailyChartInput): Promise<Buffer> {
  const days = fillDays(input.rows, input.endUnix, input.days);
  return renderSpecPng(dailyActivitySpec(days, { title: input.title, labels: input.labels }));
}

/** The chart's words in one language (texts stats-chart-*). */
export function chartLabels(tx: Texts): ChartLabels {
  return { joins: tx.t('stats-chart-joins'), requests: tx.t('stats-chart-requests'), perDay: tx.t('stats-chart-per-day'), dayFormat: tx.t('stats-chart-day-format') };
}
