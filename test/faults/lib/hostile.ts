/**
 * Hostile inputs through the real bot: generated (seeded) messages and button presses from
 * admins and strangers, in private and in the group: random Unicode, bidi and zero-width marks,
 * ~10 kB texts, HTML and Markdown characters, FTS operators, SQL fragments, forged and mutated
 * callback data, buttons whose data is gone. Every one must get an answer (a message, or the
 * button's spinner answered), none may act (approve or decline), and the bot must log no error.
 */
import type { SentRecord } from '../../../src/sandbox/botapi/state.js';
import type { World } from '../../../src/sandbox/world.js';
import type { Figures } from './figures.js';
import { buttonsOf, errorsLogged, press, quiet, say, type BotRig } from './bot-rig.js';
import { openStore } from '../../../src/store/index.js';
import { ADMIN, ADMIN_B, CHAT_A, LINKS_A, NO_INVITE, OUTSIDER, botChat } from './world.js';

const FRAGMENTS = [
  '<b>', '</b>', '<i>x</i>', '<a href="tg://user?id=1">', '&amp;', '&lt;', '&#0;', '<script>alert(1)</script>', '<tg-spoiler>',
  '*bold*', '_it_', '__u__', '`code`', '```pre```', '[x](http://e.com)', '~~s~~', '||sp||', '\\', '>quote',
  '"', "'", 'NEAR(a b, 2)', 'a OR b', 'NOT x', 'x AND y', '^start', 'col:val', '(', ')', '*', '-', '+', '{}', '[]',
  "'; DROP TABLE joins; --", '" OR 1=1 --', '%', '_', '%_%', 'SELECT * FROM users', '\u0000', '\t', '\n', '\r\n',
  '\u202E', '\u202D', '\u200F', '\u200E', '\u200B', '\u2066', '\u2069', '\uFEFF', '\u00AD',
  '👨‍👩‍👧‍👦', '🏳️‍🌈', '🦀', 'Ω≈ç√', 'Привет', 'مرحبا', 'שלום', '中文字符', 'e\u0301\u0301', '\uD800', '\uDFFF',
  'https://t.me/+', 't.me/joinchat/', 'tg://join?invite=', '@', '@fault_chat_a', '-1001700000101', '-100', '99999999999999999999', '0', '-1',
];
const COMMANDS = [
  ['/pending', 14], ['/joiners', 12], ['/whois', 12], ['/links', 8], ['/sync', 4], ['/stats', 1], ['/export', 1], ['/start', 2], ['/help', 2],
  ['/nonsense', 4], ['/pending@joinwatch_bot', 3], ['', 12], ['/joiners https://t.me/+', 6], ['/whois @', 5],
] as const;

/** 1 to 20 fragments and random code points; now and then a ~10 kB text (4,000 characters of several bytes each). */
export function hostileText(r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  if (r() < 0.04) {
    const unit = pick(['Щ', '中', '🦀', '<b>&amp;', '"NEAR(', 'ا\u200F']);
    return unit.repeat(Math.ceil(4000 / unit.length)).slice(0, 4000);
  }
  const parts: string[] = [];
  for (let i = 0, n = 1 + Math.floor(r() * 20); i < n; i++) {
    parts.push(r() < 0.7 ? pick(FRAGMENTS) : String.fromCodePoint(Math.floor(r() * 0x2ffff)).replace(/[\uD800-\uDFFF]/g, ''));
  }
  return parts.join(r() < 0.5 ? ' ' : '');
}

function hostileCommand(r: () => number): string {
  const total = COMMANDS.reduce((n, [, w]) => n + w, 0);
  let x = r() * total;
  const [command] = COMMANDS.find(([, w]) => (x -= w) < 0) ?? COMMANDS[0]!;
  const text = `${command}${command ? ' ' : ''}${hostileText(r)}`.trim();
  return text === '' ? '?' : text;
}

/** Changes callback data the way a modified client might: a character, a field, the length. */
function mutate(data: string, r: () => number): string {
  const fields = data.split(':');
  const i = Math.floor(r() * fields.length);
  switch (Math.floor(r() * 5)) {
    case 0: return data.slice(0, Math.max(0, Math.floor(r() * data.length)));
    case 1: fields[i] = `${fields[i] ?? ''}${String.fromCharCode(48 + Math.floor(r() * 74))}`; return fields.join(':');
    case 2: fields[i] = (BigInt(Math.floor(r() * 1e9)) * 7919n).toString(36); return fields.join(':');
    case 3: return [...fields.slice(0, -1), 'AAAAAAAA'].join(':');
    default: return Array.from({ length: 1 + Math.floor(r() * 64) }, () => String.fromCharCode(33 + Math.floor(r() * 94))).join('');
  }
}

export interface HostileResult {
  sent: number;
  answered: number;
  acted: number;
  errors: string[];
  unanswered: string[];
}

/**
 * `count` inputs from several people at once (each person's in order, as Telegram delivers
 * them); the group's inputs one at a time (its answers are told apart by order).
 */
export async function hostileInputs(rig: BotRig, count: number, r: () => number, figures: Figures): Promise<HostileResult> {
  const { sandbox, world } = rig;
  const strangers = addStrangers(world, 8, r);
  const people = [ADMIN, NO_INVITE, ADMIN_B, OUTSIDER, ...strangers];
  const logFrom = rig.bot.proc?.output().length ?? 0;
  const decisionsBefore = sandbox.bot.calls('approveChatJoinRequest') + sandbox.bot.calls('declineChatJoinRequest');
  const stale = await staleButtons(rig);
  const result: HostileResult = { sent: 0, answered: 0, acted: 0, errors: [], unanswered: [] };
  let left = count;
  let groupTurn = Promise.resolve();
  const one = async (who: bigint): Promise<void> => {
    const x = r();
    result.sent++;
    let ok: boolean;
    let what: string;
    if (x < 0.25) {
      // A press: real data changed, random data, or a button whose data is gone.
      const own = sandbox.bot.sent(0).filter((m) => m.chat === Number(who) || m.chat === Number(ADMIN)).slice(-20);
      const target = own[Math.floor(r() * own.length)] ?? stale[0]?.message;
      const real = target ? buttonsOf(target) : [];
      const staleOne = stale[Math.floor(r() * stale.length)];
      const useStale = r() < 0.2 && staleOne;
      const data = useStale ? staleOne.data : real.length > 0 && r() < 0.8 ? mutate(real[Math.floor(r() * real.length)]!.data, r) : mutate('x', r);
      const messageId = useStale ? staleOne.message.message_id : target!.message_id;
      what = `press ${JSON.stringify(data)}`;
      ok = (await press(sandbox, who, messageId, data, true)) !== undefined;
    } else if (x < 0.33) {
      // In the group (the bot answers commands there; results go privately).
      const text = `/${['links', 'pending', 'joiners', 'whois', 'stats', 'sync'][Math.floor(r() * 6)]} ${hostileText(r)}`.slice(0, 4000);
      what = `in the group: ${JSON.stringify(text.slice(0, 80))}`;
      let answer: unknown;
      const turn = groupTurn.then(async () => {
        answer = await say(sandbox, who, text, { group: botChat(CHAT_A) });
      });
      groupTurn = turn;
      await turn;
      ok = answer !== undefined;
    } else {
      const text = hostileCommand(r);
      what = JSON.stringify(text.slice(0, 80));
      ok = (await say(sandbox, who, text)) !== undefined;
    }
    if (ok) result.answered++;
    else result.unanswered.push(`${who}: ${what}`);
  };
  await Promise.all(
    people.map(async (who) => {
      while (left > 0) {
        left--;
        await one(who);
      }
    }),
  );
  await quiet(sandbox, 500, 30_000);
  result.acted = sandbox.bot.calls('approveChatJoinRequest') + sandbox.bot.calls('declineChatJoinRequest') - decisionsBefore;
  result.errors = errorsLogged((rig.bot.proc?.output() ?? '').slice(logFrom));
  figures.hostile.sent += result.sent;
  figures.hostile.answered += result.answered;
  figures.hostile.errorsLogged += result.errors.length;
  figures.hostile.acted += result.acted;
  return result;
}

function addStrangers(world: World, n: number, r: () => number): bigint[] {
  return Array.from({ length: n }, (_, i) => {
    const id = 9_900_000n + BigInt(i);
    world.addUser({ id, firstName: hostileText(r).slice(0, 60) || 'x', ...(i % 2 ? { username: `stranger_${i}` } : {}) });
    return id;
  });
}

/**
 * Buttons whose data is gone: lists the admin asked for, whose rows are then deleted (as expiry
 * would). Only buttons whose data lives behind their token (pages, "approve all"): an Approve or
 * Decline button carries its person and chat itself, and still decides, as it should.
 */
async function staleButtons(rig: BotRig): Promise<{ data: string; message: SentRecord }[]> {
  const lists = [await say(rig.sandbox, ADMIN, `/pending ${botChat(CHAT_A)}`), await say(rig.sandbox, ADMIN, `/joiners ${LINKS_A[0]}`)];
  const store = openStore(rig.env.DATABASE_PATH!);
  try {
    store.db.prepare('DELETE FROM button_contexts').run();
  } finally {
    store.close();
  }
  return lists.flatMap((m) => (m ? buttonsOf(m).filter((b) => /^(pp|pb|pc|pk):/.test(b.data)).map((b) => ({ data: b.data, message: m })) : []));
}
