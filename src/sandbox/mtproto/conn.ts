/**
 * One client TCP connection: TCPFull frames in and out, MTProto 2.0 decryption, server salt and
 * session checks (bad_server_salt, new_session_created), service messages (ping/pong, acks,
 * containers, gzip_packed) and RPC calls, whose answers are batched into a container when several
 * are ready at once. Faults that act on the connection (drops) are applied here.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { Api } from 'telegram';
import { BinaryReader } from 'telegram/extensions/index.js';
import type { ServerState } from './context.js';
import { decryptFromClient, encryptForClient } from './crypto.js';
import { CONTAINER_MAX_BYTES, CONTAINER_MAX_MESSAGES, container, rpcResult, type OutMessage } from './envelope.js';
import type { AuthKeyRecord } from './keys.js';
import { SeqNo } from './msg-id.js';
import { runRpc } from './rpc.js';
import { big } from './tl.js';
import { FrameDecoder, FrameEncoder } from './transport.js';

const CONTAINER_ID = 0x73f1f8dc;
const GZIP_ID = 0x3072cfa1;

interface Outgoing extends OutMessage {
  sessionId: bigint;
  key: AuthKeyRecord;
}

interface TlObject {
  CONSTRUCTOR_ID: number;
  className?: string;
  classType?: string;
}

export class ClientConnection {
  private readonly decoder = new FrameDecoder();
  private readonly encoder = new FrameEncoder();
  private outbox: Outgoing[] = [];
  private flushScheduled = false;
  private closed = false;
  private disconnectTimer: NodeJS.Timeout | undefined;
  /** The key and session of the client's latest message: where server-initiated updates go. */
  private last: { key: AuthKeyRecord; sessionId: bigint } | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly server: ServerState,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  /** The user this connection's client is signed in as (undefined before sign-in, or once revoked). */
  get signedInUser(): bigint | undefined {
    const key = this.last?.key;
    return key && !key.revoked ? key.userId : undefined;
  }

  /**
   * A server-initiated `Updates` (e.g. updatePendingJoinRequests): an own message (msg_id ≡ 3 mod 4),
   * content-related, in the client's current session. GramJS hands anything of the Updates family
   * to its update handlers; it checks no seq (it has no getDifference), so none is needed here.
   */
  push(body: Buffer): void {
    if (!this.last || this.closed) return;
    this.send(this.last.key, this.last.sessionId, body, 'own', true);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.disconnectTimer);
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch {
      return this.close();
    }
    for (const frame of frames) {
      if (this.closed) return;
      try {
        this.onFrame(frame);
      } catch {
        // Whatever the client sent, the server survives it; this connection does not.
        return this.close();
      }
    }
  }

  private onFrame(frame: Buffer): void {
    if (frame.length < 8) return this.close();
    const keyId = frame.subarray(0, 8);
    // auth_key_id 0 is the DH handshake, which the sandbox does not offer: keys are handed out.
    if (keyId.every((b) => b === 0)) return this.close();
    const key = this.server.keys.find(keyId);
    if (!key) return this.transportError(-404);
    if (this.server.faults.dropThisMessage()) return this.close();
    const msg = decryptFromClient(key.key, frame);
    if (!msg) return this.close();
    this.last = { key, sessionId: msg.sessionId };
    if (msg.salt !== this.server.salt) {
      const bad = new Api.BadServerSalt({
        badMsgId: big(msg.msgId), badMsgSeqno: msg.seqNo, errorCode: 48, newServerSalt: big(this.server.salt),
      });
      return this.send(key, msg.sessionId, bad.getBytes(), 'answer', false);
    }
    const badMsg = msgIdProblem(msg.msgId);
    if (badMsg !== undefined) {
      const notice = new Api.BadMsgNotification({ badMsgId: big(msg.msgId), badMsgSeqno: msg.seqNo, errorCode: badMsg });
      return this.send(key, msg.sessionId, notice.getBytes(), 'answer', false);
    }
    if (!key.announced.has(msg.sessionId)) {
      key.announced.add(msg.sessionId);
      const created = new Api.NewSessionCreated({
        firstMsgId: big(msg.msgId), uniqueId: big(randomBytes(8).readBigInt64LE(0)), serverSalt: big(this.server.salt),
      });
      this.send(key, msg.sessionId, created.getBytes(), 'own', false);
    }
    void this.onMessage(key, msg.sessionId, msg.msgId, msg.seqNo, msg.body).catch(() => this.close());
  }

  private async onMessage(key: AuthKeyRecord, sessionId: bigint, msgId: bigint, seqNo: number, body: Buffer): Promise<void> {
    let obj: TlObject;
    try {
      obj = (await new BinaryReader(body).tgReadObject()) as TlObject;
    } catch {
      // An object we cannot parse: tell the client (it fails that request) instead of hanging it.
      return this.send(key, sessionId, rpcResult(msgId, errorBytes(400, 'INPUT_CONSTRUCTOR_INVALID'), Infinity), 'answer', true);
    }
    await this.onObject(key, sessionId, msgId, seqNo, obj);
  }

  private async onObject(key: AuthKeyRecord, sessionId: bigint, msgId: bigint, seqNo: number, obj: TlObject): Promise<void> {
    if (obj.CONSTRUCTOR_ID === CONTAINER_ID) {
      const inner = (obj as unknown as { messages: { msgId: { value: bigint }; seqNo: number; obj: unknown }[] }).messages;
      await Promise.all(inner.map(async (m) => this.onObject(key, sessionId, m.msgId.value, m.seqNo, (await m.obj) as TlObject)));
      return;
    }
    if (obj.CONSTRUCTOR_ID === GZIP_ID) return this.onMessage(key, sessionId, msgId, seqNo, (obj as unknown as { data: Buffer }).data);
    if (obj instanceof Api.MsgsAck) return;
    if (obj instanceof Api.Ping || obj instanceof Api.PingDelayDisconnect) return this.pong(key, sessionId, msgId, obj);
    if (obj instanceof Api.GetFutureSalts) return this.futureSalts(key, sessionId, msgId);
    if (obj.classType !== 'request') return;
    if (this.server.faults.faults.delayMs > 0) {
      // A slow answer is acknowledged first, as Telegram does, so the client does not resend it.
      this.send(key, sessionId, new Api.MsgsAck({ msgIds: [big(msgId)] }).getBytes(), 'own', false);
    }
    const outcome = await runRpc(obj as TlObject & { className: string }, { server: this.server, key });
    if (outcome.transportError !== undefined) return this.transportError(outcome.transportError);
    this.send(key, sessionId, rpcResult(msgId, outcome.bytes, this.server.gzipThreshold), 'answer', true);
  }

  private pong(key: AuthKeyRecord, sessionId: bigint, msgId: bigint, ping: Api.Ping | Api.PingDelayDisconnect): void {
    if (ping instanceof Api.PingDelayDisconnect) {
      // Close the connection if no ping follows within disconnect_delay seconds.
      clearTimeout(this.disconnectTimer);
      this.disconnectTimer = setTimeout(() => this.close(), ping.disconnectDelay * 1000);
      this.disconnectTimer.unref();
    }
    this.send(key, sessionId, new Api.Pong({ msgId: big(msgId), pingId: ping.pingId }).getBytes(), 'answer', true);
  }

  private futureSalts(key: AuthKeyRecord, sessionId: bigint, msgId: bigint): void {
    const now = Math.floor(Date.now() / 1000);
    const salt = new Api.FutureSalt({ validSince: now - 60, validUntil: now + 86400, salt: big(this.server.salt) });
    this.send(key, sessionId, new Api.FutureSalts({ reqMsgId: big(msgId), now, salts: [salt] }).getBytes(), 'answer', true);
  }

  private transportError(code: number): void {
    const payload = Buffer.alloc(4);
    payload.writeInt32LE(code, 0);
    this.socket.write(this.encoder.encode(payload));
    this.socket.end();
  }

  private send(key: AuthKeyRecord, sessionId: bigint, body: Buffer, kind: 'answer' | 'own', contentRelated: boolean): void {
    if (this.closed) return;
    let seq = key.sessions.get(sessionId);
    if (!seq) {
      seq = new SeqNo();
      key.sessions.set(sessionId, seq);
    }
    this.outbox.push({ key, sessionId, msgId: this.server.msgIds.next(kind), seqNo: seq.next(contentRelated), body });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Sends what is queued: one message alone, several in containers (per session). */
  private flush(): void {
    this.flushScheduled = false;
    const queued = this.outbox;
    this.outbox = [];
    if (this.closed) return;
    while (queued.length > 0) {
      const first = queued[0] as Outgoing;
      const batch: Outgoing[] = [];
      let bytes = 0;
      while (queued.length > 0 && batch.length < CONTAINER_MAX_MESSAGES) {
        const next = queued[0] as Outgoing;
        if (next.sessionId !== first.sessionId || next.key !== first.key) break;
        if (batch.length > 0 && bytes + next.body.length > CONTAINER_MAX_BYTES) break;
        batch.push(next);
        bytes += next.body.length + 16;
        queued.shift();
      }
      this.write(first, batch);
    }
  }

  private write(first: Outgoing, batch: Outgoing[]): void {
    const seq = first.key.sessions.get(first.sessionId) ?? new SeqNo();
    const message: OutMessage =
      batch.length === 1 ? first : { msgId: this.server.msgIds.next('own'), seqNo: seq.next(false), body: container(batch) };
    const encrypted = encryptForClient(first.key.key, first.key.id, {
      salt: this.server.salt, sessionId: first.sessionId, msgId: message.msgId, seqNo: message.seqNo, body: message.body,
    });
    this.socket.write(this.encoder.encode(encrypted));
  }
}

/**
 * bad_msg_notification codes for a client msg_id (core.telegram.org/mtproto/service_messages_about_messages):
 * 16 too old (over 300 s), 17 too new (over 30 s ahead), 18 not divisible by 4.
 */
function msgIdProblem(msgId: bigint): number | undefined {
  if ((msgId & 3n) !== 0n) return 18;
  const skew = Number(msgId >> 32n) - Date.now() / 1000;
  if (skew < -300) return 16;
  if (skew > 30) return 17;
  return undefined;
}

function errorBytes(code: number, message: string): Buffer {
  return new Api.RpcError({ errorCode: code, errorMessage: message }).getBytes();
}
