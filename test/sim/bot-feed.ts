/**
 * The bot as a live source in the model check: the sandbox Bot API's own bridge turns world events
 * into `chat_join_request` / `chat_member` updates (as the bot would get them), which are delivered
 * through the bot's own store write (src/bot/live-store.ts) — late (each waits a random number of
 * deliveries), out of order (shuffled), some twice (a redelivery after a lost offset). The bot runs
 * as its own process: a SIGKILL of the sync loses nothing queued here. Updates of a chat the store
 * does not hold yet are dropped, as the bot drops them.
 * In two seeds of three (`--no-bot` leaves it out).
 */
import type { ChatJoinRequest, ChatMemberUpdated } from 'grammy/types';
import { storeJoinRequest, storeMemberUpdate } from '../../src/bot/live-store.js';
import { bridgeWorldUpdates } from '../../src/sandbox/botapi/world-updates.js';
import type { World } from '../../src/sandbox/world.js';
import type { Store } from '../../src/store/index.js';
import type { Rng } from './ops.js';

export type BotUpdate =
  | { type: 'chat_join_request'; payload: ChatJoinRequest }
  | { type: 'chat_member'; payload: ChatMemberUpdated };

export interface BotFeedOptions {
  /** Chance that a queued update is delivered at one delivery point. */
  deliverShare: number;
  /** Chance that a delivered update stays queued to come again. */
  repeatShare: number;
}

export class BotFeed {
  private queue: BotUpdate[] = [];
  readonly unbridge: () => void;
  delivered = 0;

  constructor(
    world: World,
    private readonly botId: bigint,
    private readonly r: Rng,
    readonly o: BotFeedOptions,
    /** Each update as it is delivered (what the bot saw). */
    private readonly onDeliver: (u: BotUpdate) => void,
  ) {
    this.unbridge = bridgeWorldUpdates(world, {
      updates: {
        push: (type, payload) => {
          if (type === 'chat_join_request') this.queue.push({ type, payload: payload as ChatJoinRequest });
          else if (type === 'chat_member') this.queue.push({ type, payload: payload as ChatMemberUpdated });
        },
      },
    });
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Delivers some queued updates (`all`: every one, repeats included) in a shuffled order; a line for the trace, or none. */
  deliver(store: Store, now: number, all = false): string | undefined {
    const due: BotUpdate[] = [];
    const kept: BotUpdate[] = [];
    for (const u of this.queue) (all || this.r() < this.o.deliverShare ? due : kept).push(u);
    if (due.length === 0) return undefined;
    for (let i = due.length - 1; i > 0; i--) {
      const j = Math.floor(this.r() * (i + 1));
      [due[i], due[j]] = [due[j]!, due[i]!];
    }
    let repeats = 0;
    for (const u of due) {
      // A chat the store does not hold yet is not served: the bot drops its updates (bot/watched.ts).
      if (!store.chats.get(BigInt(u.payload.chat.id))) continue;
      this.onDeliver(u);
      if (u.type === 'chat_join_request') storeJoinRequest(store, u.payload, now);
      else storeMemberUpdate(store, u.payload, this.botId, now);
      if (!all && this.r() < this.o.repeatShare) {
        kept.push(u);
        repeats++;
      }
    }
    this.queue = kept;
    this.delivered += due.length;
    return `bot: ${due.length} updates delivered (${describe(due)})${repeats ? `, ${repeats} to come again` : ''}, ${kept.length} still queued`;
  }
}

function describe(us: readonly BotUpdate[]): string {
  return us
    .slice(0, 6)
    .map((u) => (u.type === 'chat_join_request' ? `request ${u.payload.from.id}@${u.payload.date}` : `${u.payload.new_chat_member.status} ${u.payload.new_chat_member.user.id}@${u.payload.date}`))
    .join(', ') + (us.length > 6 ? ', …' : '');
}
