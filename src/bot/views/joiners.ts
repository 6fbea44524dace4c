/** One line per joiner of a link: mention, @username, date, "approved by …", "via folder", when they left. */
import { formatDate } from './time.js';
import { mention, personLine, type PersonFields } from './user.js';
import { leftText } from './whois.js';

export interface JoinerView extends PersonFields {
  readonly date: number;
  readonly approvedBy: bigint | null;
  readonly viaChatlist: boolean;
  readonly leftAt?: number | null;
  readonly leftHow?: 'left' | 'kicked' | 'unseen' | null;
}

/**
 * `names` resolves approver ids to people (the store's users table); an unknown approver is shown
 * by id rather than hidden.
 */
export function joinerLine(j: JoinerView, index: number, names: (id: bigint) => PersonFields | undefined): string {
  const parts = [`${index}. ${personLine(j)}`, formatDate(j.date)];
  if (j.approvedBy !== null) {
    const approver = names(j.approvedBy) ?? { id: j.approvedBy };
    parts.push(`approved by ${mention(approver)}`);
  }
  if (j.viaChatlist) parts.push('via folder');
  if (j.leftAt != null) parts.push(leftText(j.leftAt, j.leftHow ?? null));
  return parts.join(' · ');
}
