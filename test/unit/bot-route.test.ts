/**
 * Where answers go, with the Bot API stubbed: the sandbox lets a bot write to anyone, so the real
 * Telegram's refusal to write first (403 "bot can't initiate conversation") is played here.
 */
import { GrammyError } from 'grammy';
import { describe, expect, it } from 'vitest';
import type { BotContext } from '../../src/bot/context.js';
import { textsFor } from '../../src/bot/i18n/texts.js';
import { routeMiddleware } from '../../src/bot/middlewares/route.js';

const en = textsFor('en');

function groupContext(sendMessage: (chatId: number, text: string) => Promise<unknown>) {
  const replies: string[] = [];
  const ctx = {
    chat: { id: -1001700000001, type: 'supergroup' },
    from: { id: 7100001, is_bot: false, first_name: 'Alice' },
    msg: { message_id: 42 },
    t: en.t,
    api: { sendMessage },
    reply: async (text: string) => {
      replies.push(text);
      return {};
    },
  } as unknown as BotContext;
  return { ctx, replies };
}

const forbidden = () =>
  new GrammyError("Call to 'sendMessage' failed!", { ok: false, error_code: 403, description: "Forbidden: bot can't initiate conversation with a user" }, 'sendMessage', {});

describe('routing answers out of a group', () => {
  it('sends to the admin privately and points at it once in the group', async () => {
    const sent: number[] = [];
    const { ctx, replies } = groupContext(async (chatId) => {
      sent.push(chatId);
      return { message_id: sent.length };
    });
    await routeMiddleware(() => 'joinwatch_bot')(ctx, async () => {
      await ctx.answer('part 1');
      await ctx.answer('part 2');
    });
    expect(sent).toEqual([7100001, 7100001]);
    expect(replies).toEqual(['📬 Sent you the answer in a private message.']);
  });

  it('gives a deep link to start the bot when Telegram refuses the private message, once, and sends nothing else', async () => {
    let attempts = 0;
    const { ctx, replies } = groupContext(async () => {
      attempts += 1;
      throw forbidden();
    });
    const results: unknown[] = [];
    await routeMiddleware(() => 'joinwatch_bot')(ctx, async () => {
      results.push(await ctx.answer('part 1'));
      results.push(await ctx.answer('part 2'));
    });
    expect(results).toEqual([undefined, undefined]);
    expect(attempts).toBe(1);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/^Results go to a private chat\. Start me first \(https:\/\/t\.me\/joinwatch_bot\?start=\w+\), then send the command again\.$/);
  });

  it('lets other failures reach the error boundary', async () => {
    const { ctx, replies } = groupContext(async () => {
      throw new Error('socket hang up');
    });
    await expect(routeMiddleware(() => 'joinwatch_bot')(ctx, () => ctx.answer('x').then(() => undefined))).rejects.toThrow('socket hang up');
    expect(replies).toEqual([]);
  });
});
