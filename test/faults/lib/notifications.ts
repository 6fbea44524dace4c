/**
 * "No notification lost, none doubled beyond what the dedupe key catches", from both ends: what
 * the database says was sent (notify_messages: every message, its parts' Telegram ids, the events
 * it carried, the parts it sent again after a kill) against what reached the chat (the sandbox's
 * record of every message the bot sent).
 */
import type { Sandbox } from '../../../src/sandbox/sandbox.js';
import type { World } from '../../../src/sandbox/world.js';
import { openStore } from '../../../src/store/index.js';
import { CHAT_A, CHAT_B, botChat } from './world.js';

export interface NotificationCheck {
  /** Messages (parts) the database says reached the recipient. */
  sent: number;
  /** Events never delivered, parts recorded as sent that the chat never got, news acknowledged without a message. */
  lost: number;
  /** Notification messages in the chat that no completed message accounts for (sent twice). */
  doubled: number;
  /** Parts sent again because a kill left their first send unconfirmed (the dedupe key's count). */
  resentInFlight: number;
  /** Repeats the dedupe key does not account for, and requests announced by two messages. */
  doubledBeyondDedupe: number;
  details: string[];
}

const NOTIFICATION = /^(🔔|🚨|⚠️ joinwatch|📥)/;

export function checkNotifications(db: string, world: World, sandbox: Sandbox, recipient: string): NotificationCheck {
  const store = openStore(db);
  try {
    const details: string[] = [];
    const completed = store.notifyMessages.completed({ recipient });
    const inChat = sandbox.bot.sent(0).filter((m) => m.chat === Number(recipient) && NOTIFICATION.test(m.text ?? ''));
    const inChatIds = new Set(inChat.map((m) => m.message_id));
    const accounted = new Set<number>();
    let sent = 0;
    let lost = 0;
    for (const m of completed) {
      for (const id of m.messageIds) {
        sent++;
        if (id === null || !inChatIds.has(id)) {
          lost++;
          details.push(`${m.key}: recorded as sent, not in the chat`);
        } else accounted.add(id);
      }
    }
    const waiting = store.outbox.undelivered(1_000_000).length;
    if (waiting > 0) details.push(`${waiting} events never delivered`);
    lost += waiting;
    // News acknowledged without a message: a request still pending now was pending when planned.
    const carried = new Map<number, number>();
    for (const m of completed) for (const e of m.eventIds) carried.set(e, (carried.get(e) ?? 0) + 1);
    const announced = new Map<string, number>();
    for (const chat of [CHAT_A, CHAT_B]) {
      const state = store.imports.state(botChat(chat));
      const importedBefore = state.kind === 'imported' ? (state.eventId ?? 0) : Number.MAX_SAFE_INTEGER;
      const events = store.db.prepare("SELECT id, payload FROM outbox WHERE kind = 'requests.new' AND chat_id = ? ORDER BY id").all(botChat(chat)) as { id: bigint; payload: string }[];
      for (const e of events) {
        const id = Number(e.id);
        const requests = (JSON.parse(e.payload) as { requests: { userId: string; date: number }[] }).requests;
        if (carried.has(id)) {
          for (const rq of requests) announced.set(`${chat}|${rq.userId}|${rq.date}`, (announced.get(`${chat}|${rq.userId}|${rq.date}`) ?? 0) + (carried.get(id) ?? 0));
          continue;
        }
        if (id < importedBefore) continue; // part of the initial import: summed up, not announced
        for (const rq of requests) {
          if (world.pendingRequest(chat, BigInt(rq.userId))?.date === rq.date) {
            lost++;
            details.push(`request ${rq.userId} (${rq.date}) still pending, never announced`);
          }
        }
      }
    }
    const extra = inChat.filter((m) => !accounted.has(m.message_id));
    for (const m of extra) details.push(`in the chat, accounted for by no message: #${m.message_id} ${JSON.stringify((m.text ?? '').slice(0, 120))}`);
    const unaccounted = extra.length;
    const resentInFlight = completed.reduce((n, m) => n + m.repeated, 0);
    const twice = [...announced.values()].filter((n) => n > 1).length + [...carried.values()].filter((n) => n > 1).length;
    for (const [k, n] of announced) if (n > 1) details.push(`request ${k} announced by ${n} messages`);
    for (const [e, n] of carried) if (n > 1) details.push(`event ${e} carried by ${n} messages`);
    return { sent, lost, doubled: unaccounted, resentInFlight, doubledBeyondDedupe: Math.max(0, unaccounted - resentInFlight) + twice, details };
  } finally {
    store.close();
  }
}
