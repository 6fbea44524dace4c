/**
 * The bot's buttons, restart-proof. Callback data is signed (a short HMAC under a key kept in the
 * database, so every restart and every process on the file agrees): data someone forged or
 * changed is refused before any feature reads it, so it can never act. What a button stands for
 * beyond its 64 bytes lives in SQLite behind a short token (src/store/buttons.ts) for as long as
 * its kind keeps data; a button whose data is gone is answered so, never silently.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { ButtonContext, Store } from '../store/index.js';
import { CALLBACK_LIMIT, joinFields } from './views/callback-data.js';

/** What a token may stand for, and how long its data is kept (from its last use). */
export const BUTTON_KINDS = {
  /** A /pending list: its chat, search and page. */
  pendingList: { kind: 'pending', ttlSeconds: 7 * 86_400 },
  /** An "approve all" / "decline all" question, then its run. */
  bulk: { kind: 'bulk', ttlSeconds: 3600 },
  /** A "Which chat?" question: the command to run for the chat picked. */
  pick: { kind: 'pick', ttlSeconds: 86_400 },
  /** A link too long for callback data (/joiners pages). */
  link: { kind: 'link', ttlSeconds: 30 * 86_400 },
  /** An anonymous admin's command, waiting for them to confirm who they are. */
  anonymous: { kind: 'anonymous', ttlSeconds: 86_400 },
} as const;
export type ButtonKind = (typeof BUTTON_KINDS)[keyof typeof BUTTON_KINDS];

const KEY_SETTING = 'button_key';
/** 6 bytes of HMAC-SHA256: 8 characters of callback data; forging one takes ~2^47 presses. */
const SIGNATURE_BYTES = 6;

export class ButtonBook {
  private readonly key: Buffer;

  constructor(
    private readonly store: Store,
    private readonly nowMs: () => number,
  ) {
    this.key = Buffer.from(store.botSettings.getOrCreate(KEY_SETTING, () => randomBytes(32).toString('base64url')), 'base64url');
  }

  /** Signed callback data `verb:field…:signature`; throws past 64 bytes (a bug, not input). */
  pack(verb: string, ...fields: (string | bigint | number)[]): string {
    const body = joinFields(verb, ...fields);
    const data = `${body}:${this.sign(body)}`;
    if (Buffer.byteLength(data, 'utf8') > CALLBACK_LIMIT) throw new RangeError(`callback data over 64 bytes: ${data}`);
    return data;
  }

  /** Whether `data` is exactly what this bot signed. */
  verify(data: string): boolean {
    const cut = data.lastIndexOf(':');
    if (cut <= 0) return false;
    const given = Buffer.from(data.slice(cut + 1), 'utf8');
    const expected = Buffer.from(this.sign(data.slice(0, cut)), 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  put(kind: ButtonKind, payload: unknown, userId?: bigint | number): string {
    return this.store.buttons.put(kind.kind, payload, { ttlSeconds: kind.ttlSeconds, ...(userId !== undefined ? { userId: BigInt(userId) } : {}) }, this.unix());
  }

  /** The payload behind `token` if it is of `kind` and still has the shape `schema` describes. */
  get<T>(kind: ButtonKind, token: string | undefined, schema: z.ZodType<T>): { payload: T; userId: bigint | null } | undefined {
    const row = token ? this.store.buttons.get(token, this.unix()) : undefined;
    if (!row || row.kind !== kind.kind) return undefined;
    const parsed = schema.safeParse(row.payload);
    return parsed.success ? { payload: parsed.data, userId: row.userId } : undefined;
  }

  /** Stores a changed payload; its data is kept another full lifetime from now. */
  update(kind: ButtonKind, token: string, payload: unknown, ttlSeconds: number = kind.ttlSeconds): boolean {
    return this.store.buttons.update(token, payload, { ttlSeconds }, this.unix());
  }

  delete(token: string): void {
    this.store.buttons.delete(token);
  }

  ofKind(kind: ButtonKind): ButtonContext[] {
    return this.store.buttons.ofKind(kind.kind, this.unix());
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, SIGNATURE_BYTES).toString('base64url');
  }

  private unix(): number {
    return Math.floor(this.nowMs() / 1000);
  }
}
