/**
 * MTProto 2.0 message encryption, server side. The client encrypts with x = 0 and checks our
 * messages with x = 8 (core.telegram.org/mtproto/description); GramJS's MTProtoState only does
 * the client half, so the key derivation is written out here (sync, to keep the hot path free of
 * promise hops). The block cipher is GramJS's own AES-256-IGE.
 */
import { createHash, randomBytes } from 'node:crypto';
import { IGE } from 'telegram/crypto/IGE.js';

export interface PlainMessage {
  salt: bigint;
  sessionId: bigint;
  msgId: bigint;
  seqNo: number;
  body: Buffer;
}

function sha256(...parts: Buffer[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** `_calcKey` of GramJS's MTProtoState: AES key and IV from the auth key and msg_key. */
function deriveKeyIv(authKey: Buffer, msgKey: Buffer, x: 0 | 8): { key: Buffer; iv: Buffer } {
  const a = sha256(msgKey, authKey.subarray(x, x + 36));
  const b = sha256(authKey.subarray(x + 40, x + 76), msgKey);
  const key = Buffer.concat([a.subarray(0, 8), b.subarray(8, 24), a.subarray(24, 32)]);
  const iv = Buffer.concat([b.subarray(0, 8), a.subarray(8, 24), b.subarray(24, 32)]);
  return { key, iv };
}

/** The auth_key_id on the wire: the low 64 bits of SHA1(auth_key), as bytes. */
export function authKeyId(authKey: Buffer): Buffer {
  return createHash('sha1').update(authKey).digest().subarray(12, 20);
}

/**
 * Decrypts a client packet (auth_key_id already matched). Returns undefined when the packet is
 * malformed or msg_key does not match: the caller drops the connection, as Telegram does.
 */
export function decryptFromClient(authKey: Buffer, packet: Buffer): PlainMessage | undefined {
  if (packet.length < 24 + 32 || (packet.length - 24) % 16 !== 0) return undefined;
  const msgKey = packet.subarray(8, 24);
  const { key, iv } = deriveKeyIv(authKey, msgKey, 0);
  const plain = new IGE(key, iv).decryptIge(packet.subarray(24));
  const expected = sha256(authKey.subarray(88, 120), plain).subarray(8, 24);
  if (!expected.equals(msgKey)) return undefined;
  const length = plain.readInt32LE(28);
  if (length < 0 || length % 4 !== 0 || 32 + length > plain.length) return undefined;
  return {
    salt: plain.readBigInt64LE(0),
    sessionId: plain.readBigInt64LE(8),
    msgId: plain.readBigInt64LE(16),
    seqNo: plain.readInt32LE(24),
    body: plain.subarray(32, 32 + length),
  };
}

/** Encrypts one server message (which may itself be a container) for the client. */
export function encryptForClient(authKey: Buffer, keyId: Buffer, m: PlainMessage): Buffer {
  const header = Buffer.alloc(32);
  header.writeBigInt64LE(m.salt, 0);
  header.writeBigInt64LE(m.sessionId, 8);
  header.writeBigInt64LE(m.msgId, 16);
  header.writeInt32LE(m.seqNo, 24);
  header.writeInt32LE(m.body.length, 28);
  const unpadded = 32 + m.body.length;
  // 12..1024 bytes of padding, total a multiple of 16 (MTProto 2.0).
  const padLength = 12 + ((16 - ((unpadded + 12) % 16)) % 16);
  const plain = Buffer.concat([header, m.body, randomBytes(padLength)]);
  const msgKey = sha256(authKey.subarray(96, 128), plain).subarray(8, 24);
  const { key, iv } = deriveKeyIv(authKey, msgKey, 8);
  return Buffer.concat([keyId, msgKey, new IGE(key, iv).encryptIge(plain)]);
}
