import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_A, BIG_LINK, HOSTILE_NAME, buttons, startBotWorld, textOf, type BotWorld } from './bot-harness.js';
import type { SentRecord } from '../../src/sandbox/botapi/state.js';

let w: BotWorld;
beforeAll(async () => {
  w = await startBotWorld();
});
afterAll(async () => {
  await w?.stop();
});

/** The user id a mention entity points at: Telegram turns tg://user?id= links into text_mention. */
function mentioned(e: unknown): string | undefined {
  const entity = e as { type: string; url?: string; user?: { id: number } };
  if (entity.type === 'text_mention' && entity.user) return String(entity.user.id);
  return /^tg:\/\/user\?id=(\d+)$/.exec(entity.url ?? '')?.[1];
}

/** The user ids of every mention of a page. */
function idsOf(r: SentRecord): string[] {
  return (r.entities ?? []).flatMap((e) => mentioned(e) ?? []);
}

/** Text without the directional isolates our views put around user text. */
function plain(text: string): string {
  return text.replace(/[\u2068\u2069]/g, '');
}

/** Joiner ids only: the numbered lines' first mention (approver mentions come later in a line). */
function joinerIds(r: SentRecord): string[] {
  const text = textOf(r);
  const out: string[] = [];
  for (const e of r.entities ?? []) {
    const id = mentioned(e);
    if (id === undefined) continue;
    const lineStart = text.lastIndexOf('\n', e.offset - 1) + 1;
    if (/^\d+\. $/.test(text.slice(lineStart, e.offset))) out.push(id);
  }
  return out;
}

describe('/joiners', () => {
  it('shows the header and pages through 500 joiners forward and back without gaps or repeats', async () => {
    const first = await w.say(ADMIN_A, `/joiners ${BIG_LINK}`);
    const header = plain(textOf(first));
    expect(header).toContain('https://t.me/+BigLink500aa Spring <ads>');
    expect(header).toContain('Created by Moderator @mod_account on 2026-01-01 00:00');
    expect(header).toContain('500 / 1,000 joined · 0 pending');
    expect(header).toMatch(/Data as of .* UTC/);

    const forward: string[][] = [];
    let current = first;
    forward.push(joinerIds(current));
    for (;;) {
      const next = buttons(current).find((b) => b.text === 'Next ▶');
      if (!next) break;
      current = await w.press(ADMIN_A, current, next.data, (r) => r.message_id === first.message_id);
      forward.push(joinerIds(current));
    }
    expect(forward).toHaveLength(25);
    expect(forward.map((p) => p.length)).toEqual(Array(25).fill(20));
    const all = forward.flat();
    expect(new Set(all).size).toBe(500);
    // Newest first by (date desc, user id desc), as Telegram orders importers.
    const expected = Array.from({ length: 500 }, (_, i) => 9_100_000 + i).sort((a, b) => Math.floor((b - 9_100_000) / 7) - Math.floor((a - 9_100_000) / 7) || b - a).map(String);
    expect(all).toEqual(expected);
    expect(textOf(current)).toContain('Joiners 481–500');

    const backward: string[][] = [joinerIds(current)];
    for (;;) {
      const prev = buttons(current).find((b) => b.text === '◀ Prev');
      if (!prev) break;
      current = await w.press(ADMIN_A, current, prev.data, (r) => r.message_id === first.message_id);
      backward.push(joinerIds(current));
    }
    expect(backward.reverse()).toEqual(forward);
    expect(textOf(current)).toContain('Joiners 1–20');
  });

  it('renders lines with username, date, approver and folder marks, and hostile names intact', async () => {
    const first = await w.say(ADMIN_A, `/joiners ${BIG_LINK}`);
    let page = first;
    let text = textOf(page);
    while (!text.includes(HOSTILE_NAME)) {
      const next = buttons(page).find((b) => b.text === 'Next ▶');
      expect(next).toBeDefined();
      page = await w.press(ADMIN_A, page, next!.data, (r) => r.message_id === first.message_id);
      text = textOf(page);
    }
    // The name arrives as plain text: Telegram parsed our HTML, the user's markup did not become markup.
    expect(text).toContain(`\u2068${HOSTILE_NAME} J\u2069`);
    expect((page.entities ?? []).some((e) => e.type === 'bold' && text.slice(e.offset, e.offset + e.length) === 'Ann')).toBe(false);
    expect(text).toMatch(/@joiner_\d+/);
    expect(plain(text)).toMatch(/approved by Alice Admin/);
    expect(text).toMatch(/via folder/);
    expect(idsOf(page).length).toBeGreaterThan(0);
  });

  it('answers bad links with one line and an example', async () => {
    for (const bad of ['/joiners not-a-link', '/joiners https://t.me/rust_learners', '/joiners +12345678']) {
      const reply = await w.say(ADMIN_A, bad);
      expect(textOf(reply)).toMatch(/not an invite link.*Example: \/joiners https:\/\/t\.me\/\+AbCdEf0123/s);
    }
    // One sentence, no parentheses inside parentheses.
    const publicLink = textOf(await w.say(ADMIN_A, '/joiners https://t.me/rust_learners'));
    expect(publicLink).toBe(
      'not an invite link (a t.me link to a public @username or a message, not to an invite): expected https://t.me/+HASH, t.me/joinchat/HASH, tg://join?invite=HASH or +HASH. Example: /joiners https://t.me/+AbCdEf0123',
    );
    expect(publicLink).not.toMatch(/\([^)]*\(/);
    const unknown = await w.say(ADMIN_A, '/joiners https://t.me/+NeverSeen1234');
    expect(textOf(unknown)).toMatch(/has not been seen in your chats yet\. Data as of .* Example:/);
    const empty = await w.say(ADMIN_A, '/joiners');
    expect(textOf(empty)).toMatch(/Which link\? Example/);
    const huge = await w.say(ADMIN_A, `/joiners ${'x'.repeat(10_000)}`);
    expect(textOf(huge)).toMatch(/too long.*Example/);
  });

  it('accepts every spelling of a link', async () => {
    for (const spelling of ['t.me/joinchat/BigLink500aa', 'tg://join?invite=BigLink500aa', '+BigLink500aa']) {
      const reply = await w.say(ADMIN_A, `/joiners ${spelling}`);
      expect(textOf(reply)).toContain('Spring <ads>');
    }
  });
});
