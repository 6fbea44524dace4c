import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { parseId } from '../../src/domain/chat-id.js';

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults when optional values are absent', () => {
    const config = loadConfig(['store', 'sync', 'log'], {});
    expect(config.DATABASE_PATH).toBe('./data/joinwatch.db');
    expect(config.SYNC_CRON).toBe('*/5 * * * *');
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('names every bad variable on its own line, with what is expected', () => {
    const problems = problemsOf(() =>
      loadConfig(['telegram', 'bot', 'sync'], { TELEGRAM_API_ID: 'abc', BOT_TOKEN: 'nope', SYNC_CRON: 'every minute' }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^TELEGRAM_API_ID: expected the numeric api_id/),
        expect.stringMatching(/^TELEGRAM_API_HASH is not set/),
        expect.stringMatching(/^BOT_TOKEN: expected the token from @BotFather/),
        expect.stringMatching(/^SYNC_CRON: expected a cron expression/),
        expect.stringMatching(/^TELEGRAM_SESSION is not set/),
      ]),
    );
  });

  it('never echoes a secret value back', () => {
    const problems = problemsOf(() => loadConfig(['bot'], { BOT_TOKEN: 'secret-token-value' }));
    expect(problems.join('\n')).not.toContain('secret-token-value');
  });

  it('keeps 64-bit ids exact and parses watched chats', () => {
    const config = loadConfig(['bot', 'watch'], {
      BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      ADMIN_IDS: '1, 9007199254740993',
      NOTIFY_CHAT_ID: '-1001234567890',
      WATCH_CHATS: '-1001234567890, @rust_learners',
    });
    expect(config.ADMIN_IDS).toEqual([1n, 9007199254740993n]);
    expect(config.NOTIFY_CHAT_ID).toBe(-1001234567890n);
    expect(config.WATCH_CHATS).toEqual([
      { kind: 'id', chatId: -1001234567890n },
      { kind: 'username', username: 'rust_learners' },
    ]);
  });

  it('rejects a watched chat that is neither a -100… id nor an @username, quoting it', () => {
    const problems = problemsOf(() => loadConfig(['watch'], { WATCH_CHATS: '-1001234567890,12345' }));
    expect(problems).toEqual(['WATCH_CHATS: expected -100… chat ids or @usernames, got "12345"']);
  });

  it('reads notification thresholds with defaults and rejects a raid factor that is not above 1', () => {
    const config = loadConfig(['notify'], { RAID_MIN_JOINS: '50' });
    expect(config).toEqual({ NOTIFY_INTERVAL_SECONDS: 30, DIGEST_INTERVAL_SECONDS: 300, DIGEST_WAIT_SECONDS: 10, RAID_WINDOW_SECONDS: 600, RAID_MIN_JOINS: 50, RAID_FACTOR: 5 });
    const problems = problemsOf(() => loadConfig(['notify'], { RAID_FACTOR: '0.5', RAID_WINDOW_SECONDS: '-1' }));
    expect(problems).toEqual([
      'RAID_WINDOW_SECONDS: expected a positive integer (got "-1")',
      'RAID_FACTOR: expected a number above 1, e.g. 5 (got "0.5")',
    ]);
  });

  it('accepts a session file instead of a session string', () => {
    const config = loadConfig(['telegram'], {
      TELEGRAM_API_ID: '12345',
      TELEGRAM_API_HASH: '0123456789abcdef0123456789abcdef',
      TELEGRAM_SESSION_FILE: './data/session',
      TELEGRAM_MTPROTO_SERVER: '127.0.0.1:9443',
    });
    expect(config.TELEGRAM_API_ID).toBe(12345);
    expect(config.TELEGRAM_MTPROTO_SERVER).toBe('127.0.0.1:9443');
  });

  it('rejects a malformed MTProto server address', () => {
    const problems = problemsOf(() =>
      loadConfig(['telegram'], {
        TELEGRAM_API_ID: '1',
        TELEGRAM_API_HASH: '0123456789abcdef0123456789abcdef',
        TELEGRAM_SESSION: 'x',
        TELEGRAM_MTPROTO_SERVER: 'localhost',
      }),
    );
    expect(problems).toEqual([expect.stringMatching(/^TELEGRAM_MTPROTO_SERVER: expected host:port/)]);
  });

  it('takes an empty optional value (NAME= in .env) as unset: its default applies', () => {
    const blank = { LOG_LEVEL: '', BOT_API_ROOT: ' ', NOTIFY_CHAT_ID: '', SYNC_CRON: '', SYNC_MAX_CALLS_PER_CYCLE: '',
      SYNC_MAX_CALLS_PER_MINUTE: '', SYNC_FLOOD_SLEEP_MAX_SECONDS: '', SYNC_FULL_RECONCILE_HOURS: '', NOTIFY_INTERVAL_SECONDS: '', RAID_FACTOR: '',
      ADMIN_IDS: '', TELEGRAM_MTPROTO_SERVER: '' };
    const config = loadConfig(['log', 'bot', 'sync', 'notify'], { ...blank, BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ' });
    expect(config).toMatchObject({ LOG_LEVEL: 'info', BOT_API_ROOT: 'https://api.telegram.org', SYNC_CRON: '*/5 * * * *',
      SYNC_MAX_CALLS_PER_CYCLE: 5000, SYNC_MAX_CALLS_PER_MINUTE: 300, SYNC_FLOOD_SLEEP_MAX_SECONDS: 60,
      SYNC_FULL_RECONCILE_HOURS: 24, NOTIFY_INTERVAL_SECONDS: 30, RAID_FACTOR: 5, ADMIN_IDS: [] });
    expect(config.NOTIFY_CHAT_ID).toBeUndefined();
  });

  it('SYNC_FULL_RECONCILE_HOURS takes 0 (only links that lost members) and refuses what is not a whole number', () => {
    expect(loadConfig(['sync'], { SYNC_FULL_RECONCILE_HOURS: '0' }).SYNC_FULL_RECONCILE_HOURS).toBe(0);
    expect(loadConfig(['sync'], { SYNC_FULL_RECONCILE_HOURS: '6' }).SYNC_FULL_RECONCILE_HOURS).toBe(6);
    expect(problemsOf(() => loadConfig(['sync'], { SYNC_FULL_RECONCILE_HOURS: '-1' }))).toEqual(['SYNC_FULL_RECONCILE_HOURS: expected a whole number, 0 or more (got "-1")']);
    expect(problemsOf(() => loadConfig(['sync'], { SYNC_FULL_RECONCILE_HOURS: 'daily' }))).toEqual(['SYNC_FULL_RECONCILE_HOURS: expected a whole number, 0 or more (got "daily")']);
  });

  it('says plainly what each variable expects: one line per variable, in joinwatch words', () => {
    const problems = problemsOf(() =>
      loadConfig(['log', 'telegram', 'bot', 'watch'], {
        LOG_LEVEL: 'loud',
        TELEGRAM_API_ID: '1e3',
        TELEGRAM_API_HASH: '0123456789abcdef0123456789abcdef',
        TELEGRAM_SESSION: 'x',
        TELEGRAM_MTPROTO_SERVER: '127.0.0.1:99999',
        BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
        BOT_API_ROOT: 'ftp://api.example.org',
        ADMIN_IDS: '-5',
        WATCH_CHATS: 'mychat',
      }),
    );
    expect(problems).toEqual([
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'TELEGRAM_API_ID: expected the numeric api_id from my.telegram.org (got "1e3")',
      'TELEGRAM_MTPROTO_SERVER: expected host:port, e.g. 127.0.0.1:8443 (got "127.0.0.1:99999")',
      'BOT_API_ROOT: expected an http(s) URL, e.g. https://api.telegram.org (got "ftp://api.example.org")',
      'ADMIN_IDS: expected numeric Telegram user ids, got "-5"',
      'WATCH_CHATS: expected -100… chat ids or @usernames, got "mychat"',
    ]);
  });

  it('refuses ids that do not fit in 64 bits instead of failing later in the database', () => {
    expect(parseId('9223372036854775807')).toBe(9223372036854775807n);
    expect(parseId('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(parseId('99999999999999999999')).toBeUndefined();
    expect(parseId('-99999999999999999999')).toBeUndefined();
    const problems = problemsOf(() => loadConfig(['watch'], { WATCH_CHATS: '-99999999999999999999' }));
    expect(problems).toEqual(['WATCH_CHATS: expected -100… chat ids or @usernames, got "-99999999999999999999"']);
  });
});

