/**
 * Reading Bot API parameters as Telegram does: JSON bodies carry numbers and objects, multipart and
 * query strings carry strings (objects JSON-encoded), so every reader accepts both.
 */
import { badRequest } from './errors.js';

export type Params = Record<string, unknown>;

export function str(p: Params, name: string): string | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : String(v);
}

export function int(p: Params, name: string, fallback?: number): number {
  const v = p[name];
  if (v === undefined || v === null || v === '') {
    if (fallback !== undefined) return fallback;
    throw badRequest(`${name} is empty`);
  }
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n)) throw badRequest(`field "${name}" must be of type Integer`);
  return n;
}

/** chat_id / user_id: an integer (bigint here) or, for chats, "@username". */
export function chatRef(p: Params, name = 'chat_id'): bigint | string {
  const v = p[name];
  if (v === undefined || v === null || v === '') throw badRequest(`${name} is empty`);
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d{1,20}$/.test(v.trim())) return BigInt(v.trim());
  if (typeof v === 'string' && v.startsWith('@')) return v;
  throw badRequest('chat not found');
}

export function userRef(p: Params, name = 'user_id'): bigint {
  const v = chatRef(p, name);
  if (typeof v !== 'bigint') throw badRequest(`field "${name}" must be of type Integer`);
  return v;
}

/** An object parameter that multipart sends JSON-encoded. */
export function json(p: Params, name: string, what: string): unknown {
  const v = p[name];
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    throw badRequest(`can't parse ${what} JSON object`);
  }
}
