/**
 * The sandbox's auth keys. There is no DH handshake: the server mints keys at start and hands
 * them out inside GramJS StringSessions — one already bound to the world's `self` (the userbot
 * session) and one unbound (for `joinwatch login`, which signs in with code and 2FA password).
 */
import { createHash } from 'node:crypto';
import { authKeyId } from './crypto.js';
import { SeqNo } from './msg-id.js';

/** Progress of `auth.sendCode` → `auth.signIn` → `auth.checkPassword` on one key. */
export interface LoginProgress {
  phoneCodeHash?: string;
  codeAccepted?: boolean;
  srp?: { id: bigint; b: bigint; B: bigint };
}

export interface AuthKeyRecord {
  key: Buffer;
  id: Buffer;
  /** The user this key is signed in as; undefined before sign-in. */
  userId?: bigint;
  /** Revoked keys answer AUTH_KEY_UNREGISTERED to every call. */
  revoked: boolean;
  login: LoginProgress;
  /** Server-side seq_no state per client session id. */
  sessions: Map<bigint, SeqNo>;
  /** Sessions already told new_session_created (a bad-salt answer does not start a session). */
  announced: Set<bigint>;
}

export class AuthKeys {
  private readonly byId = new Map<string, AuthKeyRecord>();

  /**
   * A key derived from `seed`: restarting the sandbox on the same scenario hands out the same
   * sessions, so a session saved in .env keeps working (as access hashes do).
   */
  mint(seed: string, userId?: bigint): AuthKeyRecord {
    const key = deriveKey(seed);
    const record: AuthKeyRecord = { key, id: authKeyId(key), userId, revoked: false, login: {}, sessions: new Map(), announced: new Set() };
    this.byId.set(record.id.toString('hex'), record);
    return record;
  }

  find(id: Buffer): AuthKeyRecord | undefined {
    return this.byId.get(id.toString('hex'));
  }

  /** Forgets every signed-in key: their messages get the transport error -404 from now on. */
  forgetSignedIn(): void {
    for (const [id, record] of this.byId) if (record.userId !== undefined) this.byId.delete(id);
  }

  /** Signs every signed-in key out, as "terminate all sessions" does. */
  revokeSignedIn(): void {
    for (const record of this.byId.values()) if (record.userId !== undefined) record.revoked = true;
  }
}

function deriveKey(seed: string): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; i < 8; i++) blocks.push(createHash('sha256').update(`${seed}/${i}`).digest());
  return Buffer.concat(blocks);
}

/**
 * A GramJS StringSession ("1" + base64(dc | addrLen:int16BE | addr | port:int16BE | key)).
 * GramJS writes the port as a signed 16-bit number, which throws for ports above 32767, so it
 * is written here unsigned; GramJS then reads it back negative, which does not matter because
 * it never uses the session's port (src/telegram/connection.ts forces it).
 */
export function encodeStringSession(dcId: number, host: string, port: number, key: Buffer): string {
  const address = Buffer.from(host);
  const header = Buffer.alloc(3);
  header.writeUInt8(dcId, 0);
  header.writeInt16BE(address.length, 1);
  const portBuffer = Buffer.alloc(2);
  portBuffer.writeUInt16BE(port, 0);
  return '1' + Buffer.concat([header, address, portBuffer, key]).toString('base64');
}
