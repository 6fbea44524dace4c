/**
 * Logging: pino, pretty on a TTY and JSON lines otherwise. Pretty lines are formatted and written
 * synchronously in this thread (pino-pretty's formatter, not its worker transport), so they never
 * land out of order with what the CLI itself writes, such as a progress bar. Secrets are removed twice over, by
 * our own walk over everything logged (the merge object, format arguments, errors, child
 * bindings) before pino sees it:
 * - by field name at any depth (`token`, `session`, `phone`, `authKey`, …, any case);
 * - by value: every string is scrubbed of the concrete secrets this process knows, because a bot
 *   token or a session string can hide inside an error message or a URL where no name would tell.
 * pino's own `redact` is not used: its wildcard paths throw on a logged URL, Buffer or AbortSignal
 * (pinojs/redact#28), and a log call must never throw.
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { prettyFactory } from 'pino-pretty';

export type { Logger } from 'pino';

const SECRET_KEYS = new Set(
  [
    'token', 'botToken', 'bot_token', 'session', 'sessionString', 'session_string', 'apiHash', 'api_hash',
    'phone', 'phoneNumber', 'phone_number', 'password', 'phoneCode', 'phone_code', 'authKey', 'auth_key',
    'BOT_TOKEN', 'TELEGRAM_SESSION', 'TELEGRAM_API_HASH',
  ].map((key) => key.toLowerCase()),
);
const REPLACEMENT = '[redacted]';
/** The logger's list of concrete secret values; children share it through pino's prototype chain. */
const SECRETS = Symbol('joinwatch.logSecrets');
const MIN_SECRET_LENGTH = 6;

export interface LoggerSettings {
  level?: string;
  /** Concrete secret values (bot token, session string, …) to scrub from every line. */
  secrets?: ReadonlyArray<string | undefined>;
  /** Where to write; defaults to stdout. Pretty when it is a TTY, unless `pretty` says otherwise. */
  destination?: Pick<NodeJS.WritableStream, 'write'> & { isTTY?: boolean | undefined };
  pretty?: boolean;
}

export function createLogger(settings: LoggerSettings = {}): Logger {
  const secrets: string[] = [];
  addSecrets(secrets, settings.secrets ?? []);
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    hooks: {
      // Scrub the merge object, the message and the format arguments before pino formats them.
      logMethod(args, method) {
        method.apply(this, args.map((arg) => scrubDeep(arg, secrets)) as Parameters<typeof method>);
      },
    },
    serializers: {
      err: (err: unknown) => scrubDeep(pino.stdSerializers.err(err as Error), secrets),
    },
  };
  const destination = settings.destination ?? process.stdout;
  const usePretty = settings.pretty ?? destination.isTTY === true;
  const logger = usePretty
    ? pino(options, prettyDestination(destination))
    : settings.destination
      ? pino(options, settings.destination as DestinationStream)
      : pino(options);
  Object.defineProperty(logger, SECRETS, { value: secrets });
  // Child bindings are rendered once, at child(): scrub them there (children inherit this method).
  const pinoChild = logger.child;
  Object.defineProperty(logger, 'child', {
    value: function child(this: Logger, bindings: Record<string, unknown>, options?: unknown) {
      return pinoChild.call(this, scrubDeep(bindings, secrets), options as Parameters<Logger['child']>[1]);
    },
  });
  return logger;
}

/** Each JSON line pino writes, turned into pino-pretty's text and written at once. */
function prettyDestination(out: Pick<NodeJS.WritableStream, 'write'> & { isTTY?: boolean | undefined }): DestinationStream {
  const format = prettyFactory({ colorize: out.isTTY === true, translateTime: 'HH:MM:ss' });
  return { write: (line: string) => void out.write(format(line)) };
}

/**
 * Adds secret values learnt after the logger was made (e.g. the session read from
 * TELEGRAM_SESSION_FILE) to the logger's list; the logger it came from and all its children share it.
 */
export function addLogSecrets(logger: Logger, ...values: ReadonlyArray<string | undefined>): void {
  const secrets = (logger as unknown as Record<symbol, string[] | undefined>)[SECRETS];
  if (secrets) addSecrets(secrets, values);
}

function addSecrets(list: string[], values: ReadonlyArray<string | undefined>): void {
  for (const value of values) {
    if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH && !list.includes(value)) list.push(value);
  }
}

function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase());
}

/**
 * A copy of `value` as JSON would write it, with secret fields replaced (at any depth) and every
 * known secret value cut out of its strings. Errors stay errors (pino serializes them specially).
 */
export function scrubDeep<T>(value: T, secrets: readonly string[], copies = new Map<object, unknown>()): T {
  if (typeof value === 'string') return scrubText(value, secrets) as T;
  if (value === null || typeof value !== 'object') return value;
  if (copies.has(value)) return copies.get(value) as T; // shared or circular: the same scrubbed copy
  if (value instanceof Error) return scrubError(value, secrets, copies) as T;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    // URL, Date, Buffer, TL objects: what JSON.stringify would write, scrubbed.
    let json: unknown;
    try {
      json = toJSON.call(value);
    } catch {
      json = '[unserializable]';
    }
    copies.set(value, json);
    const scrubbed = scrubDeep(json, secrets, copies);
    copies.set(value, scrubbed);
    return scrubbed as T;
  }
  if (ArrayBuffer.isView(value)) return value; // bytes carry no text; a secret one is caught by its key
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    copies.set(value, out);
    for (const item of value) out.push(scrubDeep(item, secrets, copies));
    return out as T;
  }
  // Plain objects and class instances alike: own enumerable fields, as JSON.stringify writes them.
  const out: Record<string, unknown> = {};
  copies.set(value, out);
  for (const [key, item] of Object.entries(value)) out[key] = scrubField(key, item, secrets, copies);
  return out as T;
}

function scrubField(key: string, item: unknown, secrets: readonly string[], copies: Map<object, unknown>): unknown {
  if (isSecretKey(key) && item !== null && item !== undefined && item !== '') return REPLACEMENT;
  return scrubDeep(item, secrets, copies);
}

/**
 * An Error with the original's message, stack, cause and own fields scrubbed. It is a plain Error
 * (copying a class's prototype could expose getters that need the original's internal slots), and
 * reports the original class name to pino through `constructor`.
 */
function scrubError(err: Error, secrets: readonly string[], copies: Map<object, unknown>): Error {
  const copy = new Error(scrubText(String(read(err, 'message') ?? ''), secrets));
  copies.set(err, copy);
  Object.defineProperty(copy, 'constructor', { value: read(err, 'constructor'), enumerable: false });
  copy.name = String(read(err, 'name') ?? 'Error');
  const stack = read(err, 'stack');
  copy.stack = typeof stack === 'string' ? scrubText(stack, secrets) : undefined;
  const cause = read(err, 'cause');
  if (cause !== undefined) Object.defineProperty(copy, 'cause', { value: scrubDeep(cause, secrets, copies), enumerable: false, writable: true, configurable: true });
  for (const key of Object.keys(err)) {
    if (key !== 'message' && key !== 'stack' && key !== 'name') {
      (copy as unknown as Record<string, unknown>)[key] = scrubField(key, read(err, key), secrets, copies);
    }
  }
  return copy;
}

function read(target: object, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REPLACEMENT);
  return out;
}
