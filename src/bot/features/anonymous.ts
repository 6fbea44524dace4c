/**
 * Anonymous group admins write as the group: `from` is Telegram's GroupAnonymousBot and
 * `sender_chat` the group itself, so nothing says which admin wrote, and joinwatch cannot check
 * whom it would answer (it used to refuse them as non-admins). It asks instead: the command waits
 * behind a button (in SQLite), and the press says who the person is (`callback_query.from`); their
 * command then runs as theirs (rerun.ts), checked like anyone else's. The group never learns who
 * pressed: the answer goes to that admin privately, as for any command in a group.
 */
import { Composer, InlineKeyboard } from 'grammy';
import { BUTTON_KINDS } from '../buttons.js';
import { COMMANDS } from '../commands.js';
import type { BotContext } from '../context.js';
import { chatLocale } from '../i18n/choice.js';
import { textsFor, type Texts } from '../i18n/texts.js';
import { groupRefusal } from '../middlewares/access.js';
import { commandOf, rerun, StoredCommandSchema } from '../rerun.js';
import { unpack } from '../views/callback-data.js';

/** The user Telegram puts in `from` of a message an admin sends as the group. */
export const GROUP_ANONYMOUS_BOT_ID = 1087968824;
const VERB = 'an';
/** Commands that show a chat's data (everyone may read /start and /help, anonymous or not). */
const DATA_COMMANDS = new Set(COMMANDS.map((c) => c.name).filter((n) => n !== 'start' && n !== 'help'));

export function anonymousAdminFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.chatType(['group', 'supergroup']).on('message::bot_command', async (ctx, next) => {
    const command = isAnonymousAdmin(ctx) && isOurDataCommand(ctx) ? commandOf(ctx) : undefined;
    if (!command) return next();
    const token = ctx.deps.buttons.put(BUTTON_KINDS.anonymous, command);
    const tx = groupTexts(ctx, BigInt(ctx.chat.id));
    await ctx.reply(tx.t('anonymous-ask'), {
      reply_markup: new InlineKeyboard().text(tx.t('anonymous-button'), ctx.deps.buttons.pack(VERB, token)),
      reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true },
    });
  });

  feature.callbackQuery(new RegExp(`^${VERB}:`), async (ctx) => {
    const [token = ''] = unpack(ctx.callbackQuery.data).fields;
    const found = ctx.deps.buttons.get(BUTTON_KINDS.anonymous, token, StoredCommandSchema);
    if (!found || found.payload.chat.id !== ctx.chat?.id) {
      await ctx.answerCallbackQuery({ text: ctx.t('pick-chat-expired') });
      return;
    }
    const chatId = BigInt(found.payload.chat.id);
    // Checked like anyone else: a member who is not an admin learns nothing and runs nothing.
    if (!ctx.adminChats.some((c) => c.id === chatId)) {
      await ctx.answerCallbackQuery({ text: groupRefusal(ctx, chatId), show_alert: true });
      return;
    }
    ctx.deps.buttons.delete(token);
    await ctx.answerCallbackQuery({ text: ctx.t('anonymous-confirmed') });
    await ctx.editMessageText(groupTexts(ctx, chatId).t('anonymous-done')).catch((error: unknown) => ctx.logger.warn({ err: error }, 'could not close the anonymous admin question'));
    rerun(ctx, found.payload);
  });
  return feature;
}

/**
 * What the group reads: in the language its admins chose there (/language). The sender of an
 * anonymous message is Telegram's bot, whose language says nothing.
 */
function groupTexts(ctx: BotContext, chatId: bigint): Texts {
  return textsFor(chatLocale(ctx.store, chatId));
}

function isAnonymousAdmin(ctx: BotContext): boolean {
  return ctx.from?.id === GROUP_ANONYMOUS_BOT_ID && ctx.senderChat?.id === ctx.chat?.id;
}

/** One of our commands that shows data, not addressed to another bot. */
function isOurDataCommand(ctx: BotContext): boolean {
  const m = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s|$)/.exec(ctx.msg?.text ?? '');
  if (!m?.[1] || (m[2] && m[2].toLowerCase() !== ctx.me.username.toLowerCase())) return false;
  return DATA_COMMANDS.has(m[1].toLowerCase());
}
