/**
 * Dates and freshness as an admin reads them, in the admin's language (the patterns are texts:
 * `format-date`, `format-time`; the digits come from Intl). Times are shown in UTC and say so: the
 * bot does not know the admin's time zone, and an unlabeled time would be silently wrong for most.
 */
import type { Texts } from '../i18n/texts.js';

interface DateParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Two-digit month, day, hour and minute of a UTC moment, in the locale's digits. */
function partsOf(locale: string, unixSeconds: number): DateParts {
  let format = formats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formats.set(locale, format);
  }
  const parts: Record<string, string> = {};
  for (const p of format.formatToParts(new Date(unixSeconds * 1000))) parts[p.type] = p.value;
  return { year: parts.year ?? '', month: parts.month ?? '', day: parts.day ?? '', hour: parts.hour ?? '', minute: parts.minute ?? '' };
}

/** "2026-01-01" / "01.01.2026" (UTC) from unix seconds. */
export function formatDay(tx: Texts, unixSeconds: number): string {
  const p = partsOf(tx.locale, unixSeconds);
  return tx.t('format-date', { year: p.year, month: p.month, day: p.day });
}

/** "14:05" (UTC) from unix seconds. */
export function formatTime(tx: Texts, unixSeconds: number): string {
  const p = partsOf(tx.locale, unixSeconds);
  return tx.t('format-time', { hour: p.hour, minute: p.minute });
}

/** "2026-01-01 14:05" / "01.01.2026 14:05" (UTC) from unix seconds. */
export function formatDate(tx: Texts, unixSeconds: number): string {
  if (!Number.isFinite(unixSeconds)) return '?';
  return tx.t('format-date-time', { date: formatDay(tx, unixSeconds), time: formatTime(tx, unixSeconds) });
}

/** "3 min ago", "just now", "2 h ago", "5 days ago" from unix seconds and a clock in ms. */
export function formatAgo(tx: Texts, unixSeconds: number, nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000 - unixSeconds);
  if (seconds < 0) return tx.t('ago-future');
  if (seconds < 60) return tx.t('ago-just-now');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return tx.t('ago-minutes', { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return tx.t('ago-hours', { count: hours });
  return tx.t('ago-days', { count: Math.floor(hours / 24) });
}

/**
 * The line every answer ends with: "as of 14:05 UTC, 3 min ago" (with the date when it is not
 * today), or a plain statement that no sync has finished yet.
 */
export function freshnessLine(tx: Texts, lastSyncAt: number | undefined, nowMs: number): string {
  return `${freshnessClause(tx, lastSyncAt, nowMs)}.`;
}

/** The same without the final period, for use inside a sentence or parentheses: "(Data as of 14:05 UTC, 3 min ago)". */
export function freshnessClause(tx: Texts, lastSyncAt: number | undefined, nowMs: number): string {
  if (lastSyncAt === undefined) return tx.t('freshness-none');
  const today = new Date(nowMs).toISOString().slice(0, 10) === new Date(lastSyncAt * 1000).toISOString().slice(0, 10);
  const when = today ? formatTime(tx, lastSyncAt) : formatDate(tx, lastSyncAt);
  return tx.t('freshness-as-of', { when, ago: formatAgo(tx, lastSyncAt, nowMs) });
}
