/** One line per joiner of a link: mention, @username, date, "approved by …", "via folder", when they left. */
import type { Texts } from '../i18n/texts.js';
import { formatDate } from './time.js';
import { mention, personLine, type PersonFields } from './user.js';

/** How a stay ended: 'left' or 'kicked' as a live source said, 'unseen' when a listing no longer showed the person. */
export type LeftHow = 'left' | 'kicked' | 'unseen';

export interface JoinerView extends PersonFields {
  readonly date: number;
  readonly approvedBy: bigint | null;
  readonly viaChatlist: boolean;
  readonly leftAt?: number | null;
  readonly leftHow?: LeftHow | null;
}

/** "left …", "removed …", or "gone by …" (only a later listing showed it). */
export function leftText(tx: Texts, at: number, how: LeftHow | null): string {
  return tx.t('stay-ended', { how: how ?? 'left', date: formatDate(tx, at) });
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
  if (j.leftAt != null) parts.push(leftText(tx, j.leftAt, j.leftHow ?? null));
  return parts.join(' · ');
}
