/**
 * The `deletedLinks` fault: links deleted on Telegram's side while the world keeps their rows
 * (as happens between two syncs, or in the middle of a backfill). Importers of such a link answer
 * INVITE_HASH_EXPIRED, as Telegram does for an unknown or deleted link, and the link listings no
 * longer show it.
 */
import { Api } from 'telegram';
import { canonicalInviteLink } from '../scenario.js';
import { badRequest } from './errors.js';
import type { FaultInjector } from './fault-injector.js';

/** Throws INVITE_HASH_EXPIRED for a request about a deleted link. */
export function refuseDeletedLink(request: unknown, faults: FaultInjector): void {
  if (!(request instanceof Api.messages.GetChatInviteImporters) || !request.link) return;
  const link = canonicalInviteLink(request.link)?.link;
  if (link && faults.isDeleted(link)) throw badRequest('INVITE_HASH_EXPIRED');
}

/** Leaves deleted links out of a link listing. */
export function withoutDeletedLinks<T>(result: T, faults: FaultInjector): T {
  if (!(result instanceof Api.messages.ExportedChatInvites)) return result;
  const kept = result.invites.filter((i) => !(i instanceof Api.ChatInviteExported && faults.isDeleted(canonicalInviteLink(i.link)?.link ?? i.link)));
  result.count -= result.invites.length - kept.length;
  result.invites = kept;
  return result;
}
