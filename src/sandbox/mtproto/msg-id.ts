/**
 * Server message ids: unix time in the high 32 bits, strictly increasing, and ≡ 1 (mod 4) for
 * answers to a client message or ≡ 3 (mod 4) for messages the server sends on its own
 * (core.telegram.org/mtproto/description#message-identifier-msg-id).
 */
export class ServerMsgIds {
  private last = 0n;

  next(kind: 'answer' | 'own'): bigint {
    const ms = Date.now();
    const seconds = BigInt(Math.floor(ms / 1000));
    const fraction = BigInt(Math.floor(((ms % 1000) / 1000) * 2 ** 30));
    let id = (seconds << 32n) | (fraction << 2n);
    if (id <= this.last) id = this.last + 4n;
    id = (id & ~3n) | (kind === 'answer' ? 1n : 3n);
    this.last = id;
    return id;
  }
}

/** Per-session seq_no: content-related messages get 2n+1 and advance n, others 2n. */
export class SeqNo {
  private contentCount = 0;

  next(contentRelated: boolean): number {
    if (!contentRelated) return this.contentCount * 2;
    return this.contentCount++ * 2 + 1;
  }
}
