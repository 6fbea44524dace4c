/**
 * A list of importers kept sorted by (date, userId) ascending, read newest first.
 * Ascending storage makes the common case (a new row is the newest) a plain push; rows that
 * arrive out of order (bulk loading) only mark the list dirty and it is sorted once before the
 * next read. Cursor search is a binary search, so a page costs O(log n + limit) even over the
 * 500,000 joins of one link in the benchmark.
 *
 * Removal (a member leaves, a request is decided) marks the row dead instead of splicing it out of
 * a 500,000-row array; dead rows are skipped by reads and swept out once they are an eighth of the
 * list, so a removal costs O(log n) amortised and 1 % of a million members leaving stays cheap.
 */
export interface Keyed {
  date: number;
  userId: bigint;
}

export function compareKey(a: Keyed, b: Keyed): number {
  if (a.date !== b.date) return a.date - b.date;
  return a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
}

export class ImporterIndex<T extends Keyed> {
  private rows: T[] = [];
  private dirty = false;
  private readonly dead = new Set<T>();

  get size(): number {
    return this.rows.length - this.dead.size;
  }

  add(row: T): void {
    const last = this.rows[this.rows.length - 1];
    if (last !== undefined && compareKey(row, last) < 0) this.dirty = true;
    this.rows.push(row);
  }

  /** Removes the live row with exactly this key; returns it, or undefined when absent. */
  remove(key: Keyed): T | undefined {
    this.sort();
    for (let i = this.lowerBound(key); i < this.rows.length; i++) {
      const row = this.rows[i] as T;
      if (compareKey(row, key) !== 0) return undefined;
      if (this.dead.has(row)) continue;
      this.dead.add(row);
      if (this.dead.size * 8 > this.rows.length) this.sweep();
      return row;
    }
    return undefined;
  }

  /**
   * Up to `limit` rows strictly older than the cursor (offsetDate 0 = from the newest), newest
   * first, optionally filtered (a filter makes the walk linear in the rows it skips).
   */
  page(offsetDate: number, offsetUser: bigint, limit: number, filter?: (row: T) => boolean): T[] {
    this.sort();
    let i = offsetDate === 0 ? this.rows.length : this.lowerBound({ date: offsetDate, userId: offsetUser });
    const out: T[] = [];
    while (--i >= 0 && out.length < limit) {
      const row = this.rows[i] as T;
      if (this.dead.has(row)) continue;
      if (!filter || filter(row)) out.push(row);
    }
    return out;
  }

  count(filter?: (row: T) => boolean): number {
    if (!filter) return this.size;
    let n = 0;
    for (const row of this.rows) if (!this.dead.has(row) && filter(row)) n++;
    return n;
  }

  /** Oldest first; for snapshots and tests. */
  all(): readonly T[] {
    this.sort();
    if (this.dead.size > 0) this.sweep();
    return this.rows;
  }

  /** First index whose key is >= `key`. */
  private lowerBound(key: Keyed): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKey(this.rows[mid] as T, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private sweep(): void {
    this.rows = this.rows.filter((r) => !this.dead.has(r));
    this.dead.clear();
  }

  private sort(): void {
    if (!this.dirty) return;
    this.rows.sort(compareKey);
    this.dirty = false;
  }
}
