/**
 * What a line typed in the playable demo means: a command for the demo itself (`/press 3` or just
 * `3`, `/as <user>`, `/quit`, `?`), or a message the current user sends to the bot.
 */
export type PlayInput =
  | { kind: 'empty' }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'press'; n: number }
  | { kind: 'as'; who: string }
  | { kind: 'say'; text: string }
  | { kind: 'invalid'; why: string };

export function parsePlayInput(line: string): PlayInput {
  const text = line.trim();
  if (text === '') return { kind: 'empty' };
  if (text === '?' || /^\/(?:play|demo)$/i.test(text)) return { kind: 'help' };
  if (/^\/(?:quit|exit)$/i.test(text)) return { kind: 'quit' };
  if (/^\d{1,3}$/.test(text)) return { kind: 'press', n: Number(text) };
  const press = /^\/press(?:\s+(.*))?$/i.exec(text);
  if (press) {
    const n = press[1]?.trim() ?? '';
    return /^\d{1,3}$/.test(n) ? { kind: 'press', n: Number(n) } : { kind: 'invalid', why: 'press which button? e.g. /press 2 (or just 2)' };
  }
  const as = /^\/as(?:\s+(.*))?$/i.exec(text);
  if (as) {
    const who = as[1]?.trim() ?? '';
    return who ? { kind: 'as', who } : { kind: 'invalid', why: 'as whom? e.g. /as stranger, /as admin, /as @username' };
  }
  return { kind: 'say', text };
}
