/**
 * The message of an "approve all" run a restart cut short (issue 11), in both languages: how far
 * it got, what was not attempted, and where to look next.
 */
import { describe, expect, it } from 'vitest';
import { interruptedReport } from '../../src/bot/features/pending-bulk.js';
import { textsFor } from '../../src/bot/i18n/texts.js';

const job = { approve: true, ids: [1n, 2n, 3n, 4n, 5n], query: '' };
const counts = { done: 2, gone: 1, refused: 0, failed: 0, skipped: 2 };

describe('a run a restart cut short', () => {
  it('says how far it got, in English', () => {
    expect(interruptedReport(textsFor('en'), job, counts).split('\n')).toEqual([
      'Stopped by a restart: approved 2 of 5; 2 not attempted.',
      '• 1 not changed (already decided elsewhere, refused or failed).',
      'Send /pending to see who is still waiting.',
    ]);
  });

  it('and in Russian, with the search it ran on', () => {
    expect(interruptedReport(textsFor('ru'), { ...job, approve: false, query: '<b>spam</b>' }, { ...counts, gone: 0 }).split('\n')).toEqual([
      'Остановлено перезапуском: отклонено 2 из 5 по запросу «\u2068&lt;b&gt;spam&lt;/b&gt;\u2069»; не обработано: 2.',
      'Отправьте /pending, чтобы увидеть, кто ещё ждёт.',
    ]);
  });
});
