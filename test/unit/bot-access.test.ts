import { GrammyError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { explain } from '../../src/bot/features/decide.js';
import { textsFor } from '../../src/bot/i18n/texts.js';
import { findChat } from '../../src/bot/middlewares/access.js';

const en = textsFor('en');

const chats = [
  { id: -1001700000001n, title: 'A', username: 'rust_learners' },
  { id: -1001700000002n, title: 'B' },
];

describe('findChat', () => {
  it('finds by Bot API id and by @username, case-insensitively', () => {
    expect(findChat(chats, '-1001700000002')?.title).toBe('B');
    expect(findChat(chats, '@Rust_Learners')?.title).toBe('A');
  });
  it('finds nothing for other chats or junk', () => {
    expect(findChat(chats, '-1001700000003')).toBeUndefined();
    expect(findChat(chats, 'rust_learners')).toBeUndefined();
    expect(findChat(chats, '@')).toBeUndefined();
    expect(findChat(chats, 'x'.repeat(10_000))).toBeUndefined();
  });
});

function apiError(code: number, description: string): GrammyError {
  return new GrammyError(`Call to 'approveChatJoinRequest' failed!`, { ok: false, error_code: code, description }, 'approveChatJoinRequest', {});
}

describe('explain (Telegram refusals of approve/decline)', () => {
  it('treats already-handled requests as gone, with the reason spelled out', () => {
    expect(explain(apiError(400, 'Bad Request: HIDE_REQUESTER_MISSING'))).toEqual({ kind: 'gone', reason: { key: 'decide-handled-elsewhere' } });
    expect(en.t('decide-handled-elsewhere')).toMatch(/already handled by another admin or withdrawn/);
    expect(explain(apiError(400, 'Bad Request: USER_ALREADY_PARTICIPANT'))?.kind).toBe('gone');
    expect(explain(apiError(400, 'Bad Request: INPUT_USER_DEACTIVATED'))?.kind).toBe('gone');
  });
  it('keeps the request pending when Telegram refuses for rights or limits', () => {
    expect(explain(apiError(400, 'Bad Request: not enough rights to manage join requests'))).toEqual({ kind: 'refused', reason: { key: 'decide-bot-rights' } });
    expect(explain(apiError(400, 'Bad Request: USER_CHANNELS_TOO_MUCH'))).toEqual({ kind: 'refused', reason: { key: 'decide-too-many-chats' } });
    expect(en.t('decide-bot-rights')).toMatch(/can_invite_users/);
    expect(en.t('decide-too-many-chats')).toMatch(/too many chats/);
    expect(explain(apiError(403, 'Forbidden: bot was kicked from the supergroup chat'))?.kind).toBe('refused');
  });
  it('leaves unexpected errors to the error boundary', () => {
    expect(explain(new Error('socket hang up'))).toBeUndefined();
    expect(explain(apiError(500, 'Internal Server Error'))).toBeUndefined();
  });
});
