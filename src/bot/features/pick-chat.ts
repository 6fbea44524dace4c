/** The press on a "Which chat?" button: checks who pressed and their access, then runs the command again for that chat. */
import { Composer } from 'grammy';
import { BUTTON_KINDS } from '../buttons.js';
import type { BotContext } from '../context.js';
import { PICK_VERB, PickSchema } from '../middlewares/chat-pick.js';
import { rerun } from '../rerun.js';
import { decodeNumber, unpack } from '../views/callback-data.js';

export function pickChatFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.callbackQuery(new RegExp(`^${PICK_VERB}:`), async (ctx) => {
    const [token, indexText] = unpack(ctx.callbackQuery.data).fields;
    const pick = ctx.deps.buttons.get(BUTTON_KINDS.pick, token, PickSchema);
    const chosen = pick?.payload.chats[decodeNumber(indexText) ?? -1];
    if (!pick || chosen === undefined) {
      await ctx.answerCallbackQuery({ text: ctx.t('pick-chat-expired') });
      return;
    }
    if (pick.userId !== BigInt(ctx.from.id)) {
      await ctx.answerCallbackQuery({ text: ctx.t('pick-chat-not-yours') });
      return;
    }
    // Admin rights may have changed since the question was asked.
    const allowed = ctx.adminChats.find((c) => String(c.id) === chosen);
    if (!allowed) {
      await ctx.answerCallbackQuery({ text: ctx.t('pick-chat-no-longer-admin') });
      return;
    }
    ctx.deps.buttons.delete(token ?? '');
    await ctx.answerCallbackQuery({ text: allowed.title.slice(0, 150) });
    rerun(ctx, pick.payload.command, { pickedChat: allowed.id });
  });
  return feature;
}
