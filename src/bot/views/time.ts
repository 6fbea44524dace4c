/**
 * Dates and freshness as an admin reads them. Times are shown in UTC and say so: the bot does not
 * know the admin's time zone, and an unlabeled time would be silently wrong for most of them.
 */

/** "2026-01-01 14:05" (UTC) from unix seconds. */
export function formatDate(unixSeconds: number): string {
  if (!Number.isFinite(unixSeconds)) return '?';
  const iso = new Date(unixSeconds * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** "3 min ago", "just now", "2 h ago", "5 days ago" from unix seconds and a clock in ms. */
export function formatAgo(unixSeconds: number, nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000 - unixSeconds);
  if (seconds < 0) return 'in the future';
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/**
 * The line every answer ends with: "as of 14:05 UTC, 3 min ago" (with the date when it is not
 * today), or a plain statement that no sync has finished yet.
 */
export function freshnessLine(lastSyncAt: number | undefined, nowMs: number): string {
  return `${freshnessClause(lastSyncAt, nowMs)}.`;
}

/** The same without the final period, for use inside a sentence or parentheses: "(Data as of 14:05 UTC, 3 min ago)". */
export function freshnessClause(lastSyncAt: number | undefined, nowMs: number): string {
  if (lastSyncAt === undefined) return 'Data: no sync has finished yet';
  const [day, time] = formatDate(lastSyncAt).split(' ');
  const today = new Date(nowMs).toISOString().slice(0, 10);
  const when = day === today ? `${time} UTC` : `${day} ${time} UTC`;
  return `Data as of ${when}, ${formatAgo(lastSyncAt, nowMs)}`;
}
