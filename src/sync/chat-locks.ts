/**
 * One writer per chat's pending rows: a cycle's phase one (admin log, links, the pending check)
 * and a targeted pending check of the same chat take the chat's turn here, one after the other,
 * while other chats go on concurrently. A promise chain per chat, dropped once nobody waits.
 */
export class ChatLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` once every earlier holder of `key` is done. */
  async with<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    let release = (): void => undefined;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    this.tails.set(key, tail);
    await before;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys somebody holds or waits for (tests). */
  get size(): number {
    return this.tails.size;
  }
}
