/** One line per joiner of a link: mention, @username, date, "approved by …", "via folder". */
import type { Texts } from '../i18n/texts.js';
import { formatDate } from './time.js';
import { mention, personLine, type PersonFields } from './user.js';

export interface JoinerView extends PersonFields {
  readonly date: number;
  readonly approvedBy: bigint | null;
  readonly viaChatlist: boolean;
}

/**
 * `names` resolves approver ids to people (the store's users table); an unknown approver is shown
 * by id rather than hidden.
 */
export function joinerLine(tx: Texts, j: JoinerView, index: number, names: (id: bigint) => PersonFields | undefined): string {
  const parts = [`${index}. ${personLine(tx, j)}`, formatDate(tx, j.date)];
  if (j.approvedBy !== null) {
    const approver = names(j.approvedBy) ?? { id: j.approvedBy };
    parts.push(tx.t('joiner-approved-by', { admin: mention(tx, approver) }));
  }
  if (j.viaChatlist) parts.push(tx.t('joiner-via-folder'));
  return parts.join(' · ');
}
