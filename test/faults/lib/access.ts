/**
 * The access matrix: every command and every button of chat A, tried by a non-admin in the group,
 * a non-admin in private, an admin of another chat (B), and an admin of A without the "Invite
 * users" right. Refused means: answered, nothing of chat A's data reached them (no title, no link,
 * no file), nothing was decided, and no message of the admin's was changed. The admin without the
 * right may read (as Telegram lets them), and is refused every decision.
 */
import type { SentRecord } from '../../../src/sandbox/botapi/state.js';
import type { Figures } from './figures.js';
import { buttonsOf, press, quiet, say, type BotRig } from './bot-rig.js';
import { ADMIN, ADMIN_B, CHAT_A, LINKS_A, NO_INVITE, OUTSIDER, botChat } from './world.js';

interface Actor {
  name: string;
  user: bigint;
  /** In group A (commands about the group), or in private naming chat A. */
  inGroup: boolean;
  /** May read chat A's data (an admin without the invite right), but never decide. */
  reads: boolean;
}

const ACTORS: Actor[] = [
  { name: 'non-admin in the group', user: OUTSIDER, inGroup: true, reads: false },
  { name: 'non-admin in private', user: OUTSIDER, inGroup: false, reads: false },
  { name: 'admin of another chat', user: ADMIN_B, inGroup: false, reads: false },
  { name: 'admin without the invite right', user: NO_INVITE, inGroup: false, reads: true },
];

const DECISIONS = new Set(['pa', 'pd', 'pb', 'pc']);
const A_TITLE = 'Fault <A> & Co';

export interface AccessResult {
  tried: number;
  refused: number;
  allowedTried: number;
  allowedAsExpected: number;
  failures: string[];
}

export async function accessMatrix(rig: BotRig, figures: Figures): Promise<AccessResult> {
  const { sandbox } = rig;
  const A = botChat(CHAT_A);
  const joiner = rig.world.importers(CHAT_A, { link: LINKS_A[0]!, requested: false, offsetDate: 0, offsetUser: 0n, limit: 1 }).rows[0]!.userId;
  const commands = (a: Actor): string[] => {
    const chat = a.inGroup ? '' : ` ${A}`;
    return [`/links${chat}`, `/joiners ${LINKS_A[0]}`, `/pending${chat}`, `/whois ${joiner}`, `/stats${chat} 7`, `/export${chat} pending`, `/sync${chat}`];
  };
  const buttons = await adminButtons(rig);
  const result: AccessResult = { tried: 0, refused: 0, allowedTried: 0, allowedAsExpected: 0, failures: [] };
  const decisionsBefore = decisions(rig);
  for (const actor of ACTORS) {
    for (const text of commands(actor)) {
      const outcome = await attempt(rig, actor, async () => ((await say(sandbox, actor.user, text, actor.inGroup ? { group: A } : {})) ? '' : undefined), text);
      // A refusal shows none of the chat's data; a read allowed is answered without a refusal.
      if (!actor.reads) tally(result, `${actor.name}: ${text}`, true, outcome.answered, outcome.leaked);
      else tally(result, `${actor.name}: ${text}`, false, outcome.answered, outcome.texts.some((t) => REFUSAL.test(t)) ? undefined : 'read');
    }
    for (const b of buttons) {
      const kind = b.data.slice(0, 2);
      const expectRefusal = !actor.reads || DECISIONS.has(kind) || kind === 'pk';
      const before = sandbox.bot.sent(0).find((m) => m.message_id === b.message.message_id)?.seq;
      const outcome = await attempt(rig, actor, async () => (await press(sandbox, actor.user, b.message.message_id, b.data, b.message.chat !== Number(A)))?.text ?? '');
      const after = sandbox.bot.sent(0).find((m) => m.message_id === b.message.message_id)?.seq;
      const what = `${actor.name}: button ${b.text} (${kind})`;
      if (expectRefusal) {
        // A refused press shows nothing and changes nothing the admin sees (an admin refused a
        // decision may see the list redrawn with the reason on top: nothing was decided).
        const changed = before !== after && !(actor.reads && DECISIONS.has(kind)) ? "the admin's message was changed" : undefined;
        tally(result, what, true, outcome.answered, outcome.leaked ?? changed);
      } else {
        // A read allowed by a button redraws the admin's message or answers the reader privately.
        const refusedText = REFUSAL.test(outcome.answerText ?? '') ? outcome.answerText : undefined;
        tally(result, what, false, outcome.answered, refusedText ? undefined : 'read');
      }
    }
  }
  if (decisions(rig) !== decisionsBefore) result.failures.push(`${decisions(rig) - decisionsBefore} approvals or declines were made by the attempts`);
  figures.access.tried += result.tried;
  figures.access.refused += result.refused;
  figures.access.allowedTried += result.allowedTried;
  figures.access.allowedAsExpected += result.allowedAsExpected;
  return result;
}

function decisions(rig: BotRig): number {
  return rig.sandbox.bot.calls('approveChatJoinRequest') + rig.sandbox.bot.calls('declineChatJoinRequest');
}

/** `shown`: what of chat A the attempt showed (data, a changed message), or undefined. */
function tally(r: AccessResult, what: string, expectRefusal: boolean, answered: boolean, shown: string | undefined): void {
  if (expectRefusal) {
    r.tried++;
    if (answered && !shown) r.refused++;
    else r.failures.push(`${what}: ${answered ? `not refused (${shown})` : 'no answer'}`);
  } else {
    r.allowedTried++;
    if (answered && shown) r.allowedAsExpected++;
    else r.failures.push(`${what}: allowed expected, got ${answered ? 'nothing of the chat' : 'no answer'}`);
  }
}

const REFUSAL = /not an admin|no longer|expired|someone else|not possible|only admins|not from this bot/i;

/**
 * Runs one attempt and reports whether it was answered and what of chat A's data reached the
 * actor (title, a link, a file), in their private chat or in the group.
 */
/** `typed`: what the actor wrote (echoed back, e.g. "that link has not been seen", it is no leak). */
async function attempt(rig: BotRig, actor: Actor, act: () => Promise<string | undefined>, typed = ''): Promise<{ leaked?: string; answered: boolean; answerText?: string; texts: string[] }> {
  const after = rig.sandbox.bot.cursor;
  const answerText = await act();
  await quiet(rig.sandbox, 400, 20_000);
  const seen = rig.sandbox.bot.sent(after).filter((m) => m.chat === Number(actor.user) || (actor.inGroup && m.chat === Number(botChat(CHAT_A))));
  const leak = seen.map((m) => leakOf(m, typed)).find((x) => x !== undefined);
  const texts = seen.map((m) => m.text ?? m.caption ?? '');
  return { answered: answerText !== undefined, texts, ...(leak ? { leaked: leak } : {}), ...(answerText ? { answerText } : {}) };
}

function leakOf(m: SentRecord, typed: string): string | undefined {
  let text = `${m.text ?? ''}${m.caption ?? ''}`.replace(/[\u2068\u2069]/g, '');
  for (const word of typed.split(/\s+/).filter((w) => w.length > 8)) text = text.split(word).join('');
  if (m.file) return `a ${m.file.kind}`;
  if (text.includes(A_TITLE)) return 'the chat title';
  if (/FaultA/.test(text)) return 'a link';
  return undefined;
}

interface Captured {
  text: string;
  data: string;
  message: SentRecord;
}

/** Every kind of button chat A's admin gets: list pages, approve, decline, approve all, its question, joiners pages, "Which chat?", the anonymous confirmation. */
async function adminButtons(rig: BotRig): Promise<Captured[]> {
  const { sandbox } = rig;
  const A = botChat(CHAT_A);
  const messages: SentRecord[] = [];
  const keep = (m: SentRecord | undefined) => m && messages.push(m);
  const list = await say(sandbox, ADMIN, `/pending ${A}`);
  keep(list);
  keep(await say(sandbox, ADMIN, `/joiners ${LINKS_A[0]}`));
  keep(await say(sandbox, ADMIN, '/links'));
  keep(await say(sandbox, ADMIN, '/links', { group: A, anonymous: true }));
  const all = list && buttonsOf(list).find((b) => /^Approve all/.test(b.text));
  if (list && all) {
    const after = sandbox.bot.cursor;
    await press(sandbox, ADMIN, list.message_id, all.data, false);
    keep(await sandbox.bot.waitForSent((r) => r.chat === Number(ADMIN) && /^Approve all/.test(r.text ?? ''), { after }).catch(() => undefined));
  }
  const captured: Captured[] = [];
  const seenKinds = new Map<string, number>();
  for (const m of messages) {
    for (const b of buttonsOf(m)) {
      const kind = b.data.slice(0, 2);
      // Every kind, a couple of each (the first ✅/❌, the pages, each answer of a question).
      if ((seenKinds.get(kind) ?? 0) >= 2) continue;
      seenKinds.set(kind, (seenKinds.get(kind) ?? 0) + 1);
      captured.push({ text: b.text, data: b.data, message: m });
    }
  }
  // The anonymous confirmation last: an admin's press answers it (and closes it).
  return captured.sort((a, b) => Number(a.data.startsWith('an:')) - Number(b.data.startsWith('an:')));
}
