/**
 * One approve or decline: through the Bot API (approveChatJoinRequest / declineChatJoinRequest,
 * which need the bot to be an admin with can_invite_users), then recorded in the store with who
 * decided and when. Telegram's refusals become outcomes with a sentence an admin understands.
 */
import { GrammyError } from 'grammy';
import type { AdminChat, BotContext } from '../context.js';
import { toApiId } from '../api-ids.js';

export type DecisionOutcome =
  | { kind: 'done' }
  /** Already approved/declined by someone else, withdrawn, or the account is gone. */
  | { kind: 'gone'; reason: string }
  /** Telegram refused; the request stays pending. */
  | { kind: 'refused'; reason: string };

export async function decide(ctx: BotContext, chat: AdminChat, userId: bigint, approve: boolean): Promise<DecisionOutcome> {
  const deciderId = BigInt(ctx.from?.id ?? 0);
  const nowSeconds = Math.floor(ctx.deps.now() / 1000);
  try {
    if (approve) await ctx.api.approveChatJoinRequest(toApiId(chat.id), toApiId(userId));
    else await ctx.api.declineChatJoinRequest(toApiId(chat.id), toApiId(userId));
  } catch (error) {
    const outcome = explain(error);
    if (!outcome) throw error;
    if (outcome.kind === 'gone') ctx.store.requests.resolve(chat.id, userId, 'gone', nowSeconds, null);
    return outcome;
  }
  ctx.store.requests.resolve(chat.id, userId, approve ? 'approved' : 'declined', nowSeconds, deciderId);
  return { kind: 'done' };
}

/** Maps Telegram's error descriptions to outcomes; undefined for errors we do not expect. */
export function explain(error: unknown): DecisionOutcome | undefined {
  if (!(error instanceof GrammyError)) return undefined;
  const d = error.description;
  if (/HIDE_REQUESTER_MISSING/i.test(d)) return { kind: 'gone', reason: 'already handled by another admin or withdrawn by the user (HIDE_REQUESTER_MISSING)' };
  if (/USER_ALREADY_PARTICIPANT/i.test(d)) return { kind: 'gone', reason: 'the user is already a member (USER_ALREADY_PARTICIPANT)' };
  if (/INPUT_USER_DEACTIVATED|USER_DEACTIVATED|user not found/i.test(d)) return { kind: 'gone', reason: 'the account was deleted' };
  if (/USER_CHANNELS_TOO_MUCH/i.test(d)) return { kind: 'refused', reason: 'the user is in too many chats already (USER_CHANNELS_TOO_MUCH)' };
  if (error.error_code === 403 || /not enough rights|CHAT_ADMIN_REQUIRED|need administrator rights|can_invite_users/i.test(d)) {
    return { kind: 'refused', reason: 'the bot needs to be an admin with the "Invite users via link" right (can_invite_users)' };
  }
  if (error.error_code === 429) return { kind: 'refused', reason: 'Telegram asked us to slow down; try again in a minute' };
  if (error.error_code === 400) return { kind: 'refused', reason: `Telegram refused: ${d.slice(0, 200)}` };
  return undefined;
}
