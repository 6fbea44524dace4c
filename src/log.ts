/**
 * Logging: pino, pretty on a TTY and JSON lines otherwise. Secrets are removed twice over:
 * by field name (redact paths, for structured fields) and by value (every string written is
 * scrubbed of the concrete secrets this process knows), because a bot token or a session
 * string can hide inside an error message or a URL where no path would catch it.
 */
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

const SECRET_KEYS = [
  'token', 'botToken', 'BOT_TOKEN', 'session', 'sessionString', 'TELEGRAM_SESSION', 'apiHash', 'TELEGRAM_API_HASH',
  'phone', 'phoneNumber', 'password', 'code', 'phoneCode', 'authKey', 'auth_key',
];
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);
const REPLACEMENT = '[redacted]';

export interface LoggerSettings {
  level?: string;
  /** Concrete secret values (bot token, session string, …) to scrub from every line. */
  secrets?: ReadonlyArray<string | undefined>;
  /** Where to write; defaults to stdout (pretty when it is a TTY). */
  destination?: NodeJS.WritableStream;
  pretty?: boolean;
}

export function createLogger(settings: LoggerSettings = {}): Logger {
  const secrets = (settings.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 6);
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: REPLACEMENT },
    hooks: {
      // Scrub the message and the rendered arguments before pino formats them.
      logMethod(args, method) {
        method.apply(this, args.map((arg) => scrubDeep(arg, secrets)) as Parameters<typeof method>);
      },
    },
    serializers: {
      err: (err: unknown) => scrubDeep(pino.stdSerializers.err(err as Error), secrets),
    },
  };
  const usePretty = settings.pretty ?? (settings.destination === undefined && process.stdout.isTTY === true);
  if (usePretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss' } } });
  }
  return settings.destination ? pino(options, settings.destination) : pino(options);
}

/** Replaces every occurrence of a known secret inside strings, objects and arrays. */
export function scrubDeep<T>(value: T, secrets: readonly string[], seen = new WeakSet<object>()): T {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return scrubText(value, secrets) as T;
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, secrets, seen)) as T;
  if (value instanceof Error) {
    const copy = new Error(scrubText(value.message, secrets));
    copy.name = value.name;
    copy.stack = value.stack === undefined ? undefined : scrubText(value.stack, secrets);
    return copy as T;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = scrubDeep(item, secrets, seen);
  return out as T;
}

export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REPLACEMENT);
  return out;
}
