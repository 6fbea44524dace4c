/**
 * The vega-lite spec of the /stats chart: joins and join requests per UTC day, two lines.
 * Everything that could vary between machines is pinned: the font, UTC time formatting,
 * the size, and the colours.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { DayCount } from './daily-series.js';
import { CHART_FONT_FAMILY } from './font.js';

export interface ChartOptions {
  title: string;
  width?: number;
  height?: number;
  labels: ChartLabels;
}

/** The chart's words (series names, the y axis title) and its day format (d3-time-format), per language. */
export interface ChartLabels {
  joins: string;
  requests: string;
  perDay: string;
  dayFormat: string;
}

const SERIES = [
  { key: 'joins', color: '#2a7ab0' },
  { key: 'requests', color: '#e08a1e' },
] as const;

export function dailyActivitySpec(days: readonly DayCount[], options: ChartOptions): TopLevelSpec {
  const labels = options.labels;
  const values = days.flatMap((d) => SERIES.map((s) => ({ day: d.day, series: labels[s.key], count: d[s.key] })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    width: options.width ?? 640,
    height: options.height ?? 280,
    background: 'white',
    padding: 12,
    data: { values },
    mark: { type: 'line', point: days.length <= 45, strokeWidth: 2 },
    encoding: {
      x: {
        field: 'day',
        type: 'temporal',
        timeUnit: 'utcyearmonthdate',
        scale: { type: 'utc' },
        axis: { title: null, format: labels.dayFormat, labelAngle: 0, tickCount: Math.min(days.length, 8) },
      },
      y: { field: 'count', type: 'quantitative', axis: { title: labels.perDay, tickMinStep: 1 } },
      color: {
        field: 'series',
        type: 'nominal',
        scale: { domain: SERIES.map((s) => labels[s.key]), range: SERIES.map((s) => s.color) },
        legend: { title: null, orient: 'top' },
      },
    },
    config: { font: CHART_FONT_FAMILY, view: { stroke: null } },
  };
}
