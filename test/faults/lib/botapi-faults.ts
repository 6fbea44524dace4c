/**
 * Bot API faults: bursts of 429 (with retry_after) and of 500 on every method, while admins send
 * commands and the notifier has news to send. Everything is answered once the burst is over, no
 * notification is lost, and the bot logs no error it could not handle.
 */
import type { CaseResult } from './mtproto-faults.js';
import { quiet, say, sleep, type BotRig } from './bot-rig.js';
import { openStore } from '../../../src/store/index.js';
import { ADMIN, CHAT_A, LINKS_A, NO_INVITE, REQUEST_LINKS, botChat } from './world.js';

export async function botApiFaultCases(rig: BotRig): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  results.push(await burst(rig, '429 burst (20 calls answered "retry after 1")', () => rig.sandbox.bot.tooManyRequests({ count: 20, retryAfter: 1 })));
  results.push(await burst(rig, '500 burst (6 calls answered Internal Server Error)', () => rig.sandbox.bot.serverErrors({ count: 6 })));
  return results;
}

async function burst(rig: BotRig, name: string, inject: () => void): Promise<CaseResult> {
  const { sandbox, world } = rig;
  const started = Date.now();
  try {
    // News for the notifier: requests arrive, the userbot side syncs them into the outbox.
    const link = LINKS_A.find((l) => REQUEST_LINKS.has(l))!;
    for (let i = 0; i < 5; i++) {
      const id = 9_800_000n + BigInt(Math.floor(Math.random() * 100_000));
      world.addUser({ id, firstName: `Burst ${i}` });
      world.addRequest(CHAT_A, { userId: id, link });
    }
    await rig.sync();
    inject();
    const commands = ['/links', `/pending ${botChat(CHAT_A)}`, `/joiners ${LINKS_A[0]}`, '/help', `/whois ${ADMIN}`];
    const answers = await Promise.all(commands.map((c, i) => say(sandbox, i % 2 ? NO_INVITE : ADMIN, c, { timeoutMs: 90_000 })));
    const unanswered = commands.filter((_, i) => answers[i] === undefined);
    const waiting = await outboxDrained(rig, 90_000);
    await quiet(sandbox, 500, 10_000);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (unanswered.length > 0 || waiting > 0) return { name, outcome: `${unanswered.length} commands unanswered (${unanswered.join(', ')}), ${waiting} notifications waiting after ${seconds} s`, ok: false };
    if (rig.bot.proc?.child.exitCode !== null) return { name, outcome: 'the bot process died', ok: false };
    return { name, outcome: `all ${commands.length} commands answered and every notification delivered in ${seconds} s (auto-retry waited the burst out)`, ok: true };
  } catch (error) {
    return { name, outcome: error instanceof Error ? error.message : String(error), ok: false };
  }
}

async function outboxDrained(rig: BotRig, timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const store = openStore(rig.env.DATABASE_PATH!);
    const waiting = store.outbox.undelivered(1000).length;
    store.close();
    if (waiting === 0 || Date.now() > until) return waiting;
    await sleep(500);
  }
}
