/** The notifier's public face for app.ts: create it with the bot's `api` and the store, then start/stop. */
export { createNotifier, type Notifier, type NotifierOptions } from './notifier.js';
export { DEFAULT_RAID_THRESHOLDS, type RaidThresholds } from './raid-detector.js';
export type { DrainReport } from './drain.js';
