import { describe, expect, it } from 'vitest';
import { demoCast, findCastMember } from '../../src/demo/play-cast.js';
import { parsePlayInput } from '../../src/demo/play-input.js';
import { pressableButtons, renderReply } from '../../src/demo/render.js';
import { generateWorld } from '../../src/sandbox/generate-scenario.js';
import type { SentRecord } from '../../src/sandbox/botapi/state.js';

describe('the playable demo', () => {
  it('reads demo commands, and sends everything else to the bot as typed', () => {
    expect(parsePlayInput('  3 ')).toEqual({ kind: 'press', n: 3 });
    expect(parsePlayInput('/press 12')).toEqual({ kind: 'press', n: 12 });
    expect(parsePlayInput('/press')).toMatchObject({ kind: 'invalid' });
    expect(parsePlayInput('/press two')).toMatchObject({ kind: 'invalid' });
    expect(parsePlayInput('/as @ann_lee')).toEqual({ kind: 'as', who: '@ann_lee' });
    expect(parsePlayInput('/as')).toMatchObject({ kind: 'invalid' });
    expect(parsePlayInput('/QUIT')).toEqual({ kind: 'quit' });
    expect(parsePlayInput('?')).toEqual({ kind: 'help' });
    expect(parsePlayInput('')).toEqual({ kind: 'empty' });
    expect(parsePlayInput('/pending ann')).toEqual({ kind: 'say', text: '/pending ann' });
    expect(parsePlayInput('12345678')).toEqual({ kind: 'say', text: '12345678' }); // an id, not a button
    expect(parsePlayInput('/assign')).toEqual({ kind: 'say', text: '/assign' });
  });

  it('numbers the buttons one can press across a reply, in the order /press counts them', () => {
    const record = (id: number, rows: Array<Array<{ text: string; callback_data?: string; url?: string }>>): SentRecord =>
      ({ seq: id, message_id: id, chat: 1, date: 0, method: 'sendMessage', text: `m${id}`, reply_markup: { inline_keyboard: rows }, edits: [] });
    const reply = { records: [record(1, [[{ text: 'A', callback_data: 'a' }, { text: 'Site', url: 'https://x' }]]), record(2, [[{ text: 'B', callback_data: 'b' }]])] };
    expect(renderReply(reply, { numbered: true })).toBe('  │ m1\n  │ [1 A] [Site]\n  │ m2\n  │ [2 B]');
    expect(renderReply(reply)).toBe('  │ m1\n  │ [A] [Site]\n  │ m2\n  │ [B]');
    expect(pressableButtons(reply).map((b) => b.data)).toEqual(['a', 'b']);
  });

  it('casts the admin, the other admins and a stranger, and finds anyone by @username or id', () => {
    const world = generateWorld({ seed: 2, chats: 2, linksPerChat: 3, joins: 40, pending: 5 });
    const cast = demoCast(world);
    expect(cast[0]).toMatchObject({ handle: 'admin', id: world.self.id });
    expect(cast.map((c) => c.handle)).toContain('stranger');
    const stranger = cast.find((c) => c.handle === 'stranger')!;
    expect(world.chats().some((c) => world.isAdmin(c.id, stranger.id))).toBe(false);
    const someone = world.users().find((u) => u.username && !u.isBot && !cast.some((c) => c.id === u.id))!;
    expect(findCastMember(world, cast, `@${someone.username!.toUpperCase()}`)?.id).toBe(someone.id);
    expect(findCastMember(world, cast, String(someone.id))?.id).toBe(someone.id);
    expect(findCastMember(world, cast, 'ADMIN')?.id).toBe(world.self.id);
    expect(findCastMember(world, cast, '@nobody_here_x')).toBeUndefined();
    expect(findCastMember(world, cast, String(world.bot.id))).toBeUndefined();
  });
});
