/**
 * A /pending list's data behind its buttons: the chat, the search, the page shown and its "all"
 * question or run. In SQLite (button_contexts), kept a week from its last use, so the list's
 * buttons work after a restart; the shape is checked on every read (data from an older version,
 * or hand-edited, is "no longer available", never a crash).
 */
import { z } from 'zod';
import { BUTTON_KINDS } from '../buttons.js';
import type { BotContext } from '../context.js';
import type { PagePosition } from './fitted-page.js';

const id = z.string().regex(/^-?\d{1,20}$/).transform((s) => BigInt(s));

const ListSchema = z.object({
  chatId: id,
  query: z.string().max(300),
  view: z.object({
    index: z.number().int().min(1),
    from: z.object({ direction: z.enum(['older', 'newer']), cursor: z.object({ date: z.number().int(), userId: id }) }).optional(),
  }),
  bulk: z.object({ approve: z.boolean(), job: z.string() }).optional(),
});

export interface PendingList {
  chatId: bigint;
  query: string;
  view: PagePosition;
  /** "approve all" / "decline all" of this list: the open question's token, then 'started'. */
  bulk?: { approve: boolean; job: string | 'started' } | undefined;
}

export function newList(ctx: BotContext, list: PendingList): string {
  return ctx.deps.buttons.put(BUTTON_KINDS.pendingList, list, ctx.from?.id);
}

export function readList(ctx: BotContext, token: string | undefined): PendingList | undefined {
  return ctx.deps.buttons.get(BUTTON_KINDS.pendingList, token, ListSchema)?.payload as PendingList | undefined;
}

/** Stores the list as changed; it is kept another week from now. */
export function saveList(ctx: BotContext, token: string, list: PendingList): void {
  ctx.deps.buttons.update(BUTTON_KINDS.pendingList, token, list);
}
