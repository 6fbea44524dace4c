/**
 * Configuration: one zod schema per concern over the environment (plus an optional `.env`).
 * Each command asks only for the concerns it needs, so `joinwatch export` never demands a bot
 * token. A bad or missing value becomes one line naming the variable and what is expected;
 * secret values are never echoed back.
 */
import { existsSync } from 'node:fs';
import { validate as validateCron } from 'node-cron';
import { z } from 'zod';
import { parseId } from './domain/chat-id.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

const SECRET_VARS = new Set(['TELEGRAM_API_HASH', 'TELEGRAM_SESSION', 'BOT_TOKEN']);

const optionalText = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string())
  .optional()
  .transform((s) => (s === '' ? undefined : s));

/** `NAME=` (as a .env template leaves it) means unset: the default applies, as if the line were absent. */
const blankIsUnset = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema);

const bigintId = (what: string) =>
  z.string().transform((text, ctx) => {
    const id = parseId(text);
    if (id === undefined) ctx.addIssue({ code: 'custom', message: `expected ${what}` });
    return id ?? 0n;
  });

const userIdList = (what: string) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      const parts = (text ?? '').split(',').map((p) => p.trim()).filter(Boolean);
      return parts.map((part) => {
        const id = parseId(part);
        if (id === undefined || id <= 0n) ctx.addIssue({ code: 'custom', message: `expected ${what}, got "${part}"` });
        return id ?? 0n;
      });
    });

/** A watched chat as configured: a Bot API id (-100…) or a public @username. */
export type ChatRef = { kind: 'id'; chatId: bigint } | { kind: 'username'; username: string };

const watchChats = z.string({ error: 'expected a comma list of -100… chat ids or @usernames' }).transform((text, ctx) => {
  const refs: ChatRef[] = [];
  let bad = false;
  for (const raw of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const id = parseId(raw);
    if (id !== undefined && id < -1_000_000_000_000n) refs.push({ kind: 'id', chatId: id });
    else if (/^@[A-Za-z][A-Za-z0-9_]{3,31}$/.test(raw)) refs.push({ kind: 'username', username: raw.slice(1) });
    else {
      bad = true;
      ctx.addIssue({ code: 'custom', message: `expected -100… chat ids or @usernames, got "${raw}"` });
    }
  }
  if (refs.length === 0 && !bad) ctx.addIssue({ code: 'custom', message: 'expected at least one -100… chat id or @username' });
  return refs;
});

const positiveInt = (fallback: number) =>
  blankIsUnset(z.coerce.number({ error: 'expected a positive integer' }).int('expected a positive integer').positive('expected a positive integer').default(fallback));

const nonNegativeInt = (fallback: number) =>
  blankIsUnset(z.coerce.number({ error: 'expected a whole number, 0 or more' }).int('expected a whole number, 0 or more').min(0, 'expected a whole number, 0 or more').default(fallback));

const nonNegativeNumber = (fallback: number) =>
  blankIsUnset(z.coerce.number({ error: 'expected a number, 0 or more' }).min(0, 'expected a number, 0 or more').default(fallback));

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const API_ID = 'expected the numeric api_id from my.telegram.org';
const HOST_PORT = 'expected host:port, e.g. 127.0.0.1:8443';

export const schemas = {
  store: z.object({
    DATABASE_PATH: z.string().min(1, 'expected a file path').default('./data/joinwatch.db'),
  }),
  log: z.object({
    LOG_LEVEL: blankIsUnset(z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info')),
  }),
  telegram: z
    .object({
      TELEGRAM_API_ID: z
        .string({ error: API_ID })
        .regex(/^\s*[1-9]\d{0,9}\s*$/, API_ID)
        .transform(Number)
        .pipe(z.number().max(2 ** 31 - 1, API_ID)),
      TELEGRAM_API_HASH: z.string({ error: 'expected the 32-character api_hash from my.telegram.org' }).regex(/^[0-9a-f]{32}$/i, 'expected the 32-character api_hash from my.telegram.org'),
      TELEGRAM_SESSION: optionalText,
      TELEGRAM_SESSION_FILE: optionalText,
      TELEGRAM_MTPROTO_SERVER: optionalText.pipe(
        z
          .string()
          .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, HOST_PORT)
          .refine((text) => Number(text.slice(text.lastIndexOf(':') + 1)) <= 65_535, HOST_PORT)
          .optional(),
      ),
    }),
  bot: z.object({
    BOT_TOKEN: z.string({ error: 'expected the token from @BotFather, like 123456:ABC-…' }).regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'expected the token from @BotFather, like 123456:ABC-…'),
    BOT_API_ROOT: blankIsUnset(
      z.url({ protocol: /^https?$/, error: 'expected an http(s) URL, e.g. https://api.telegram.org' }).default('https://api.telegram.org'),
    ),
    ADMIN_IDS: userIdList('numeric Telegram user ids'),
    NOTIFY_CHAT_ID: blankIsUnset(bigintId('a numeric chat id (-100… for a group, a user id for a private chat)').optional()),
  }),
  watch: z.object({ WATCH_CHATS: watchChats }),
  sync: z.object({
    SYNC_CRON: blankIsUnset(
      z
        .string()
        .default('*/5 * * * *')
        .refine((expr) => validateCron(expr), 'expected a cron expression, e.g. "*/5 * * * *"'),
    ),
    // The full reconcile of every chat (links listed, counters compared, members paged as planned);
    // between reconciles a cycle reads the admin log and checks pending requests.
    SYNC_RECONCILE_CRON: blankIsUnset(
      z
        .string()
        .default('0 * * * *')
        .refine((expr) => validateCron(expr), 'expected a cron expression, e.g. "0 * * * *"'),
    ),
    SYNC_MAX_CALLS_PER_CYCLE: positiveInt(5000),
    SYNC_MAX_CALLS_PER_MINUTE: positiveInt(300),
    SYNC_FLOOD_SLEEP_MAX_SECONDS: positiveInt(60),
    /** Upper bound of the random delay before each scheduled cycle (so many installs do not call Telegram on the same second). */
    SYNC_JITTER_SECONDS: nonNegativeInt(20),
    // Every link is listed whole this often (hours; 0: only links that lost members): catches a
    // leave and a join that left its counter level.
    // Fractions are taken (0.01: every 36 s), for test rigs whose worlds churn within minutes.
    SYNC_FULL_RECONCILE_HOURS: nonNegativeNumber(24),
  }),
  metrics: z.object({
    METRICS_PORT: blankIsUnset(
      z.coerce.number({ error: 'expected a TCP port, 1 to 65535' }).int('expected a TCP port, 1 to 65535').min(0, 'expected a TCP port, 1 to 65535').max(65_535, 'expected a TCP port, 1 to 65535').optional(),
    ),
    METRICS_HOST: blankIsUnset(
      z.string().regex(/^(?:[A-Za-z0-9.-]+|\[?[0-9A-Fa-f:.]+\]?)$/, 'expected an address to listen on, e.g. 127.0.0.1, 0.0.0.0 or ::1').default('127.0.0.1'),
    ),
  }),
  notify: z.object({
    NOTIFY_INTERVAL_SECONDS: positiveInt(30),
    DIGEST_INTERVAL_SECONDS: positiveInt(300),
    // A digest waits this long after the request that opened it (0: at once), so a burst shares one.
    DIGEST_WAIT_SECONDS: nonNegativeInt(10),
    RAID_WINDOW_SECONDS: positiveInt(600),
    RAID_MIN_JOINS: positiveInt(20),
    RAID_FACTOR: blankIsUnset(z.coerce.number({ error: 'expected a number above 1, e.g. 5' }).gt(1, 'expected a number above 1, e.g. 5').default(5)),
  }),
} as const;

export type Concern = keyof typeof schemas;
type Parsed<C extends Concern> = z.output<(typeof schemas)[C]>;
export type ConfigFor<C extends Concern> = UnionToIntersection<{ [K in C]: Parsed<K> }[C]>;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

export type Env = Record<string, string | undefined>;

/** Loads `.env` (if present) into process.env without overriding what the shell set. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/**
 * Validates just the concerns a command needs. Throws ConfigError listing one line per problem:
 * `VARIABLE: what is expected`.
 */
export function loadConfig<C extends Concern>(concerns: readonly C[], env: Env = process.env): ConfigFor<C> {
  const problems: string[] = [];
  const result: Record<string, unknown> = {};
  for (const concern of concerns) {
    const parsed = schemas[concern].safeParse(env);
    if (parsed.success) Object.assign(result, parsed.data);
    else problems.push(...parsed.error.issues.map((issue) => describeIssue(issue, env)));
  }
  if (concerns.includes('telegram' as C)) problems.push(...checkSessionSource(env));
  if (problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return result as ConfigFor<C>;
}

function describeIssue(issue: z.core.$ZodIssue, env: Env): string {
  const name = String(issue.path[0] ?? 'environment');
  const value = env[name];
  const expected = issue.message.replace(/^Invalid input: /, '');
  if (value === undefined || value === '') return `${name} is not set: ${expected}`;
  // List checks already quote the offending element; for the rest, quote the value unless secret.
  const shown = SECRET_VARS.has(name) || expected.includes('got "') ? '' : ` (got "${truncate(value)}")`;
  return `${name}: ${expected}${shown}`;
}

function checkSessionSource(env: Env): string[] {
  if (env.TELEGRAM_SESSION?.trim() || env.TELEGRAM_SESSION_FILE?.trim()) return [];
  return ['TELEGRAM_SESSION is not set: expected a session string, or TELEGRAM_SESSION_FILE with the path `joinwatch login` wrote'];
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
