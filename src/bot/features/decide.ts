/**
 * One approve or decline, for the admin who pressed: their right is checked fresh (Telegram's
 * `can_invite_users`, or the owner; see admin-cache.ts), then the Bot API decides
 * (approveChatJoinRequest / declineChatJoinRequest, which need the bot to have the same right), then
 * the store records who decided and when. What Telegram did is the outcome: a store write that fails
 * afterwards is logged, never reported as "not approved". Telegram's refusals become outcomes with a
 * sentence an admin understands (a text of locales/, worded in the admin's language where shown).
 */
import { GrammyError } from 'grammy';
import type { AdminChat, BotContext } from '../context.js';
import { toApiId } from '../api-ids.js';
import type { Phrase } from '../i18n/texts.js';

export type DecisionOutcome =
  | { kind: 'done' }
  /** Already approved/declined by someone else, withdrawn, or the account is gone. */
  | { kind: 'gone'; reason: Phrase }
  /** Telegram refused; the request stays pending. */
  | { kind: 'refused'; reason: Phrase }
  /** The person who pressed may not decide here (any more): nothing was asked of Telegram. */
  | { kind: 'forbidden'; reason: Phrase };

export async function decide(ctx: BotContext, chat: AdminChat, userId: bigint, approve: boolean): Promise<DecisionOutcome> {
  const deciderId = BigInt(ctx.from?.id ?? 0);
  const check = await ctx.deps.rights.decider(chat.id, deciderId);
  if (!check.ok) return { kind: 'forbidden', reason: check.reason };
  try {
    if (approve) await ctx.api.approveChatJoinRequest(toApiId(chat.id), toApiId(userId));
    else await ctx.api.declineChatJoinRequest(toApiId(chat.id), toApiId(userId));
  } catch (error) {
    const outcome = explain(error);
    if (!outcome) throw error;
    if (isRightsRefusal(error)) ctx.deps.rights.invalidate(chat.id);
    if (outcome.kind === 'gone') return settleGone(ctx, chat, userId, outcome, alreadyHandled(error));
    return outcome;
  }
  record(ctx, chat, userId, approve ? 'approved' : 'declined', deciderId);
  return { kind: 'done' };
}

/**
 * The request is no longer there. Was it approved elsewhere (the person is a member now) or
 * declined / withdrawn? Telegram says which through getChatMember; "gone" is only what is left
 * when the person is not a member. When Telegram cannot tell, nothing is recorded: the sync will.
 */
async function settleGone(ctx: BotContext, chat: AdminChat, userId: bigint, outcome: DecisionOutcome, handled: boolean): Promise<DecisionOutcome> {
  if (!handled) {
    record(ctx, chat, userId, 'gone', null);
    return outcome;
  }
  let member: boolean;
  try {
    const m = await ctx.api.getChatMember(toApiId(chat.id), toApiId(userId));
    member = m.status === 'member' || m.status === 'administrator' || m.status === 'creator' || (m.status === 'restricted' && m.is_member);
  } catch (error) {
    ctx.logger.warn({ err: error, user_id: userId.toString() }, 'could not tell how a request was handled elsewhere; left for the sync');
    return outcome;
  }
  if (member) {
    record(ctx, chat, userId, 'approved', null);
    return { kind: 'gone', reason: { key: 'decide-approved-elsewhere' } };
  }
  record(ctx, chat, userId, 'gone', null);
  return { kind: 'gone', reason: { key: 'decide-declined-elsewhere' } };
}

function alreadyHandled(error: unknown): boolean {
  return error instanceof GrammyError && /HIDE_REQUESTER_MISSING|USER_ALREADY_PARTICIPANT/i.test(error.description);
}

/** Records the outcome; a failure here does not undo what Telegram did, so it is logged, not thrown. */
function record(ctx: BotContext, chat: AdminChat, userId: bigint, outcome: 'approved' | 'declined' | 'gone', by: bigint | null): void {
  try {
    ctx.store.requests.resolve(chat.id, userId, outcome, Math.floor(ctx.deps.now() / 1000), by);
  } catch (error) {
    ctx.logger.error({ err: error, chat_id: chat.id.toString(), user_id: userId.toString(), outcome }, 'Telegram decided the request but the store could not record it; the next sync will');
  }
}

function isRightsRefusal(error: unknown): boolean {
  return error instanceof GrammyError && (error.error_code === 403 || /not enough rights|CHAT_ADMIN_REQUIRED|need administrator rights/i.test(error.description));
}

/** Maps Telegram's error descriptions to outcomes; undefined for errors we do not expect. */
export function explain(error: unknown): DecisionOutcome | undefined {
  if (!(error instanceof GrammyError)) return undefined;
  const d = error.description;
  if (/HIDE_REQUESTER_MISSING/i.test(d)) return { kind: 'gone', reason: { key: 'decide-handled-elsewhere' } };
  if (/USER_ALREADY_PARTICIPANT/i.test(d)) return { kind: 'gone', reason: { key: 'decide-already-member' } };
  if (/INPUT_USER_DEACTIVATED|USER_DEACTIVATED|user not found/i.test(d)) return { kind: 'gone', reason: { key: 'decide-account-deleted' } };
  if (/USER_CHANNELS_TOO_MUCH/i.test(d)) return { kind: 'refused', reason: { key: 'decide-too-many-chats' } };
  if (isRightsRefusal(error) || /can_invite_users/i.test(d)) return { kind: 'refused', reason: { key: 'decide-bot-rights' } };
  if (error.error_code === 429) return { kind: 'refused', reason: { key: 'decide-slow-down' } };
  if (error.error_code === 400) return { kind: 'refused', reason: { key: 'decide-refused', vars: { description: d.slice(0, 200) } } };
  return undefined;
}
