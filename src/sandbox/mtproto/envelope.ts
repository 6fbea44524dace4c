/**
 * Server-side MTProto envelope pieces written by hand (GramJS only has the client half):
 * rpc_result (with gzip_packed for large results) and msg_container.
 */
import { gzipSync } from 'node:zlib';
import { serializeBytes } from 'telegram/tl/index.js';

const RPC_RESULT = 0xf35c6d01;
const GZIP_PACKED = 0x3072cfa1;
const MSG_CONTAINER = 0x73f1f8dc;

export interface OutMessage {
  msgId: bigint;
  seqNo: number;
  body: Buffer;
}

/** rpc_result#f35c6d01 req_msg_id:long result:Object, the result gzip_packed when it is large. */
export function rpcResult(reqMsgId: bigint, result: Buffer, gzipThreshold: number): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt32LE(RPC_RESULT, 0);
  head.writeBigInt64LE(reqMsgId, 4);
  if (result.length <= gzipThreshold) return Buffer.concat([head, result]);
  const tag = Buffer.alloc(4);
  tag.writeUInt32LE(GZIP_PACKED, 0);
  return Buffer.concat([head, tag, serializeBytes(gzipSync(result, { level: 1 }))]);
}

/** msg_container#73f1f8dc messages:vector<%Message>. */
export function container(messages: OutMessage[]): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(8);
  head.writeUInt32LE(MSG_CONTAINER, 0);
  head.writeInt32LE(messages.length, 4);
  parts.push(head);
  for (const m of messages) {
    const h = Buffer.alloc(16);
    h.writeBigInt64LE(m.msgId, 0);
    h.writeInt32LE(m.seqNo, 8);
    h.writeInt32LE(m.body.length, 12);
    parts.push(h, m.body);
  }
  return Buffer.concat(parts);
}

/** Limits Telegram puts on one container. */
export const CONTAINER_MAX_MESSAGES = 100;
export const CONTAINER_MAX_BYTES = 1_000_000;
