/** The /links line saying which live sources work for the chat (see domain/live-sources.ts). */
import type { LiveSources } from '../../domain/live-sources.js';
import type { Texts } from '../i18n/texts.js';
import { escapeHtml } from './html.js';
import { formatDate } from './time.js';

export function liveSourcesLine(tx: Texts, l: LiveSources, botIsAdmin: boolean): string {
  const log =
    l.adminLog === 'followed'
      ? tx.t('links-live-log-followed')
      : l.adminLog === 'unreadable'
        ? tx.t('links-live-log-unreadable', { why: escapeHtml(l.adminLogWhy ?? '', 60) })
        : tx.t('links-live-log-not-read');
  const pushes = l.pushedAt === null ? tx.t('links-live-pushes-none') : tx.t('links-live-pushes-seen', { date: formatDate(tx, l.pushedAt) });
  return `<i>${tx.t('links-live', { log, pushes, bot: tx.t(botIsAdmin ? 'links-live-bot-on' : 'links-live-bot-off') })}</i>`;
}
