/**
 * The bot's own settings and the update stream: getUpdates (long poll), webhooks (always off here),
 * and the command lists @grammyjs/commands sets per scope and language.
 */
import { badRequest } from './errors.js';
import type { MethodContext } from './method-context.js';
import { int, json, str } from './params.js';
import type { Json } from './views.js';

export function getUpdates(c: MethodContext): Promise<Json[]> {
  if (c.params.allowed_updates !== undefined) c.state.updates.setAllowed(json(c.params, 'allowed_updates', 'allowed updates'));
  return c.state.updates.get({
    offset: int(c.params, 'offset', 0),
    limit: int(c.params, 'limit', 100),
    timeout: int(c.params, 'timeout', 0),
    ...(c.onClose ? { onClose: c.onClose } : {}),
  });
}

export const deleteWebhook = (): true => true;
export const setWebhook = (): never => {
  throw badRequest('webhooks are not supported by the sandbox; use getUpdates');
};

export function getWebhookInfo(c: MethodContext): Json {
  const allowed = c.state.updates.allowedUpdates;
  return { url: '', has_custom_certificate: false, pending_update_count: c.state.updates.pending, ...(allowed ? { allowed_updates: allowed } : {}) };
}

/** Commands are stored per scope (its JSON) and language, like Telegram does. */
function scopeKey(c: MethodContext): string {
  const scope = json(c.params, 'scope', 'bot command scope') ?? { type: 'default' };
  if (typeof scope !== 'object' || scope === null || typeof (scope as Json).type !== 'string') throw badRequest("can't parse BotCommandScope JSON object");
  const known = ['default', 'all_private_chats', 'all_group_chats', 'all_chat_administrators', 'chat', 'chat_administrators', 'chat_member'];
  if (!known.includes((scope as Json).type as string)) throw badRequest('wrong bot command scope type specified');
  return `${JSON.stringify(scope)}|${str(c.params, 'language_code') ?? ''}`;
}

export function setMyCommands(c: MethodContext): true {
  const list = json(c.params, 'commands', 'commands');
  if (!Array.isArray(list)) throw badRequest('field "commands" must be an Array');
  if (list.length > 100) throw badRequest('too many commands specified');
  for (const cmd of list as Json[]) {
    if (typeof cmd.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(cmd.command)) throw badRequest('BOT_COMMAND_INVALID');
    if (typeof cmd.description !== 'string' || cmd.description.length === 0) throw badRequest('command description is empty');
    if ([...cmd.description].length > 256) throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
  }
  c.state.commands.set(scopeKey(c), list as Json[]);
  return true;
}

export function getMyCommands(c: MethodContext): Json[] {
  return c.state.commands.get(scopeKey(c)) ?? [];
}

export function deleteMyCommands(c: MethodContext): true {
  c.state.commands.delete(scopeKey(c));
  return true;
}
