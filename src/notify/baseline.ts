/**
 * The raid detector's "usual rate", from the store: joins of a link (or the whole chat) in the
 * days before a burst. The store's per-day stats query counts `(now - days, now]`, so asking up to
 * one second before the burst leaves the burst itself out.
 */
import type { Store } from '../store/index.js';
import type { BaselineCount } from './raid-detector.js';

export function joinsBetween(store: Pick<Store, 'stats'>): BaselineCount {
  return (chatId, link, fromUnix, toUnix) => {
    const days = Math.max(1, Math.round((toUnix - fromUnix) / 86_400));
    const perDay = store.stats.joinsPerDay(chatId, { days, now: toUnix - 1, ...(link === null ? {} : { link }) });
    return perDay.reduce((sum, d) => sum + d.count, 0);
  };
}
