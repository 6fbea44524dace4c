/**
 * A small in-memory table behind short tokens, for button state that cannot fit in 64 bytes of
 * callback data (a search query, the request ids an "approve all" confirmed). Bounded in size and
 * age, so a flood of searches cannot grow memory; an expired token makes the button answer
 * "this list has expired, send the command again" instead of acting on stale state.
 */
import { randomBytes } from 'node:crypto';

export class TokenTable<T> {
  private readonly entries = new Map<string, { value: T; expires: number }>();

  constructor(
    private readonly maxEntries = 2000,
    private readonly ttlMs = 30 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  put(value: T): string {
    this.evict();
    const token = randomBytes(6).toString('base64url');
    this.entries.set(token, { value, expires: this.now() + this.ttlMs });
    return token;
  }

  get(token: string | undefined): T | undefined {
    if (token === undefined) return undefined;
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (entry.expires < this.now()) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.value;
  }

  delete(token: string): void {
    this.entries.delete(token);
  }

  private evict(): void {
    // Maps iterate in insertion order: the first entries are the oldest.
    for (const [key, entry] of this.entries) {
      if (this.entries.size < this.maxEntries && entry.expires >= this.now()) break;
      this.entries.delete(key);
    }
  }
}
