/**
 * Every feature composer, in the order they are tried. An anonymous admin's command is asked to be
 * confirmed before any command runs; the pick-chat handler comes next so a "Which chat?" press is
 * never taken for another button; the fallback comes last.
 */
import type { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { anonymousAdminFeature } from './anonymous.js';
import { exportFeature } from './export.js';
import { fallbackFeature } from './fallback.js';
import { joinersFeature } from './joiners.js';
import { languageFeature } from './language.js';
import { linksFeature } from './links.js';
import { pendingFeature } from './pending.js';
import { pickChatFeature } from './pick-chat.js';
import { startFeature } from './start.js';
import { statsFeature } from './stats.js';
import { syncFeature } from './sync.js';
import { whoisFeature } from './whois.js';

export interface FeatureOptions {
  now: () => number;
  bulkRatePerSecond: number;
  syncCooldownMs: number;
}

export function featureComposers(o: FeatureOptions): Composer<BotContext>[] {
  return [
    anonymousAdminFeature(),
    pickChatFeature(),
    startFeature(),
    languageFeature(),
    linksFeature(),
    joinersFeature(),
    pendingFeature({ now: o.now, ratePerSecond: o.bulkRatePerSecond }),
    whoisFeature(),
    syncFeature({ now: o.now, cooldownMs: o.syncCooldownMs }),
    statsFeature,
    exportFeature,
    fallbackFeature(),
  ];
}
