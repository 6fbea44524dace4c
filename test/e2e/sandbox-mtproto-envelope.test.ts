/**
 * The MTProto envelope at the wire level, with GramJS's own client-side MTProtoState doing the
 * encryption: bad_server_salt for a wrong salt, new_session_created for a new session, server
 * msg_ids and seq_nos by the rules, bad_msg_notification for a bad msg_id, -404 for an unknown
 * auth key, and garbage that closes only its own connection.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Api } from 'telegram';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { returnBigInt } from 'telegram/Helpers.js';
import { MTProtoState } from 'telegram/network/MTProtoState.js';
import { StringSession } from 'telegram/sessions/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMtprotoServer, type MtprotoServer } from '../../src/sandbox/mtproto/server.js';
import { authKeyId } from '../../src/sandbox/mtproto/crypto.js';
import { FrameDecoder, FrameEncoder } from '../../src/sandbox/mtproto/transport.js';
import { World } from '../../src/sandbox/world.js';
import { baseScenario } from './sandbox-mtproto-fixture.js';

interface Received {
  msgId: bigint;
  seqNo: number;
  obj: { className?: string; CONSTRUCTOR_ID: number; [k: string]: unknown };
}

class RawClient {
  private readonly encoder = new FrameEncoder();
  private readonly decoder = new FrameDecoder();
  private readonly frames: Buffer[] = [];
  private wake: (() => void) | undefined;
  closed = false;

  constructor(
    private readonly socket: Socket,
    readonly state: MTProtoState,
  ) {
    socket.on('data', (c: Buffer) => {
      this.frames.push(...this.decoder.push(c));
      this.wake?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
  }

  static async open(server: MtprotoServer, session = server.session): Promise<RawClient> {
    const s = new StringSession(session);
    await s.load();
    const socket = connect(server.port, server.host);
    await once(socket, 'connect');
    return new RawClient(socket, new MTProtoState(s.getAuthKey(), new Logger(LogLevel.NONE)));
  }

  /** Sends one message; `msgId` overrides the (valid) id GramJS would pick. */
  async send(obj: { getBytes(): Buffer }, msgId?: bigint): Promise<bigint> {
    const body = obj.getBytes();
    const id = msgId ?? BigInt(((this.state as unknown as { _getNewMsgId(): { toString(): string } })._getNewMsgId()).toString());
    const head = Buffer.alloc(16);
    head.writeBigInt64LE(id, 0);
    head.writeInt32LE(1, 8);
    head.writeInt32LE(body.length, 12);
    this.raw(await this.state.encryptMessageData(Buffer.concat([head, body])));
    return id;
  }

  raw(payload: Buffer): void {
    this.socket.write(this.encoder.encode(payload));
  }

  async nextFrame(): Promise<Buffer | undefined> {
    while (this.frames.length === 0 && !this.closed) await new Promise<void>((r) => (this.wake = r));
    return this.frames.shift();
  }

  /** The next server messages, containers opened. */
  async receive(): Promise<Received[]> {
    const frame = await this.nextFrame();
    if (!frame) throw new Error('connection closed');
    const m = await this.state.decryptMessageData(frame);
    const obj = (await m.obj) as Received['obj'];
    const top = { msgId: BigInt(m.msgId.toString()), seqNo: (m as unknown as { seqNo: number }).seqNo, obj };
    if (obj.CONSTRUCTOR_ID !== 0x73f1f8dc) return [top];
    const inner = obj.messages as { msgId: { toString(): string }; seqNo: number; obj: unknown }[];
    return Promise.all(inner.map(async (x) => ({ msgId: BigInt(x.msgId.toString()), seqNo: x.seqNo, obj: (await x.obj) as Received['obj'] })));
  }

  close(): void {
    this.socket.destroy();
  }
}

let server: MtprotoServer;
beforeEach(async () => {
  server = await startMtprotoServer({ world: World.fromScenario(baseScenario()) });
});
afterEach(async () => {
  await server.stop();
});

const getState = (): Api.InvokeWithLayer =>
  new Api.InvokeWithLayer({ layer: 198, query: new Api.updates.GetState() });

describe('sandbox MTProto envelope', () => {
  it('answers a wrong salt with bad_server_salt, then a new session with new_session_created and the result', async () => {
    const c = await RawClient.open(server);
    try {
      const first = await c.send(getState());
      const [bad] = await c.receive();
      expect(bad?.obj).toBeInstanceOf(Api.BadServerSalt);
      const salt = bad!.obj as unknown as Api.BadServerSalt;
      expect([salt.badMsgId.toString(), salt.errorCode]).toEqual([first.toString(), 48]);
      expect(bad!.msgId % 4n).toBe(1n);
      c.state.salt = salt.newServerSalt;
      const second = await c.send(getState());
      const msgs = await c.receive();
      // Normally one container; read on if the answer came in a frame of its own.
      while (!msgs.some((m) => m.obj.CONSTRUCTOR_ID === 0xf35c6d01)) msgs.push(...(await c.receive()));
      const created = msgs.find((m) => m.obj instanceof Api.NewSessionCreated);
      const result = msgs.find((m) => m.obj.CONSTRUCTOR_ID === 0xf35c6d01);
      expect((created?.obj as unknown as Api.NewSessionCreated).firstMsgId.toString()).toBe(second.toString());
      expect(created!.msgId % 4n).toBe(3n); // sent on the server's own initiative
      expect(result!.msgId % 4n).toBe(1n); // an answer
      expect(result!.seqNo % 2).toBe(1); // content-related
      expect((result!.obj as unknown as { reqMsgId: { toString(): string } }).reqMsgId.toString()).toBe(second.toString());
      expect(result!.msgId).toBeGreaterThan(created!.msgId);
      // A ping in the same session: no second new_session_created, a pong with our ping id.
      c.state.salt = salt.newServerSalt;
      await c.send(new Api.Ping({ pingId: returnBigInt(99n) }));
      const [pong] = await c.receive();
      expect(pong?.obj).toBeInstanceOf(Api.Pong);
      expect(pong!.msgId).toBeGreaterThan(result!.msgId);
    } finally {
      c.close();
    }
  });

  it('rejects a msg_id not divisible by 4 with bad_msg_notification 18', async () => {
    const c = await RawClient.open(server);
    try {
      await c.send(getState());
      c.state.salt = ((await c.receive())[0]!.obj as unknown as Api.BadServerSalt).newServerSalt;
      const odd = (BigInt(Math.floor(Date.now() / 1000)) << 32n) | 5n;
      await c.send(getState(), odd);
      const [notice] = await c.receive();
      expect(notice?.obj).toBeInstanceOf(Api.BadMsgNotification);
      expect((notice!.obj as unknown as Api.BadMsgNotification).errorCode).toBe(18);
    } finally {
      c.close();
    }
  });

  it('answers an unknown auth key with transport error -404', async () => {
    const foreign = '1' + Buffer.concat([Buffer.from([2, 0, 9]), Buffer.from('127.0.0.1'), Buffer.from([0, 80]), Buffer.alloc(256, 7)]).toString('base64');
    const c = await RawClient.open(server, foreign);
    try {
      await c.send(getState());
      const frame = await c.nextFrame();
      expect(frame?.length).toBe(4);
      expect(frame?.readInt32LE(0)).toBe(-404);
    } finally {
      c.close();
    }
  });

  it('closes a connection that sends garbage, and keeps serving the others', async () => {
    const good = await RawClient.open(server);
    const bad = await RawClient.open(server);
    try {
      const key = (bad.state as unknown as { authKey: { getKey(): Buffer } }).authKey.getKey();
      bad.raw(Buffer.concat([authKeyId(key), Buffer.alloc(16 + 64, 1)])); // right key id, undecryptable body
      expect(await bad.nextFrame()).toBeUndefined();
      expect(bad.closed).toBe(true);
      await good.send(getState());
      expect((await good.receive())[0]?.obj).toBeInstanceOf(Api.BadServerSalt);
    } finally {
      good.close();
      bad.close();
    }
  });
});
