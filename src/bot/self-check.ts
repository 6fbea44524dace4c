/**
 * The bot half of `joinwatch doctor`: is the token valid, and is the bot an admin that may
 * approve requests (can_invite_users) in each watched chat? Uses grammY's Api only.
 */
import { Api, GrammyError } from 'grammy';

export interface BotCheck {
  ok: boolean;
  line: string;
}

export async function checkBot(o: { token: string; apiRoot: string; chatIds: readonly bigint[]; notifyChatId?: bigint | undefined }): Promise<BotCheck[]> {
  const api = new Api(o.token, { apiRoot: o.apiRoot });
  let botId: number;
  try {
    const me = await api.getMe();
    botId = me.id;
  } catch (error) {
    return [{ ok: false, line: `bot token: ${explain(error)}` }];
  }
  const checks: BotCheck[] = [{ ok: true, line: 'bot token is valid' }];
  for (const chatId of o.chatIds) checks.push(await checkChat(api, chatId, botId));
  if (o.notifyChatId !== undefined) checks.push(await checkNotifyTarget(api, o.notifyChatId));
  return checks;
}

/** Can the bot write to NOTIFY_CHAT_ID? A chat action needs the right to post and shows nothing. */
async function checkNotifyTarget(api: Api, chatId: bigint): Promise<BotCheck> {
  try {
    await api.sendChatAction(chatId.toString(), 'typing');
    return { ok: true, line: `NOTIFY_CHAT_ID ${chatId}: the bot can write there` };
  } catch (error) {
    const why = explain(error);
    return { ok: false, line: `NOTIFY_CHAT_ID ${chatId}: the bot cannot write there (${why}); notifications will wait until it can: add the bot with the right to post, or start a chat with it` };
  }
}

async function checkChat(api: Api, chatId: bigint, botId: number): Promise<BotCheck> {
  try {
    const member = await api.getChatMember(chatId.toString(), botId);
    if (member.status === 'creator') return { ok: true, line: `${chatId}: the bot owns the chat` };
    if (member.status !== 'administrator') {
      return { ok: false, line: `${chatId}: the bot is not an admin (make it one, with "Invite users", to approve requests): it gets no live updates there, so requests and joins reach the store at the next sync cycle` };
    }
    if (!member.can_invite_users) return { ok: false, line: `${chatId}: the bot is an admin without "Invite users": it cannot approve or decline requests` };
    return { ok: true, line: `${chatId}: the bot is an admin with "Invite users"` };
  } catch (error) {
    if (error instanceof GrammyError && /chat not found/i.test(error.description)) {
      return { ok: false, line: `${chatId}: the bot is not in this chat (add it as an admin with "Invite users"): it gets no live updates there, so requests and joins reach the store at the next sync cycle` };
    }
    return { ok: false, line: `${chatId}: ${explain(error)}` };
  }
}

function explain(error: unknown): string {
  if (error instanceof GrammyError) return error.error_code === 401 ? 'Telegram rejected the token (401)' : error.description;
  return error instanceof Error ? error.message : String(error);
}

/** One line for a bot that cannot start: a rejected token, or no answer from the Bot API server. */
export function describeBotInitFailure(error: unknown, apiRoot: string): string {
  if (error instanceof GrammyError && error.error_code === 401) {
    return `Telegram rejected BOT_TOKEN (401 Unauthorized): check the token @BotFather gave you`;
  }
  if (error instanceof GrammyError) return `the Bot API at ${apiRoot} refused getMe: ${error.description}`;
  return `cannot reach the Bot API at ${apiRoot}: check BOT_API_ROOT and the network`;
}
