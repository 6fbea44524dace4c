/** The press on a "Which chat?" button: re-checks access, then runs the waiting command. */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { PICK_VERB, type ChatPicks } from '../middlewares/chat-pick.js';
import { decodeNumber, unpack } from '../views/callback-data.js';

export function pickChatFeature(picks: ChatPicks): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.callbackQuery(new RegExp(`^${PICK_VERB}:`), async (ctx) => {
    const { fields } = unpack(ctx.callbackQuery.data);
    const [token, indexText] = fields;
    const pick = token ? picks.get(token) : undefined;
    const chosen = pick?.chats[decodeNumber(indexText) ?? -1];
    if (!pick || pick.userId !== ctx.from.id || !chosen) {
      await ctx.answerCallbackQuery({ text: ctx.t('pick-chat-expired') });
      return;
    }
    // Admin rights may have changed since the question was asked.
    const allowed = ctx.adminChats.find((c) => c.id === chosen.id);
    if (!allowed) {
      await ctx.answerCallbackQuery({ text: ctx.t('pick-chat-no-longer-admin') });
      return;
    }
    picks.delete(token ?? '');
    await ctx.answerCallbackQuery({ text: allowed.title.slice(0, 150) });
    await pick.run(allowed);
  });
  return feature;
}
