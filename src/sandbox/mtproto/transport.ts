/**
 * TCPFull framing, server side: `len:int32LE | seq:int32LE | payload | crc32`, len counting all
 * four parts. GramJS checks the CRC of what we send; we check what it sends. The client opens
 * TCPFull without a tag byte (unlike abridged/intermediate), so the first bytes are a frame.
 */
import { crc32 } from 'node:zlib';

const MAX_FRAME = 16 * 1024 * 1024;

export class FrameDecoder {
  private buffered: Buffer = Buffer.alloc(0);
  private expectedSeq = 0;

  /** Feeds bytes; returns the complete payloads. Throws on a corrupt stream (caller closes). */
  push(chunk: Buffer): Buffer[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const out: Buffer[] = [];
    while (this.buffered.length >= 8) {
      const length = this.buffered.readInt32LE(0);
      if (length < 12 || length > MAX_FRAME) throw new Error(`bad TCPFull length ${length}`);
      if (this.buffered.length < length) break;
      const frame = this.buffered.subarray(0, length);
      this.buffered = this.buffered.subarray(length);
      const seq = frame.readInt32LE(4);
      if (seq !== this.expectedSeq) throw new Error(`TCPFull seq ${seq}, expected ${this.expectedSeq}`);
      this.expectedSeq++;
      const crc = frame.readUInt32LE(length - 4);
      if (crc32(frame.subarray(0, length - 4)) !== crc) throw new Error('TCPFull checksum mismatch');
      out.push(frame.subarray(8, length - 4));
    }
    return out;
  }
}

export class FrameEncoder {
  private seq = 0;

  encode(payload: Buffer): Buffer {
    const frame = Buffer.alloc(payload.length + 12);
    frame.writeInt32LE(payload.length + 12, 0);
    frame.writeInt32LE(this.seq++, 4);
    payload.copy(frame, 8);
    frame.writeUInt32LE(crc32(frame.subarray(0, payload.length + 8)), payload.length + 8);
    return frame;
  }
}
